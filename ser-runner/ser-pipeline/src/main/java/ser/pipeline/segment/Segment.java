package ser.pipeline.segment;

import ser.api.Emotion;
import ser.pipeline.report.Metrics;

/**
 * One predicted stretch of a recording.
 *
 * @param start         seconds from the start of the recording
 * @param end           seconds from the start of the recording (exclusive)
 * @param probabilities the eight class probabilities, by {@link Emotion#index()}
 */
public record Segment(double start, double end, float[] probabilities) {

    public Emotion emotion() {
        return Emotion.ofIndex(Metrics.argmax(probabilities));
    }
}
