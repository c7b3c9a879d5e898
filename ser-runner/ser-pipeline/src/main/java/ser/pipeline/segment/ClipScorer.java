package ser.pipeline.segment;

import com.typesafe.config.Config;
import java.util.List;
import ser.api.AudioClip;
import ser.pipeline.BadInputException;
import ser.pipeline.extract.Extraction;
import ser.pipeline.extract.FeaturePipeline;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.plugins.PluginRegistry;

/** Class probabilities for a piece of audio already decoded (a segment, a live window). */
@FunctionalInterface
public interface ClipScorer {

    /** @param label names the audio in errors, e.g. {@code talk.mp3 [12.50-15.00 s]} */
    float[] score(AudioClip clip, String label);

    /**
     * The bundle's features (its extractors and settings, {@link FeaturePipeline#fromSchema}) and
     * model, as {@code ser predict} computes them for a whole file. Not thread-safe (the model is not).
     */
    static ClipScorer forBundle(ModelBundle bundle, PluginRegistry plugins, Config config) {
        double minDuration = config.hasPath("ser.extract.min-duration-s") ? config.getDouble("ser.extract.min-duration-s")
                : FeaturePipeline.DEFAULT_MIN_DURATION_S;
        FeaturePipeline pipeline;
        try {
            pipeline = FeaturePipeline.fromSchema(bundle.schema(), plugins, minDuration);
        } catch (BadInputException e) {
            throw new BadInputException(bundle.dir().resolve(ModelBundle.BUNDLE_JSON).toString(), e.location() + ": " + e.problem(), e);
        }
        return (clip, label) -> {
            Extraction extraction = pipeline.extract(clip, label);
            float[][] shaped = bundle.input().of(extraction, label);
            return bundle.predict(List.<float[][]>of(shaped))[0];
        };
    }
}
