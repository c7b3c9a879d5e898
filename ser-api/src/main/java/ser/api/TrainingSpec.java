package ser.api;

/**
 * How a backend trains. Read from {@code ser.train}.
 *
 * @param batchSize         sequences per step
 * @param maxEpochs         upper bound on epochs
 * @param learningRate      Adam's initial learning rate
 * @param clipNorm          global gradient-norm clipping threshold (0 disables)
 * @param patience          early stopping: epochs without a lower validation loss before
 *                          stopping; the weights of the best epoch are restored
 * @param lrDecay           learning-rate factor per epoch once past {@code lrDecayStartEpoch}
 *                          (1 disables): epoch {@code e} trains at
 *                          {@code learningRate * lrDecay^max(0, e - lrDecayStartEpoch)}
 * @param lrDecayStartEpoch last epoch (1-based) at the initial learning rate
 * @param noiseStd          standard deviation of Gaussian noise added to training inputs
 *                          (they are standardized), 0 disables
 * @param seed              seeds initialization, shuffling, dropout and noise
 * @param threads           compute threads the backend may use
 */
public record TrainingSpec(
        int batchSize,
        int maxEpochs,
        double learningRate,
        double clipNorm,
        int patience,
        double lrDecay,
        int lrDecayStartEpoch,
        double noiseStd,
        long seed,
        int threads) {

    public TrainingSpec {
        if (batchSize <= 0 || maxEpochs <= 0 || patience <= 0 || threads <= 0) {
            throw new IllegalArgumentException("batch size, epochs, patience and threads must be positive");
        }
        if (!(learningRate > 0) || clipNorm < 0 || !(lrDecay > 0) || noiseStd < 0) {
            throw new IllegalArgumentException("learning rate and decay must be positive, clip norm and noise >= 0");
        }
    }

    /** Learning rate in force during epoch {@code epoch} (1-based). */
    public double learningRateAt(int epoch) {
        return learningRate * Math.pow(lrDecay, Math.max(0, epoch - lrDecayStartEpoch));
    }
}
