package ser.pipeline.predict;

import java.util.List;
import ser.api.AudioClip;
import ser.pipeline.BadInputException;
import ser.pipeline.extract.Extraction;
import ser.pipeline.extract.FeaturePipeline;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.train.Standardizer;

/**
 * The one path from decoded audio to probabilities: the bundle's features
 * ({@link FeaturePipeline#fromSchema}), shaped as the model was trained ({@code InputShape}),
 * standardized and predicted by the bundle. Whole files, segments of long recordings and
 * sliding windows of a live stream all go through here. Not thread-safe (the bundle's model is
 * not); the pipeline may be shared.
 */
public final class BundleScorer implements BatchScorer {

    private final ModelBundle bundle;
    private final FeaturePipeline pipeline;

    public BundleScorer(ModelBundle bundle, FeaturePipeline pipeline) {
        if (!bundle.schema().hash().equals(pipeline.schema().hash())) {
            throw new IllegalArgumentException("feature pipeline " + pipeline.schema().shortHash() + " does not match the model's "
                    + bundle.schema().shortHash());
        }
        this.bundle = bundle;
        this.pipeline = pipeline;
    }

    /** The bundle's features and model, with the configured minimum clip duration. */
    public static BundleScorer forBundle(ModelBundle bundle, ser.pipeline.plugins.PluginRegistry plugins, com.typesafe.config.Config config) {
        return new BundleScorer(bundle, pipelineFor(bundle, plugins, ser.pipeline.extract.ExtractSettings.minDuration(config)));
    }

    /** The bundle's own features with the given minimum duration. */
    public static FeaturePipeline pipelineFor(ModelBundle bundle, ser.pipeline.plugins.PluginRegistry plugins, double minDuration) {
        try {
            return FeaturePipeline.fromSchema(bundle.schema(), plugins, minDuration);
        } catch (BadInputException e) {
            // Name the bundle: it is what the user pointed at, and what must be retrained.
            throw new BadInputException(bundle.dir().resolve(ModelBundle.BUNDLE_JSON).toString(),
                    e.location() + ": " + e.problem(), e);
        }
    }

    public ModelBundle bundle() {
        return bundle;
    }

    /**
     * The model's input for one clip. The speaker of a clip is unknown here, so under speaker or
     * corpus normalization it is normalized with the bundle's fallback statistics. Thread-safe
     * (the feature pipeline is).
     */
    @Override
    public float[][] input(AudioClip clip, String where) {
        return input(bundle, bundle.input().features(pipeline, clip, where), where, bundle.info().normalization().fallback());
    }

    @Override
    public float[][] probabilities(List<float[][]> inputs) {
        return bundle.predict(inputs);
    }

    /**
     * The bundle's probabilities for one utterance's features: shaped as the model was trained,
     * normalized with {@code statistics} (the utterance's group's, or null when the bundle
     * normalizes nothing), standardized and predicted.
     */
    static float[] score(ModelBundle bundle, Extraction extraction, String where, Standardizer statistics) {
        return bundle.predict(List.<float[][]>of(input(bundle, extraction, where, statistics)))[0];
    }

    private static float[][] input(ModelBundle bundle, Extraction extraction, String where, Standardizer statistics) {
        float[][] shaped = shaped(bundle, extraction, where);
        return statistics == null ? shaped : statistics.apply(shaped);
    }

    /** The model's input for one utterance; a file with no frames or the wrong width fails here. */
    static float[][] shaped(ModelBundle bundle, Extraction extraction, String where) {
        float[][] shaped = bundle.input().of(extraction, bundle.schema().grid(), where);
        if (shaped[0].length != bundle.info().featureCount()) {
            throw new BadInputException(where, "features have " + shaped[0].length + " columns, the model "
                    + bundle.info().featureCount());
        }
        return shaped;
    }
}
