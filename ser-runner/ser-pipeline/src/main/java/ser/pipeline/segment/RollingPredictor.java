package ser.pipeline.segment;

import ser.pipeline.predict.ClipScorer;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import ser.api.AudioClip;
import ser.pipeline.audio.SampleSink;

/**
 * The rolling emotion of a live stream: every {@code hop} seconds, one prediction over the last
 * {@code window} seconds (the first once a whole window has arrived). Samples arrive in blocks
 * of any size (a microphone, a dispatcher, a socket). Not thread-safe.
 */
public final class RollingPredictor implements SampleSink {

    private final SlidingWindow windows;

    /**
     * @param label names the stream in errors
     * @param out   gets one {@link Segment} per window, its times from the start of the stream
     */
    public RollingPredictor(double windowS, double hopS, int sampleRate, ClipScorer scorer, String label, Consumer<Segment> out) {
        if (!(windowS > 0) || !(hopS > 0)) {
            throw new IllegalArgumentException("window and hop must be > 0 s, got " + windowS + ", " + hopS);
        }
        int window = (int) Math.max(1, Math.round(windowS * sampleRate));
        int hop = (int) Math.max(1, Math.round(hopS * sampleRate));
        this.windows = new SlidingWindow(window, hop, (x, n, start) -> {
            double from = start / (double) sampleRate;
            double to = (start + n) / (double) sampleRate;
            float[] p = scorer.probabilities(new AudioClip(Arrays.copyOf(x, n), sampleRate),
                    String.format(Locale.ROOT, "%s [%.2f-%.2f s]", label, from, to));
            out.accept(new Segment(from, to, p));
        });
    }

    @Override
    public void accept(float[] samples, int count) {
        windows.accept(samples, count);
    }
}
