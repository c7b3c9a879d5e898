package ser.api;

import java.util.Locale;

/**
 * How the training loop trains (the runner's {@code TrainingLoop}). Read from {@code ser.train}.
 * The seed and thread count are not here: they reach the model in {@link ModelContext} and the
 * loop with it.
 *
 * @param batchSize         sequences per step
 * @param maxEpochs         upper bound on epochs
 * @param learningRate      Adam's initial learning rate
 * @param patience          early stopping: epochs without a lower validation loss before
 *                          stopping; the weights of the best epoch are restored (unused
 *                          without a validation set: every epoch runs, the last is kept)
 * @param lrDecay           learning-rate factor per epoch once past {@code lrDecayStartEpoch}
 *                          (1 disables): epoch {@code e} trains at
 *                          {@code learningRate * lrDecay^max(0, e - lrDecayStartEpoch)}
 * @param lrDecayStartEpoch last epoch (1-based) at the initial learning rate
 * @param noiseStd          standard deviation of Gaussian noise added to training inputs
 *                          (they are standardized), 0 disables
 * @param lengthBuckets     batches of similar-length sequences (less padding) instead of
 *                          plainly shuffled ones
 * @param classWeights      per-sample loss weights by class
 */
public record TrainingSpec(
        int batchSize,
        int maxEpochs,
        double learningRate,
        int patience,
        double lrDecay,
        int lrDecayStartEpoch,
        double noiseStd,
        boolean lengthBuckets,
        ClassWeights classWeights) {

    /** How training samples are weighted in the loss. */
    public enum ClassWeights {
        /** Every sample weighs 1. */
        NONE,
        /** Class {@code c} weighs {@code n / (k * n_c)} (k classes present), as scikit-learn's "balanced". */
        BALANCED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public TrainingSpec {
        if (batchSize <= 0 || maxEpochs <= 0 || patience <= 0) {
            throw new IllegalArgumentException("batch size, epochs and patience must be positive");
        }
        if (!(learningRate > 0) || !(lrDecay > 0) || !(noiseStd >= 0)) {
            throw new IllegalArgumentException("learning rate and decay must be positive, noise >= 0");
        }
        if (classWeights == null) {
            throw new IllegalArgumentException("class weights must not be null");
        }
    }

    /** Learning rate in force during epoch {@code epoch} (1-based). */
    public double learningRateAt(int epoch) {
        return learningRate * Math.pow(lrDecay, Math.max(0, epoch - lrDecayStartEpoch));
    }

    /** The same settings with at most {@code epochs} epochs. */
    public TrainingSpec withMaxEpochs(int epochs) {
        return new TrainingSpec(batchSize, epochs, learningRate, patience, lrDecay, lrDecayStartEpoch, noiseStd, lengthBuckets,
                classWeights);
    }
}
