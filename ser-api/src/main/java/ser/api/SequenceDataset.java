package ser.api;

import java.util.List;

/**
 * Labelled variable-length sequences for training: {@code inputs.get(i)[t][f]} with a class
 * index {@code labels[i]} in {@code 0..classes-1}. Inputs are already standardized.
 */
public record SequenceDataset(List<float[][]> inputs, int[] labels, int featureCount) {

    public SequenceDataset {
        inputs = List.copyOf(inputs);
        if (labels.length != inputs.size()) {
            throw new IllegalArgumentException(inputs.size() + " sequences but " + labels.length + " labels");
        }
        for (int i = 0; i < inputs.size(); i++) {
            float[][] seq = inputs.get(i);
            if (seq.length == 0) {
                throw new IllegalArgumentException("sequence " + i + " has no frames");
            }
            if (seq[0].length != featureCount) {
                throw new IllegalArgumentException("sequence " + i + " has " + seq[0].length
                        + " features, expected " + featureCount);
            }
        }
    }

    public int size() {
        return labels.length;
    }
}
