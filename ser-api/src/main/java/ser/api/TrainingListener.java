package ser.api;

/** Receives progress from a training run, on the training thread. */
@FunctionalInterface
public interface TrainingListener {

    void onEpoch(EpochMetrics metrics);

    TrainingListener NONE = metrics -> { };
}
