package ser.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Variable-length sequences packed for one forward pass: zero padding after each sequence's own
 * frames (post-padding), plus the masks every masked layer needs.
 *
 * @param x            {@code [B, T, F]} inputs, padded frames are zero
 * @param mask         {@code [B, T, 1]}, 1 on valid frames, 0 on padding (batch-norm statistics)
 * @param keyBias      {@code [B, T]}, 0 on valid frames, {@value #MASKED} on padding, added to
 *                     attention scores before the softmax so padded frames get weight 0
 * @param reverseIndex int64 {@code [B * T]}: row {@code b * T + t} of the flattened batch maps to
 *                     {@code b * T + (L_b - 1 - t)} for {@code t < L_b} and to itself on padding,
 *                     so gathering with it reverses only each sequence's valid prefix (it is its
 *                     own inverse)
 * @param lengths      valid frames per sequence
 * @param validFrames  total valid frames, the count behind masked batch-norm statistics
 */
record PaddedBatch(NDArray x, NDArray mask, NDArray keyBias, NDArray reverseIndex, int[] lengths, int validFrames) {

    /** Additive mask for padded keys; exp underflows to exactly 0 in float32. */
    static final float MASKED = -1e9f;

    int size() {
        return lengths.length;
    }

    int frames() {
        return (int) x.getShape().get(1);
    }

    /** Whether any sequence is shorter than the batch (false: masks and reversal are trivial). */
    boolean padded() {
        return validFrames < size() * frames();
    }

    /**
     * Packs {@code sequences} ({@code [T_i][features]}) into arrays of {@code manager}.
     *
     * @param padTo    frames per row; at least the longest sequence (0 = the longest)
     * @param noise    draws Gaussian noise added to valid frames only, or null for none
     * @param noiseStd standard deviation of that noise
     */
    static PaddedBatch of(NDManager manager, List<float[][]> sequences, int features, int padTo,
            SplittableRandom noise, double noiseStd) {
        int b = sequences.size();
        if (b == 0) {
            throw new IllegalArgumentException("empty batch");
        }
        int[] lengths = new int[b];
        int longest = 0;
        for (int i = 0; i < b; i++) {
            float[][] seq = sequences.get(i);
            if (seq == null || seq.length == 0) {
                throw new IllegalArgumentException("sequence " + i + " of the batch has no frames");
            }
            lengths[i] = seq.length;
            longest = Math.max(longest, seq.length);
        }
        int t = Math.max(longest, padTo);
        float[] x = new float[b * t * features];
        float[] mask = new float[b * t];
        float[] keyBias = new float[b * t];
        long[] reverse = new long[b * t];
        boolean addNoise = noise != null && noiseStd > 0;
        int valid = 0;
        for (int i = 0; i < b; i++) {
            float[][] seq = sequences.get(i);
            int len = seq.length;
            valid += len;
            for (int f = 0; f < t; f++) {
                int row = i * t + f;
                if (f < len) {
                    float[] frame = seq[f];
                    if (frame == null || frame.length != features) {
                        throw new IllegalArgumentException("sequence " + i + " of the batch, frame " + f + ": expected "
                                + features + " features, got " + (frame == null ? "null" : frame.length));
                    }
                    int base = row * features;
                    if (addNoise) {
                        for (int k = 0; k < features; k++) {
                            x[base + k] = (float) (frame[k] + noiseStd * noise.nextGaussian());
                        }
                    } else {
                        System.arraycopy(frame, 0, x, base, features);
                    }
                    mask[row] = 1f;
                    reverse[row] = (long) i * t + (len - 1 - f);
                } else {
                    keyBias[row] = MASKED;
                    reverse[row] = row;
                }
            }
        }
        return new PaddedBatch(
                manager.create(x, new Shape(b, t, features)),
                manager.create(mask, new Shape(b, t, 1)),
                manager.create(keyBias, new Shape(b, t)),
                manager.create(reverse, new Shape((long) b * t)),
                lengths, valid);
    }
}
