package ser.pipeline.predict;

import java.util.ArrayList;
import java.util.List;

/**
 * Live prediction: PCM chunks in, one prediction per hop out, each on the latest window
 * ({@link SlidingWindow}) scored by the same features and model as whole files
 * ({@link ClipScorer}, e.g. {@link BundleScorer}). Not thread-safe: one per stream.
 */
public final class StreamingPredictor {

    /** Probabilities of the window {@code [start, end)} seconds into the stream. */
    public record WindowPrediction(double startSeconds, double endSeconds, float[] probabilities) {
    }

    private final SlidingWindow windows;
    private final ClipScorer scorer;

    public StreamingPredictor(SlidingWindow windows, ClipScorer scorer) {
        this.windows = windows;
        this.scorer = scorer;
    }

    public SlidingWindow windows() {
        return windows;
    }

    /** Feeds samples in [-1, 1]; returns the predictions of the windows they complete. */
    public List<WindowPrediction> feed(float[] samples, int offset, int length) {
        List<WindowPrediction> out = new ArrayList<>(1);
        for (SlidingWindow.Window w : windows.feed(samples, offset, length)) {
            String where = String.format(java.util.Locale.ROOT, "stream window %.2f-%.2f s", w.startSeconds(), w.endSeconds());
            out.add(new WindowPrediction(w.startSeconds(), w.endSeconds(), scorer.probabilities(w.clip(), where)));
        }
        return out;
    }

    /** Decodes little-endian 16-bit PCM or float32 mono bytes to samples in [-1, 1]. */
    public static float[] decode(java.nio.ByteBuffer bytes, PcmFormat format) {
        java.nio.ByteBuffer b = bytes.slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int n = b.remaining() / format.bytes();
        if (n * format.bytes() != b.remaining()) {
            throw new IllegalArgumentException("chunk of " + b.remaining() + " bytes is not a whole number of "
                    + format.id() + " samples");
        }
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            float v = format == PcmFormat.PCM16 ? b.getShort() / 32768f : b.getFloat();
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("sample " + i + " is not a finite number");
            }
            x[i] = v;
        }
        return x;
    }

    /** Sample formats a stream may declare. */
    public enum PcmFormat {
        PCM16("pcm16", 2), FLOAT32("float32", 4);

        private final String id;
        private final int bytes;

        PcmFormat(String id, int bytes) {
            this.id = id;
            this.bytes = bytes;
        }

        public String id() {
            return id;
        }

        public int bytes() {
            return bytes;
        }

        public static PcmFormat ofId(String id) {
            for (PcmFormat f : values()) {
                if (f.id.equals(id)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("format must be pcm16 or float32, got '" + id + "'");
        }
    }
}
