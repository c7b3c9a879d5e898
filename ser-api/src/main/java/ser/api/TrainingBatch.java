package ser.api;

import java.util.List;

/**
 * One training batch as the training loop hands it to {@link SequenceModel#trainStep}: the
 * sequences (already standardized and augmented; the backend pads them), their class indices and
 * per-sample loss weights (class weights; all 1 for a plain mean).
 */
public record TrainingBatch(List<float[][]> inputs, int[] labels, float[] weights) {

    public TrainingBatch {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
        if (labels.length != inputs.size() || weights.length != inputs.size()) {
            throw new IllegalArgumentException(inputs.size() + " sequences, " + labels.length + " labels and "
                    + weights.length + " weights");
        }
    }

    /** A batch whose samples all weigh 1. */
    public static TrainingBatch unweighted(List<float[][]> inputs, int[] labels) {
        float[] ones = new float[labels.length];
        java.util.Arrays.fill(ones, 1f);
        return new TrainingBatch(inputs, labels, ones);
    }

    public int size() {
        return labels.length;
    }

    /** Whether every weight is 1 (a backend may then take its plain-mean path). */
    public boolean unitWeights() {
        for (float w : weights) {
            if (w != 1f) {
                return false;
            }
        }
        return true;
    }
}
