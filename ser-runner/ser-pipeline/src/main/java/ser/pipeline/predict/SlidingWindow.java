package ser.pipeline.predict;

import java.util.ArrayList;
import java.util.List;
import ser.api.AudioClip;
import ser.pipeline.audio.Resampler;
import ser.pipeline.audio.SampleBuffer;

/**
 * A live stream cut into overlapping windows: samples arrive in chunks of any size at the
 * source's rate, are resampled as they arrive (the same band-limited {@link Resampler} as file
 * decoding, run incrementally) into a ring buffer holding the latest window at the model's rate,
 * and every {@code hop} samples, once a whole window is there, the latest window is handed out.
 * Memory is one window whatever the stream's length. Not thread-safe: one per stream.
 */
public final class SlidingWindow {

    /** The latest {@code window} samples, ending {@code end} samples into the stream. */
    public record Window(long start, long end, int sampleRate, AudioClip clip) {

        public double startSeconds() {
            return start / (double) sampleRate;
        }

        public double endSeconds() {
            return end / (double) sampleRate;
        }
    }

    private final int rate;
    private final int window;
    private final int hop;
    private final Resampler resampler;
    private final float[] ring;
    /** Samples at the model's rate received so far. */
    private long total;
    private long nextEnd;

    /**
     * @param sourceRate    rate of the incoming samples
     * @param modelRate     rate the features need
     * @param windowSeconds length of each window
     * @param hopSeconds    a window every this much audio, once the first window is full
     */
    public SlidingWindow(int sourceRate, int modelRate, double windowSeconds, double hopSeconds) {
        if (!(windowSeconds > 0) || !(hopSeconds > 0) || hopSeconds > windowSeconds) {
            throw new IllegalArgumentException("need 0 < hop <= window, got window " + windowSeconds + " s, hop " + hopSeconds + " s");
        }
        this.rate = modelRate;
        this.window = Math.max(1, (int) Math.round(windowSeconds * modelRate));
        this.hop = Math.max(1, (int) Math.round(hopSeconds * modelRate));
        this.resampler = sourceRate == modelRate ? null : new Resampler(sourceRate, modelRate);
        this.ring = new float[window];
        this.nextEnd = window;
    }

    public int windowSamples() {
        return window;
    }

    public int hopSamples() {
        return hop;
    }

    /** Seconds of audio received so far, at the model's rate. */
    public double receivedSeconds() {
        return total / (double) rate;
    }

    /** Appends {@code length} mono samples in [-1, 1]; returns the windows they complete, oldest first. */
    public List<Window> feed(float[] samples, int offset, int length) {
        float[] converted;
        int n;
        if (resampler == null) {
            converted = samples;
            n = length;
        } else {
            SampleBuffer out = SampleBuffer.growing(Resampler.outputLength(length, resampler.inRate(), rate) + 64, "stream", true);
            resampler.process(samples, offset, length, out);
            converted = out.toArray();
            n = converted.length;
            offset = 0;
        }
        List<Window> due = new ArrayList<>(2);
        for (int i = 0; i < n; i++) {
            float v = converted[offset + i];
            ring[(int) (total % window)] = v > 1f ? 1f : v < -1f ? -1f : v;
            total++;
            if (total == nextEnd) {
                due.add(latest());
                nextEnd += hop;
            }
        }
        return due;
    }

    private Window latest() {
        float[] x = new float[window];
        int head = (int) (total % window); // oldest sample of the full ring
        System.arraycopy(ring, head, x, 0, window - head);
        System.arraycopy(ring, 0, x, window - head, head);
        return new Window(total - window, total, rate, new AudioClip(x, rate));
    }
}
