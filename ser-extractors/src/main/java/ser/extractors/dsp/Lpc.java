package ser.extractors.dsp;

/**
 * Linear prediction by the autocorrelation method: Levinson-Durbin recursion on
 * {@code r[0..order]} gives {@code a[0..order]} ({@code a[0] = 1}) of the all-pole model
 * {@code 1 / A(z)}, {@code A(z) = sum a[i] z^-i}.
 */
public final class Lpc {

    private Lpc() {
    }

    /** Autocorrelation {@code r[l] = sum_i x[i] x[i + l]}, {@code l <= order}, of {@code x[0..n)}. */
    public static void autocorrelation(double[] x, int n, double[] r, int order) {
        for (int l = 0; l <= order; l++) {
            double s = 0.0;
            for (int i = 0; i + l < n; i++) {
                s += x[i] * x[i + l];
            }
            r[l] = s;
        }
    }

    /**
     * Levinson-Durbin: predictor {@code a[0..order]} from {@code r[0..order]} ({@code r[0] > 0});
     * {@code scratch} has at least {@code order + 1} values. Returns the prediction error.
     */
    public static double levinson(double[] r, int order, double[] a, double[] scratch) {
        java.util.Arrays.fill(a, 0, order + 1, 0.0);
        a[0] = 1.0;
        double e = r[0];
        for (int i = 1; i <= order; i++) {
            double acc = 0.0;
            for (int j = 0; j < i; j++) {
                acc += a[j] * r[i - j];
            }
            double k = -acc / e;
            System.arraycopy(a, 0, scratch, 0, i + 1);
            for (int j = 1; j < i; j++) {
                a[j] = scratch[j] + k * scratch[i - j];
            }
            a[i] = k;
            e *= 1.0 - k * k;
        }
        return e;
    }
}
