package ser.pipeline.predict;

import com.typesafe.config.Config;
import ser.api.AudioClip;
import ser.pipeline.BadInputException;
import ser.pipeline.audio.AudioLoader;
import ser.pipeline.extract.Extraction;
import ser.pipeline.extract.ExtractSettings;
import ser.pipeline.extract.FeaturePipeline;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.plugins.PluginRegistry;
import ser.pipeline.store.FeatureSchema;
import ser.pipeline.train.InputShape;

/**
 * Decoding and features for one bundle, built once and reused by every call of a warm predict
 * path: the loader and the extractor instances (with their scratch buffers, one set per thread,
 * see {@link FeaturePipeline}) are created here, never per file. Only the features the bundle's
 * model reads are computed ({@link InputShape#features}: frames alone for a sequence model).
 */
public record AudioFeaturizer(AudioLoader loader, FeaturePipeline pipeline, InputShape input) implements Predictor.Featurizer {

    /**
     * Decodes at the bundle's feature sample rate and computes the bundle's features with the
     * extractors and settings its schema names ({@link FeaturePipeline#fromSchema}, which refuses
     * extractors whose schema hash differs).
     */
    public static AudioFeaturizer forBundle(ModelBundle bundle, PluginRegistry plugins, Config config) {
        FeatureSchema schema = bundle.schema();
        AudioLoader loader = AudioLoader.atRate(schema.grid().sampleRate(), config);
        double minDuration = ExtractSettings.minDuration(config);
        try {
            return new AudioFeaturizer(loader, FeaturePipeline.fromSchema(schema, plugins, minDuration), bundle.input());
        } catch (BadInputException e) {
            // Name the bundle: it is what the user pointed at, and what must be retrained.
            throw new BadInputException(bundle.dir().resolve(ModelBundle.BUNDLE_JSON).toString(),
                    e.location() + ": " + e.problem(), e);
        }
    }

    /** Stage 1: the file decoded, down-mixed and resampled. */
    public AudioClip decode(String location) {
        return loader.load(location);
    }

    /** Stage 2: the bundle's features of a decoded clip (frames only for a sequence model). */
    public Extraction features(AudioClip clip, String location) {
        return input.features(pipeline, clip, location);
    }

    @Override
    public Extraction extract(String location) {
        return features(decode(location), location);
    }
}
