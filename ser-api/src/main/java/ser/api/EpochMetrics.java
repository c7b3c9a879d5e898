package ser.api;

/** One epoch of training, as reported to a {@link TrainingListener} and written to history.csv. */
public record EpochMetrics(
        int epoch,
        double loss,
        double accuracy,
        double validationLoss,
        double validationAccuracy,
        double learningRate,
        double seconds,
        int steps) {
}
