package ser.extractors.dsp;

/** Twiddle tables {@code cos(2 pi k / n)}, {@code sin(2 pi k / n)} built from one quarter wave. */
final class Twiddles {

    private Twiddles() {
    }

    /** Fills {@code cos[k], sin[k]} for {@code k < cos.length <= n / 2 + 1}. */
    static void fill(int n, double[] cos, double[] sin) {
        int len = cos.length;
        if (n % 4 != 0) {
            for (int k = 0; k < len; k++) {
                double a = 2.0 * Math.PI * k / n;
                cos[k] = Math.cos(a);
                sin[k] = Math.sin(a);
            }
            return;
        }
        int q = n / 4;
        double[] quarter = new double[q + 1];
        for (int k = 0; k <= q; k++) {
            quarter[k] = Math.cos(2.0 * Math.PI * k / n);
        }
        quarter[q] = 0.0;
        for (int k = 0; k < len; k++) {
            if (k <= q) {
                cos[k] = quarter[k];
                sin[k] = quarter[q - k];
            } else {
                cos[k] = -quarter[2 * q - k];
                sin[k] = quarter[k - q];
            }
        }
    }
}
