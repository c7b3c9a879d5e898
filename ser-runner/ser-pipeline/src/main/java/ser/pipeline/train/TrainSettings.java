package ser.pipeline.train;

import static ser.pipeline.config.Setting.read;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Locale;
import ser.api.ArchitectureSpec;
import ser.api.Emotion;
import ser.api.ModelContext;
import ser.api.OptimizerSpec;
import ser.api.TrainingSpec;
import ser.pipeline.UsageException;
import ser.api.StrictNumbers;
import ser.pipeline.normalize.Normalization;

/**
 * Everything {@code ser.model.architecture} and {@code ser.train} say, checked: a bad value is a
 * {@link UsageException} naming its key.
 *
 * @param backend            provider name ({@code ser.train.backend})
 * @param architecture       the network ({@code ser.model.architecture})
 * @param training           how the training loop trains ({@code ser.train})
 * @param optimizer          Adam and clipping, for every backend ({@code ser.train.adam},
 *                           {@code ser.train.clip-norm})
 * @param seed               seeds the split, the model (initialization, dropout) and the loop
 *                           (shuffling, augmentation) ({@code ser.train.seed})
 * @param threads            compute threads for the backend ({@code ser.train.threads}, 0 = all
 *                           cores)
 * @param split              {@code speaker} or {@code random} ({@code ser.train.split})
 * @param testFraction       share of utterances for the test part
 * @param validationFraction share of the remaining utterances for early stopping; 0 = no
 *                           validation part (every non-test utterance trains, no early stopping)
 * @param input              sequence or utterance-vector input, its step and its length cap
 * @param augment            masks and mixup of training batches ({@code ser.train.augment})
 * @param normalization      per-speaker, per-corpus or no normalization before the scaler
 *                           ({@code ser.train.normalization})
 */
