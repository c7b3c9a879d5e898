package ser.pipeline.train;

import ser.api.TrainingSpec;

/** Per-class loss weights from the training labels ({@code ser.train.class-weights}). */
public final class ClassWeights {

    private ClassWeights() {
    }

    /**
     * Weight of each class index {@code 0..max label}: all 1 for {@link TrainingSpec.ClassWeights#NONE};
     * {@code n / (k * n_c)} for {@link TrainingSpec.ClassWeights#BALANCED}, where {@code k}
     * counts the classes present (an absent class gets 0: it never occurs).
     */
    static float[] of(int[] labels, TrainingSpec.ClassWeights mode) {
        int classes = 0;
        for (int y : labels) {
            classes = Math.max(classes, y + 1);
        }
        float[] weights = new float[classes];
        if (mode == TrainingSpec.ClassWeights.NONE) {
            java.util.Arrays.fill(weights, 1f);
            return weights;
        }
        int[] counts = new int[classes];
        for (int y : labels) {
            counts[y]++;
        }
        int present = 0;
        for (int c : counts) {
            if (c > 0) {
                present++;
            }
        }
        for (int c = 0; c < classes; c++) {
            weights[c] = counts[c] == 0 ? 0f : (float) (labels.length / ((double) present * counts[c]));
        }
        return weights;
    }
}
