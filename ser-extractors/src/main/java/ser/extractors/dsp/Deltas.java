package ser.extractors.dsp;

/**
 * Time derivatives of feature trajectories with {@code librosa.feature.delta} semantics
 * ({@code scipy.signal.savgol_filter(x, width, polyorder=order, deriv=order, mode='interp')}):
 * in the interior, the order-th derivative of the least-squares polynomial of degree
 * {@code order} fitted over {@code width} frames centred on the frame; at each end, the same
 * polynomial fitted to the first (last) {@code width} frames, whose order-th derivative is
 * constant, so the first/last {@code width/2} frames repeat the nearest interior value.
 *
 * <p>librosa rejects trajectories shorter than {@code width}; here the window shrinks to the
 * largest odd length that fits (at least 3), and trajectories of fewer than 3 frames get 0.
 */
public final class Deltas {

    private Deltas() {
    }

    /** Savitzky-Golay coefficients {@code c[k + h]}, {@code k = -h..h}, for derivative {@code order}. */
    public static double[] coefficients(int width, int order) {
        int h = width / 2;
        double[] c = new double[width];
        if (order == 1) {
            double s2 = 0.0;
            for (int k = -h; k <= h; k++) {
                s2 += (double) k * k;
            }
            for (int k = -h; k <= h; k++) {
                c[k + h] = k / s2;
            }
        } else if (order == 2) {
            double s2 = 0.0;
            double s4 = 0.0;
            for (int k = -h; k <= h; k++) {
                double k2 = (double) k * k;
                s2 += k2;
                s4 += k2 * k2;
            }
            double mean = s2 / width;
            double denom = s4 - s2 * s2 / width;
            for (int k = -h; k <= h; k++) {
                c[k + h] = 2.0 * ((double) k * k - mean) / denom;
            }
        } else {
            throw new IllegalArgumentException("delta order must be 1 or 2, got " + order);
        }
        return c;
    }

    /**
     * {@code out[t][outCol + j] = delta of in[t][j]} for {@code j < dims}, {@code t < frames}.
     * {@code in} is {@code in[t * dims + j]} (row-major).
     */
    public static void apply(double[] in, int frames, int dims, int width, int order,
                             float[][] out, int outCol) {
        int w = Math.min(width, frames % 2 == 1 ? frames : frames - 1);
        if (w < 3) {
            for (int t = 0; t < frames; t++) {
                for (int j = 0; j < dims; j++) {
                    out[t][outCol + j] = 0f;
                }
            }
            return;
        }
        double[] c = coefficients(w, order);
        int h = w / 2;
        for (int t = h; t < frames - h; t++) {
            for (int j = 0; j < dims; j++) {
                double acc = 0.0;
                for (int k = -h; k <= h; k++) {
                    acc += c[k + h] * in[(t + k) * dims + j];
                }
                out[t][outCol + j] = (float) acc;
            }
        }
        for (int t = 0; t < h; t++) {
            System.arraycopy(out[h], outCol, out[t], outCol, dims);
        }
        for (int t = frames - h; t < frames; t++) {
            System.arraycopy(out[frames - h - 1], outCol, out[t], outCol, dims);
        }
    }
}
