package ser.pipeline.predict;

import java.util.List;
import ser.api.AudioClip;

/**
 * Cuts a long recording into the stretches that are predicted one by one (fixed windows; an
 * energy-based voice-activity segmenter plugs in here too). Implementations are stateless.
 */
@FunctionalInterface
public interface Segmenter {

    /** Segments in time order; may be empty (e.g. silence only). */
    List<Segment> segments(AudioClip clip);
}
