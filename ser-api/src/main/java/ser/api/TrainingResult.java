package ser.api;

import java.util.List;

/**
 * @param history      every epoch run
 * @param bestEpoch    the epoch whose weights the model holds after {@code fit} (lowest
 *                     validation loss; without a validation set the last finite epoch)
 * @param stoppedEarly whether patience ran out before {@code maxEpochs}
 */
public record TrainingResult(List<EpochMetrics> history, int bestEpoch, boolean stoppedEarly) {

    public TrainingResult {
        history = List.copyOf(history);
    }
}
