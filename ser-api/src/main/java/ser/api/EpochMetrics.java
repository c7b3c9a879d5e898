package ser.api;

/**
 * One epoch of training, as reported to a {@link TrainingListener} and written to history.csv.
 * Training loss and accuracy are running averages over the epoch's steps (training mode, L2
 * included); {@code steps} counts the steps of this epoch. Without a validation set the
 * validation values are NaN (and there is no early stopping: every epoch runs, the last is kept).
 */
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
