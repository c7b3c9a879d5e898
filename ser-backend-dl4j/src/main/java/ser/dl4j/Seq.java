package ser.dl4j;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Geometry of one padded batch. Activations are time-major 2-D matrices {@code [T*B, width]}
 * whose row {@code t*B + b} is frame {@code t} of sequence {@code b}. Sequences are sorted by
 * length, longest first, so that at step {@code t} the sequences still running are the first
 * {@link #active(int)} rows of the step's row block: the GRU recurrence works on that prefix only,
 * and padded rows of every sequence-shaped activation stay exactly zero.
 */
final class Seq {

    final int steps;
    final int batch;
    private final int[] lengths;
    private final int[] active;
    private final long validFrames;
    private final DataType dtype;
    private INDArray mask;
    private INDArray keyBias;
    private INDArray timeBias;
    private int[] reverse;

    /** Large negative score for masked attention keys: exp underflows to exactly 0. */
    static final double MASKED = -1e9;

    Seq(int[] lengthsDescending, DataType dtype) {
        if (lengthsDescending.length == 0) {
            throw new IllegalArgumentException("empty batch");
        }
        this.lengths = lengthsDescending.clone();
        this.batch = lengths.length;
        this.dtype = dtype;
        int max = 0;
        long valid = 0;
        for (int i = 0; i < batch; i++) {
            if (lengths[i] <= 0) {
                throw new IllegalArgumentException("sequence " + i + " has no frames");
            }
            if (i > 0 && lengths[i] > lengths[i - 1]) {
                throw new IllegalArgumentException("lengths must be sorted longest first: " + Arrays.toString(lengths));
            }
            max = Math.max(max, lengths[i]);
            valid += lengths[i];
        }
        this.steps = max;
        this.validFrames = valid;
        this.active = new int[steps];
        for (int t = 0; t < steps; t++) {
            int n = 0;
            while (n < batch && lengths[n] > t) {
                n++;
            }
            active[t] = n;
        }
    }

    int length(int b) {
        return lengths[b];
    }

    /** Sequences still running at step {@code t}: rows {@code t*B .. t*B+active-1}. */
    int active(int t) {
        return active[t];
    }

    long validFrames() {
        return validFrames;
    }

    boolean hasPadding() {
        return validFrames != (long) steps * batch;
    }

    /** {@code [T*B, 1]}: 1 on valid frames, 0 on padding. */
    INDArray mask() {
        if (mask == null) {
            double[] m = new double[steps * batch];
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < active[t]; b++) {
                    m[t * batch + b] = 1;
                }
            }
            mask = Nd4j.createFromArray(m).castTo(dtype).reshape(steps * batch, 1);
        }
        return mask;
    }

    /** {@code [B, 1, 1, T]}: 0 for valid keys, {@link #MASKED} for padding. */
    INDArray keyBias() {
        if (keyBias == null) {
            double[] m = new double[batch * steps];
            for (int b = 0; b < batch; b++) {
                for (int t = lengths[b]; t < steps; t++) {
                    m[b * steps + t] = MASKED;
                }
            }
            keyBias = Nd4j.createFromArray(m).castTo(dtype).reshape(batch, 1, 1, steps);
        }
        return keyBias;
    }

    /** {@code [T, B]}: 0 for valid frames, {@link #MASKED} for padding. */
    INDArray timeBias() {
        if (timeBias == null) {
            double[] m = new double[steps * batch];
            for (int t = 0; t < steps; t++) {
                for (int b = active[t]; b < batch; b++) {
                    m[t * batch + b] = MASKED;
                }
            }
            timeBias = Nd4j.createFromArray(m).castTo(dtype).reshape(steps, batch);
        }
        return timeBias;
    }

    /**
     * Row permutation that reverses each sequence's valid prefix and leaves padding in place
     * (an involution): row {@code t*B+b} takes row {@code (len_b-1-t)*B+b}.
     */
    int[] reverseRows() {
        if (reverse == null) {
            reverse = new int[steps * batch];
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < batch; b++) {
                    int src = t < lengths[b] ? (lengths[b] - 1 - t) : t;
                    reverse[t * batch + b] = src * batch + b;
                }
            }
        }
        return reverse;
    }

    /** {@code x} with each sequence's valid prefix reversed (a new array). */
    INDArray reverse(INDArray x) {
        return Nd4j.pullRows(x, 1, reverseRows());
    }
}
