package ser.pipeline.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import ser.api.TrainingBatch;

/**
 * SpecAugment-style feature masking ({@code ser.train.augment.feature-masks},
 * {@code feature-mask-max}): in each training sequence, {@code count} runs of consecutive feature
 * columns, each of a width drawn uniformly from 0..{@code maxColumns}, are set to 0 (the
 * standardized mean) in every step. Masks may overlap.
 */
public record FeatureMask(int count, int maxColumns) implements Augmentation {

    public FeatureMask {
        if (count <= 0 || maxColumns <= 0) {
            throw new IllegalArgumentException("feature masks: count and max width must be positive, got " + count + ", "
                    + maxColumns);
        }
    }

    @Override
    public TrainingBatch apply(TrainingBatch batch, SplittableRandom random) {
        List<float[][]> masked = new ArrayList<>(batch.size());
        for (float[][] seq : batch.inputs()) {
            int features = seq[0].length;
            boolean[] off = new boolean[features];
            boolean any = false;
            for (int m = 0; m < count; m++) {
                int width = random.nextInt(Math.min(maxColumns, features) + 1);
                int start = random.nextInt(features - width + 1);
                for (int f = start; f < start + width; f++) {
                    off[f] = true;
                    any = true;
                }
            }
            if (!any) {
                masked.add(seq);
                continue;
            }
            float[][] copy = new float[seq.length][];
            for (int t = 0; t < seq.length; t++) {
                float[] frame = seq[t].clone();
                for (int f = 0; f < features; f++) {
                    if (off[f]) {
                        frame[f] = 0f;
                    }
                }
                copy[t] = frame;
            }
            masked.add(copy);
        }
        return new TrainingBatch(masked, batch.labels(), batch.weights());
    }
}
