package ser.dl4j;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A padded, time-major batch: {@code x [T*B, F]}, rows in {@link Seq} order (longest sequence
 * first); {@code order[b]} is the caller's index of row {@code b}, {@code labels} follow row order
 * (null for prediction).
 */
record Batch(INDArray x, Seq seq, int[] order, int[] labels) {

    /**
     * @param inputs   all sequences, {@code [t][f]}
     * @param indices  which of them form the batch
     * @param allLabels labels of all sequences, or null
     */
    static Batch of(List<float[][]> inputs, int[] indices, int[] allLabels, int features, DataType dtype) {
        Integer[] boxed = new Integer[indices.length];
        for (int i = 0; i < indices.length; i++) {
            boxed[i] = indices[i];
        }
        // stable: equal lengths keep the caller's order
        Arrays.sort(boxed, Comparator.comparingInt((Integer i) -> -inputs.get(i).length));
        int batch = boxed.length;
        int[] order = new int[batch];
        int[] lengths = new int[batch];
        int[] labels = allLabels == null ? null : new int[batch];
        for (int b = 0; b < batch; b++) {
            order[b] = boxed[b];
            float[][] seq = inputs.get(order[b]);
            if (seq == null || seq.length == 0) {
                throw new IllegalArgumentException("sequence " + order[b] + " has no frames");
            }
            lengths[b] = seq.length;
            if (labels != null) {
                labels[b] = allLabels[order[b]];
            }
        }
        int steps = lengths[0];
        float[] data = new float[steps * batch * features];
        for (int b = 0; b < batch; b++) {
            float[][] seq = inputs.get(order[b]);
            for (int t = 0; t < seq.length; t++) {
                if (seq[t].length != features) {
                    throw new IllegalArgumentException("sequence " + order[b] + " frame " + t + " has "
                            + seq[t].length + " features, expected " + features);
                }
                System.arraycopy(seq[t], 0, data, (t * batch + b) * features, features);
            }
        }
        INDArray x = Nd4j.createFromArray(data).reshape('c', (long) steps * batch, features);
        if (dtype != DataType.FLOAT) {
            x = x.castTo(dtype);
        }
        return new Batch(x, new Seq(lengths, dtype), order, labels);
    }
}
