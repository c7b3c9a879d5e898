package ser.pipeline.predict;

import ser.api.Emotion;
import ser.pipeline.report.Metrics;

/**
 * One file's prediction.
 *
 * @param file          the input as given (a path, or {@code archive.zip!/entry})
 * @param probabilities by class index ({@link Emotion#index()})
 */
public record Prediction(String file, float[] probabilities) {

    /** The most probable emotion. */
    public Emotion emotion() {
        return Emotion.ofIndex(Metrics.argmax(probabilities));
    }
}
