package ser.pipeline.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ser.api.EpochMetrics;
import ser.api.SequenceDataset;
import ser.api.SequenceModel;
import ser.api.TrainingBatch;
import ser.api.TrainingListener;
import ser.api.TrainingResult;
import ser.api.TrainingSpec;

/**
 * The training protocol, written once for every backend (as DJL's {@code EasyTrain}): the backend
 * supplies steps ({@link SequenceModel#trainStep}, {@link SequenceModel#evaluate}, parameters),
 * this class owns epochs, seeded shuffling and batching ({@link BatchSchedule}, optionally by
 * length), augmentation ({@link Augmentation}, applied to training batches only), class weights,
 * the learning-rate schedule, early stopping with the best weights restored, and divergence.
 *
 * <p>Randomness: two streams split off {@code seed}, one for batching and one for augmentation
 * (dropout is the model's, seeded by its context). The same seed, data and backend give the same
 * history.
 *
 * <p>Metrics: training loss and accuracy are averages over the epoch's sequences of the steps'
 * values, in training mode (dropout, noise, batch statistics), as Keras reports them; validation
 * metrics come from {@link SequenceModel#evaluate} after the epoch. Early stopping watches the
 * validation loss.
 *
 * <p>Without a validation set ({@code ser.train.validation-fraction = 0}) nothing can choose an
 * epoch: the loop runs every configured epoch, ignores {@code patience}, and keeps the last
 * epoch's weights (the best epoch reported is the last); validation metrics are NaN. The training
 * loss is not a stand-in: it falls as the model overfits, so it would only pick the last epoch
 * anyway, and a learning-rate schedule here depends on the epoch alone.
 *
 * <p>Divergence: a step the backend skipped for a non-finite loss or gradient is counted;
 * {@link EpochMetrics#steps()} counts the applied ones. An epoch whose training loss is not finite,
 * in which no step was applied, or after which a weight is not finite has diverged: training stops
 * there ({@link TrainingResult#stoppedEarly()}), a one-line warning is logged, and the best epoch's
 * weights are restored. The model never ends {@link #fit} with non-finite weights.
 */
public final class TrainingLoop {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

    private final TrainingSpec spec;
    private final long seed;
    private final List<Augmentation> augmentations;