public record TrainSettings(
        String backend,
        ArchitectureSpec architecture,
        TrainingSpec training,
        OptimizerSpec optimizer,
        long seed,
        int threads,
        SplitKind split,
        double testFraction,
        double validationFraction,
        InputShape input,
        AugmentSettings augment,
        Normalization normalization) {

    public static final String ARCHITECTURE = "ser.model.architecture";
    public static final String TRAIN = "ser.train";

    /** How utterances are divided into train, validation and test. */
    public enum SplitKind {
        /** No speaker in two parts. */
        SPEAKER,
        /** Utterance by utterance: speakers overlap, scores are optimistic. */
        RANDOM;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static TrainSettings from(Config config) {
        Config t = config.getConfig(TRAIN);
        String backend = read(TRAIN + ".backend", () -> t.getString("backend")).trim();
        if (backend.isEmpty()) {
            throw new UsageException(TRAIN + ".backend: must name a backend");
        }
        SplitKind split = switch (read(TRAIN + ".split", () -> t.getString("split")).trim().toLowerCase(Locale.ROOT)) {
            case "speaker" -> SplitKind.SPEAKER;
            case "random" -> SplitKind.RANDOM;
            default -> throw new UsageException(TRAIN + ".split: must be speaker or random, got '" + t.getString("split") + "'");
        };
        double test = fraction(t, "test-fraction");
        double validation = read(TRAIN + ".validation-fraction", () -> t.getDouble("validation-fraction"));
        if (!(validation == 0 || validation > 0 && validation < 1)) {
            throw new UsageException(TRAIN + ".validation-fraction: must be 0 (no validation part) or between 0 and 1 "
                    + "(exclusive), got " + validation);
        }
        InputShape.Mode mode = switch (read(TRAIN + ".input", () -> t.getString("input")).trim().toLowerCase(Locale.ROOT)) {
            case "sequence" -> InputShape.Mode.SEQUENCE;
            case "utterance" -> InputShape.Mode.UTTERANCE;
            default -> throw new UsageException(TRAIN + ".input: must be sequence or utterance, got '" + t.getString("input") + "'");
        };
        double frameStep = read(TRAIN + ".frame-step-s", () -> t.getDouble("frame-step-s"));
        if (!(frameStep >= 0) || Double.isInfinite(frameStep)) {
            throw new UsageException(TRAIN + ".frame-step-s: must be >= 0 s (0 = one step per grid frame), got " + frameStep);
        }
        double maxDuration = read(TRAIN + ".max-duration-s", () -> t.getDouble("max-duration-s"));
        if (!(maxDuration >= 0) || Double.isInfinite(maxDuration)) {
            throw new UsageException(TRAIN + ".max-duration-s: must be >= 0 s (0 = no cap), got " + maxDuration);
        }
        long seed = read(TRAIN + ".seed", () -> StrictNumbers.getLong(t, "seed"));
        return new TrainSettings(backend, architecture(config), training(config), optimizer(config), seed, threads(config), split,
                test, validation, new InputShape(mode, frameStep, maxDuration), AugmentSettings.from(config),
                Normalization.parse(read(Normalization.KEY, () -> t.getString("normalization")), Normalization.KEY));
    }

    /** {@code ser.model.architecture}, with {@link Emotion#COUNT} classes. */
    public static ArchitectureSpec architecture(Config config) {
        Config a = read(ARCHITECTURE, () -> config.getConfig(ARCHITECTURE));
        int units = positive(a, "gru.units");
        int layers = positive(a, "gru.layers");
        boolean bidirectional = read(ARCHITECTURE + ".gru.bidirectional", () -> a.getBoolean("gru.bidirectional"));
        boolean gruBatchNorm = read(ARCHITECTURE + ".gru.batch-norm", () -> a.getBoolean("gru.batch-norm"));
        List<Integer> residual = read(ARCHITECTURE + ".gru.residual", () -> StrictNumbers.getIntList(a, "gru.residual"));
        for (int layer : residual) {
            if (layer < 2 || layer > layers) {
                throw new UsageException(ARCHITECTURE + ".gru.residual: layer " + layer + " must be in 2.." + layers
                        + " (layer 1's input is the features, of another width)");
            }
        }
        List<Double> dropout = read(ARCHITECTURE + ".gru.dropout", () -> a.getDoubleList("gru.dropout"));
        if (dropout.size() != layers) {
            throw new UsageException(ARCHITECTURE + ".gru.dropout: needs one value per GRU layer (" + layers + "), got "
                    + dropout.size());
        }
        for (double d : dropout) {
            rate(ARCHITECTURE + ".gru.dropout", d);
        }
        int heads = read(ARCHITECTURE + ".attention.heads", () -> StrictNumbers.getInt(a, "attention.heads"));
        if (heads < 0) {
            throw new UsageException(ARCHITECTURE + ".attention.heads: must be >= 0 (0 = no self-attention), got " + heads);
        }
        int keyDim = read(ARCHITECTURE + ".attention.key-dim", () -> StrictNumbers.getInt(a, "attention.key-dim"));
        if (heads > 0 && keyDim <= 0) {
            throw new UsageException(ARCHITECTURE + ".attention.key-dim: must be positive when heads > 0, got " + keyDim);
        }
        int pooling = positive(a, "pooling.units");
        List<Integer> dense = read(ARCHITECTURE + ".dense.units", () -> StrictNumbers.getIntList(a, "dense.units"));
        for (int d : dense) {
            if (d <= 0) {
                throw new UsageException(ARCHITECTURE + ".dense.units: every value must be positive, got " + d);
            }
        }
        double l2 = read(ARCHITECTURE + ".dense.l2", () -> a.getDouble("dense.l2"));
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new UsageException(ARCHITECTURE + ".dense.l2: must be >= 0, got " + l2);
        }
        boolean denseBatchNorm = read(ARCHITECTURE + ".dense.batch-norm", () -> a.getBoolean("dense.batch-norm"));
        double denseDropout = rate(ARCHITECTURE + ".dense.dropout", read(ARCHITECTURE + ".dense.dropout",
                () -> a.getDouble("dense.dropout")));
        try {
            return new ArchitectureSpec(units, layers, bidirectional, gruBatchNorm, residual, dropout, heads, keyDim, pooling,
                    dense, l2, denseBatchNorm, denseDropout, Emotion.COUNT);
        } catch (IllegalArgumentException e) {
            throw new UsageException(ARCHITECTURE + ": " + e.getMessage(), e);
        }
    }

    /** {@code ser.train}'s settings of the training loop. */
    public static TrainingSpec training(Config config) {
        Config t = read(TRAIN, () -> config.getConfig(TRAIN));
        int batch = positive(t, "batch-size", TRAIN);
        int epochs = positive(t, "epochs", TRAIN);
        double lr = read(TRAIN + ".learning-rate", () -> t.getDouble("learning-rate"));
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new UsageException(TRAIN + ".learning-rate: must be positive, got " + lr);
        }
        int patience = positive(t, "patience", TRAIN);
        double decay = read(TRAIN + ".lr-decay", () -> t.getDouble("lr-decay"));
        if (!(decay > 0) || decay > 1) {
            throw new UsageException(TRAIN + ".lr-decay: must be in (0, 1] (1 disables), got " + decay);
        }
        int decayStart = read(TRAIN + ".lr-decay-start-epoch", () -> StrictNumbers.getInt(t, "lr-decay-start-epoch"));
        if (decayStart < 0) {
            throw new UsageException(TRAIN + ".lr-decay-start-epoch: must be >= 0, got " + decayStart);
        }
        double noise = read(TRAIN + ".noise-std", () -> t.getDouble("noise-std"));
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new UsageException(TRAIN + ".noise-std: must be >= 0 (0 disables), got " + noise);
        }
        boolean buckets = read(TRAIN + ".length-buckets", () -> t.getBoolean("length-buckets"));
        TrainingSpec.ClassWeights weights = switch (read(TRAIN + ".class-weights", () -> t.getString("class-weights")).trim()
                .toLowerCase(Locale.ROOT)) {
            case "none" -> TrainingSpec.ClassWeights.NONE;
            case "balanced" -> TrainingSpec.ClassWeights.BALANCED;
            default -> throw new UsageException(TRAIN + ".class-weights: must be none or balanced, got '"
                    + t.getString("class-weights") + "'");
        };
        return new TrainingSpec(batch, epochs, lr, patience, decay, decayStart, noise, buckets, weights);
    }

    /** {@code ser.train.adam} and {@code ser.train.clip-norm}: the optimizer of every backend. */
    public static OptimizerSpec optimizer(Config config) {
        Config t = read(TRAIN, () -> config.getConfig(TRAIN));
        double clip = read(TRAIN + ".clip-norm", () -> t.getDouble("clip-norm"));
        if (!(clip >= 0) || Double.isInfinite(clip)) {
            throw new UsageException(TRAIN + ".clip-norm: must be >= 0 (0 disables), got " + clip);
        }
        double beta1 = read(TRAIN + ".adam.beta1", () -> t.getDouble("adam.beta1"));
        double beta2 = read(TRAIN + ".adam.beta2", () -> t.getDouble("adam.beta2"));
        double epsilon = read(TRAIN + ".adam.epsilon", () -> t.getDouble("adam.epsilon"));
        try {
            return new OptimizerSpec(beta1, beta2, epsilon, clip);
        } catch (IllegalArgumentException e) {
            throw new UsageException(TRAIN + ".adam: " + e.getMessage(), e);
        }
    }

    /** Whether the training side keeps a validation part ({@code ser.train.validation-fraction} > 0). */
    public boolean validates() {
        return validationFraction > 0;
    }

    /** What the backend builds a model from: this run's architecture, optimizer, seed and threads. */
    public ModelContext modelContext(int featureCount, Config backendSettings) {
        return new ModelContext(architecture, featureCount, optimizer, seed, threads, backendSettings);
    }

    /**
     * The training loop of these settings, seeded by {@link #seed()}, with its augmentations
     * (noise, masks, mixup).
     *
     * @param grid the features' frame grid, which sets the seconds per model step
     */
    public TrainingLoop loop(ser.api.FrameGrid grid) {
        double step = input.mode() == InputShape.Mode.UTTERANCE ? 1 : input.stepSeconds(grid);
        return new TrainingLoop(training, seed, augment.augmentations(training.noiseStd(), step));
    }

    /** {@code ser.train.threads}, with 0 meaning every core. */
    public static int threads(Config config) {
        int threads = read(TRAIN + ".threads", () -> StrictNumbers.getInt(config, TRAIN + ".threads"));
        if (threads < 0) {
            throw new UsageException(TRAIN + ".threads: must be >= 0 (0 = all cores), got " + threads);
        }
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    /** The backend's own block {@code ser.backends.<name>}, or empty. */
    public static Config backendSettings(Config config, String backend) {
        String path = com.typesafe.config.ConfigUtil.joinPath("ser", "backends", backend);
        return config.hasPath(path) ? config.getConfig(path) : ConfigFactory.empty();
    }

    /** The same settings with another backend. */
    public TrainSettings withBackend(String name) {
        return new TrainSettings(name, architecture, training, optimizer, seed, threads, split, testFraction, validationFraction,
                input, augment, normalization);
    }

    /** The same settings with at most {@code epochs} epochs. */
    public TrainSettings withMaxEpochs(int epochs) {
        return new TrainSettings(backend, architecture, training.withMaxEpochs(epochs), optimizer, seed, threads, split,
                testFraction, validationFraction, input, augment, normalization);
    }

    /** The same settings with another normalization. */
    public TrainSettings withNormalization(Normalization mode) {
        return new TrainSettings(backend, architecture, training, optimizer, seed, threads, split, testFraction,
                validationFraction, input, augment, mode);
    }

    private static double fraction(Config t, String key) {
        double f = read(TRAIN + "." + key, () -> t.getDouble(key));
        if (!(f > 0 && f < 1)) {
            throw new UsageException(TRAIN + "." + key + ": must be between 0 and 1 (exclusive), got " + f);
        }
        return f;
    }

    private static int positive(Config c, String key) {
        return positive(c, key, ARCHITECTURE);
    }

    private static int positive(Config c, String key, String block) {
        int v = read(block + "." + key, () -> StrictNumbers.getInt(c, key));
        if (v <= 0) {
            throw new UsageException(block + "." + key + ": must be a positive integer, got " + v);
        }
        return v;
    }

    private static double rate(String key, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new UsageException(key + ": must be in [0, 1), got " + v);
        }
        return v;
    }

}
