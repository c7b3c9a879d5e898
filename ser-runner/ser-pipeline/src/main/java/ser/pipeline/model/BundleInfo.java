package ser.pipeline.model;

import ser.pipeline.normalize.Normalization;
import ser.pipeline.train.InputShape;
import ser.pipeline.train.Standardizer;

import java.util.List;
import java.util.Map;
import ser.api.ArchitectureSpec;
import ser.api.OptimizerSpec;
import ser.api.TrainingSpec;
import ser.pipeline.store.FeatureSchema;

/**
 * What {@code bundle.json} says about a trained model (see {@link ModelBundle} for the file).
 *
 * @param formatVersion   {@link ModelBundle#FORMAT_VERSION} when written
 * @param backend         provider name that trained and must load the weights
 * @param createdAt       ISO-8601 instant
 * @param versions        ser and Java versions that wrote it
 * @param architecture    the network
 * @param training        the training loop's settings
 * @param optimizer       Adam and clipping
 * @param seed            the run's seed
 * @param threads         compute threads at training time
 * @param backendSettings the backend's {@code ser.backends.<name>} block at training time, as JSON
 * @param input           input mode and frame cap
 * @param featureCount    width of every input frame
 * @param schema          feature schema the model was trained on, with its hash
 * @param scaler          standardization fitted on the training split
 * @param split           how the data was split
 * @param result          how training went
 * @param weights         files under {@code weights/}: relative path to size and SHA-256
 * @param normalization   the per-speaker (or per-corpus) normalization applied before the scaler
 */
public record BundleInfo(
        int formatVersion,
        String backend,
        String createdAt,
        Map<String, String> versions,
        ArchitectureSpec architecture,
        TrainingSpec training,
        OptimizerSpec optimizer,
        long seed,
        int threads,
        String backendSettings,
        InputShape input,
        int featureCount,
        FeatureSchema schema,
        Standardizer scaler,
        SplitInfo split,
        Result result,
        Map<String, FileDigest> weights,
        NormalizationInfo normalization) {

    public BundleInfo {
        versions = Map.copyOf(versions);
        weights = Map.copyOf(weights);
    }

    /**
     * @param mode     off, speaker or corpus
     * @param fallback the raw (not normalized) input statistics of the whole training part, for a
     *                 speaker too small to give their own (predict); null when mode is OFF
     */
    public record NormalizationInfo(Normalization mode, Standardizer fallback) {

        public static final NormalizationInfo OFF = new NormalizationInfo(Normalization.OFF, null);

        public NormalizationInfo {
            if (mode != Normalization.OFF && fallback == null) {
                throw new IllegalArgumentException("normalization " + mode.id() + " needs fallback statistics");
            }
        }
    }

    /**
     * @param kind               speaker or random
     * @param seed               seed of the assignment
     * @param testFraction       configured test share
     * @param validationFraction configured validation share
     * @param counts             utterances per part: train, validation, test
     */
    public record SplitInfo(String kind, long seed, double testFraction, double validationFraction, Map<String, Integer> counts,
            List<String> trainSpeakers, List<String> validationSpeakers, List<String> testSpeakers) {

        public SplitInfo {
            counts = Map.copyOf(counts);
            trainSpeakers = List.copyOf(trainSpeakers);
            validationSpeakers = List.copyOf(validationSpeakers);
            testSpeakers = List.copyOf(testSpeakers);
        }
    }

    /** @param seconds wall time of {@code fit} */
    public record Result(int epochsRun, int bestEpoch, boolean stoppedEarly, double seconds) {
    }

    public record FileDigest(long bytes, String sha256) {
    }

    public BundleInfo withWeights(Map<String, FileDigest> files) {
        return new BundleInfo(formatVersion, backend, createdAt, versions, architecture, training, optimizer, seed, threads,
                backendSettings, input, featureCount, schema, scaler, split, result, files, normalization);
    }
}
