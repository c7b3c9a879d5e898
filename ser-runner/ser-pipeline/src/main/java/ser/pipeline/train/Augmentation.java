package ser.pipeline.train;

import java.util.SplittableRandom;
import ser.api.TrainingBatch;

/**
 * Changes a training batch before the backend's step (noise, masking, mixing...). Applied by
 * {@link TrainingLoop} to training batches only, never to validation or test data, in the order
 * configured; every draw comes from {@code random}, the loop's seeded augmentation stream, so a
 * run repeats exactly. Implementations must not modify the batch's arrays: they are the
 * training set's.
 */
@FunctionalInterface
public interface Augmentation {

    TrainingBatch apply(TrainingBatch batch, SplittableRandom random);
}
