package ser.pipeline.segment;

import ser.pipeline.audio.AudioLoader;
import ser.pipeline.audio.SampleSink;

/**
 * A recording delivered block by block (mono, at the loader's rate), as often as asked: voice
 * activity reads it twice, once to learn its noise floor and once to cut it, so that memory
 * never depends on its length.
 */
@FunctionalInterface
public interface AudioSource {

    /** Streams the whole recording into {@code sink}; returns the samples delivered. */
    long stream(SampleSink sink);

    /** A file (any format {@link AudioLoader} decodes; {@code archive.zip!/entry} too). */
    static AudioSource of(AudioLoader loader, String location, double maxSeconds) {
        return sink -> loader.stream(location, maxSeconds, sink);
    }

    /** A file held in memory (a request body). */
    static AudioSource of(AudioLoader loader, byte[] bytes, String label, double maxSeconds) {
        return sink -> loader.stream(bytes, label, maxSeconds, sink);
    }
}
