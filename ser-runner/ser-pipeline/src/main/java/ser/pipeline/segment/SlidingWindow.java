package ser.pipeline.segment;

/**
 * Cuts a sample stream into windows of {@code window} samples starting every {@code hop}
 * samples (overlapping when hop &lt; window, with gaps when hop &gt; window), keeping only one
 * window in memory. Used for fixed-window segments and for the rolling live prediction.
 * Not thread-safe.
 */
public final class SlidingWindow {

    /** Receives one window; the array is reused after the call. */
    @FunctionalInterface
    public interface Sink {
        /** @param start index of the window's first sample in the stream */
        void window(float[] samples, int count, long start);
    }

    private final int window;
    private final int hop;
    private final float[] buffer;
    private final Sink sink;
    private int filled;
    /** Stream index of buffer[0]. */
    private long start;
    /** Samples still to drop before the next window starts (hop &gt; window). */
    private long skip;
    /** Whether buffer holds samples not yet part of an emitted window. */
    private boolean fresh;

    public SlidingWindow(int window, int hop, Sink sink) {
        if (window <= 0 || hop <= 0) {
            throw new IllegalArgumentException("window and hop must be positive, got " + window + ", " + hop);
        }
        this.window = window;
        this.hop = hop;
        this.buffer = new float[window];
        this.sink = sink;
    }

    public void accept(float[] samples, int count) {
        int i = 0;
        while (i < count) {
            if (skip > 0) {
                int n = (int) Math.min(skip, count - i);
                skip -= n;
                start += n;
                i += n;
                continue;
            }
            int n = Math.min(window - filled, count - i);
            System.arraycopy(samples, i, buffer, filled, n);
            filled += n;
            i += n;
            fresh = true;
            if (filled == window) {
                sink.window(buffer, window, start);
                fresh = false;
                if (hop < window) {
                    System.arraycopy(buffer, hop, buffer, 0, window - hop);
                    filled = window - hop;
                    start += hop;
                } else {
                    filled = 0;
                    skip = hop - window; // start advances as the skipped samples go by
                    start += window;
                }
            }
        }
    }

    /**
     * Ends the stream: emits the last, shorter window when it holds samples no window covered
     * yet and at least {@code minCount} samples.
     */
    public void finish(int minCount) {
        if (fresh && filled >= minCount && filled > 0) {
            sink.window(buffer, filled, start);
        }
        fresh = false;
    }
}