    /**
     * @param seed          seeds batching and augmentation (the run's seed, as the model's)
     * @param augmentations applied in order to every training batch
     */
    public TrainingLoop(TrainingSpec spec, long seed, List<Augmentation> augmentations) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.seed = seed;
        this.augmentations = List.copyOf(augmentations);
    }

    /** The loop of {@code spec} with its configured augmentation (Gaussian noise if set). */
    public static TrainingLoop of(TrainingSpec spec, long seed) {
        return new TrainingLoop(spec, seed, spec.noiseStd() > 0 ? List.of(new GaussianNoise(spec.noiseStd())) : List.of());
    }

    /**
     * Trains {@code model} on {@code train}, choosing the epoch by the loss on {@code validation}
     * (null or empty: every epoch runs and the last is kept). The test split never reaches this method.
     */
    public TrainingResult fit(SequenceModel model, SequenceDataset train, SequenceDataset validation, TrainingListener listener) {
        Objects.requireNonNull(model, "model");
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training set is empty");
        }
        boolean validate = validation != null && validation.size() > 0;
        TrainingListener sink = listener == null ? TrainingListener.NONE : listener;
        SplittableRandom master = new SplittableRandom(seed);
        SplittableRandom batching = master.split();
        SplittableRandom augmenting = master.split();

        int n = train.size();
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            lengths[i] = train.inputs().get(i).length;
        }
        BatchSchedule schedule = new BatchSchedule(lengths, spec.batchSize(), spec.lengthBuckets());
        float[] classWeights = ClassWeights.of(train.labels(), spec.classWeights());

        List<EpochMetrics> history = new ArrayList<>();
        Map<String, float[]> initial = model.parameters();
        Map<String, float[]> best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int sinceBest = 0;
        boolean stoppedEarly = false;
        for (int epoch = 1; epoch <= spec.maxEpochs(); epoch++) {
            long start = System.nanoTime();
            double lr = spec.learningRateAt(epoch);
            double lossSum = 0;
            double correctSum = 0;
            int steps = 0;
            int skipped = 0;
            for (int[] indices : schedule.epoch(batching)) {
                TrainingBatch batch = batch(train, indices, classWeights);
                for (Augmentation augmentation : augmentations) {
                    batch = augmentation.apply(batch, augmenting);
                }
                SequenceModel.StepResult step = model.trainStep(batch, lr);
                lossSum += step.loss() * indices.length;
                // An augmentation may step more sequences than it was given (mixup carries each twice).
                correctSum += step.correct() * (double) indices.length / batch.size();
                steps++;
                if (!step.applied()) {
                    skipped++;
                }
            }
            double trainLoss = lossSum / n;
            double trainAccuracy = correctSum / n;
            Map<String, float[]> values = model.parameters();
            boolean weightsFinite = allFinite(values);
            boolean diverged = !Double.isFinite(trainLoss) || skipped == steps || !weightsFinite;
            SequenceModel.Evaluation val = validate && weightsFinite ? model.evaluate(validation.inputs(), validation.labels())
                    : new SequenceModel.Evaluation(Double.NaN, Double.NaN);
            if (!validate) {
                // Nothing to choose by: the latest finite epoch is the one kept.
                if (!diverged) {
                    bestEpoch = epoch;
                    best = values;
                }
            } else if (!diverged && val.loss() < bestLoss) {
                bestLoss = val.loss();
                bestEpoch = epoch;
                best = values;
                sinceBest = 0;
            } else {
                sinceBest++;
            }
            EpochMetrics metrics = new EpochMetrics(epoch, trainLoss, trainAccuracy, val.loss(), val.accuracy(), lr,
                    (System.nanoTime() - start) / 1e9, steps - skipped);
            history.add(metrics);
            sink.onEpoch(metrics);
            if (diverged) {
                LOG.warn("training diverged in epoch {} (training loss {}, {} of {} steps skipped for a non-finite loss or"
                        + " gradient{}); stopping with {}", epoch, trainLoss, skipped, steps,
                        weightsFinite ? "" : ", non-finite weights",
                        bestEpoch > 0 ? "the weights of epoch " + bestEpoch : "the last finite weights");
                stoppedEarly = true;
                break;
            }
            if (skipped > 0) {
                LOG.warn("epoch {}: skipped {} of {} steps for a non-finite loss or gradient", epoch, skipped, steps);
            }
            if (validate && sinceBest >= spec.patience() && epoch < spec.maxEpochs()) {
                stoppedEarly = true;
                break;
            }
        }
        if (best != null && bestEpoch != history.size()) {
            model.setParameters(best);
        }
        if (bestEpoch == 0) {
            // The monitored loss was never finite: keep the last weights if they are finite (skipped
            // steps leave them so), else the initial ones; report the last epoch.
            if (!allFinite(model.parameters())) {
                model.setParameters(initial);
            }
            bestEpoch = history.size();
        }
        return new TrainingResult(history, bestEpoch, stoppedEarly);
    }

    private static TrainingBatch batch(SequenceDataset data, int[] indices, float[] classWeights) {
        List<float[][]> inputs = new ArrayList<>(indices.length);
        int[] labels = new int[indices.length];
        float[] weights = new float[indices.length];
        for (int k = 0; k < indices.length; k++) {
            inputs.add(data.inputs().get(indices[k]));
            labels[k] = data.labels()[indices[k]];
            weights[k] = classWeights[labels[k]];
        }
        return new TrainingBatch(inputs, labels, weights);
    }

    private static boolean allFinite(Map<String, float[]> values) {
        for (float[] a : values.values()) {
            for (float v : a) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }
}
