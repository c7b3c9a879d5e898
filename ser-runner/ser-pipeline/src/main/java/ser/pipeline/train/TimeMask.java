package ser.pipeline.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import ser.api.TrainingBatch;

/**
 * SpecAugment-style time masking ({@code ser.train.augment.time-masks},
 * {@code time-mask-max-s}): in each training sequence, {@code count} runs of consecutive steps,
 * each of a width drawn uniformly from 0..{@code maxSteps} (at most a quarter of the sequence, so
 * that short utterances keep most of their speech), are set to 0, which is the feature mean since
 * inputs are standardized. Masks may overlap.
 */
public record TimeMask(int count, int maxSteps) implements Augmentation {

    public TimeMask {
        if (count <= 0 || maxSteps <= 0) {
            throw new IllegalArgumentException("time masks: count and max width must be positive, got " + count + ", " + maxSteps);
        }
    }

    @Override
    public TrainingBatch apply(TrainingBatch batch, SplittableRandom random) {
        List<float[][]> masked = new ArrayList<>(batch.size());
        for (float[][] seq : batch.inputs()) {
            float[][] copy = seq.clone(); // rows are shared until masked: the training set's arrays stay untouched
            int limit = Math.min(maxSteps, seq.length / 4);
            for (int m = 0; m < count; m++) {
                int width = random.nextInt(limit + 1);
                if (width == 0) {
                    continue;
                }
                int start = random.nextInt(seq.length - width + 1);
                for (int t = start; t < start + width; t++) {
                    copy[t] = new float[seq[t].length];
                }
            }
            masked.add(copy);
        }
        return new TrainingBatch(masked, batch.labels(), batch.weights());
    }
}
