package ser.extractors.dsp;

import ser.api.AudioClip;

/** Small signal utilities shared by the extractors. */
public final class Signals {

    private Signals() {
    }

    /** Analysis key of {@link #finite(AudioClip)}: the clip's finite samples. */
    private enum FiniteKey { INSTANCE }

    /**
     * {@link #finite(float[])} of the clip's samples, checked once per clip and shared by every
     * extractor through the clip's analysis memo (the scan is a branch per sample, and each of the
     * default extractors would otherwise repeat it). Read-only for every caller.
     */
    public static float[] finite(AudioClip clip) {
        return clip.analysis(FiniteKey.INSTANCE, c -> finite(c.samples()));
    }

    /**
     * The samples themselves when all are finite, else a copy with NaN/infinite samples replaced
     * by 0, so that no extractor can emit NaN or infinity whatever the decoder produced.
     */
    public static float[] finite(float[] x) {
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                float[] y = x.clone();
                for (int j = i; j < y.length; j++) {
                    if (!Float.isFinite(y[j])) {
                        y[j] = 0f;
                    }
                }
                return y;
            }
        }
        return x;
    }

    /** {@code x[start + i]} for {@code i < n} into {@code dest}, zeros outside {@code [0, len)}. */
    public static void window(double[] x, int len, int start, double[] dest, int n) {
        int from = Math.max(0, -start);
        int to = Math.min(n, len - start);
        for (int i = 0; i < n; i++) {
            dest[i] = 0.0;
        }
        for (int i = from; i < to; i++) {
            dest[i] = x[start + i];
        }
    }

    /** As {@link #window(double[], int, int, double[], int)} from float samples. */
    public static void window(float[] x, int start, double[] dest, int n) {
        int len = x.length;
        int from = Math.max(0, -start);
        int to = Math.min(n, len - start);
        for (int i = 0; i < Math.min(from, n); i++) {
            dest[i] = 0.0;
        }
        for (int i = from; i < to; i++) {
            dest[i] = x[start + i];
        }
        for (int i = Math.max(to, from); i < n; i++) {
            dest[i] = 0.0;
        }
    }
}
