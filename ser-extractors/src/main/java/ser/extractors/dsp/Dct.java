package ser.extractors.dsp;

/**
 * Orthonormal DCT-II restricted to the first {@code nOut} coefficients, as
 * {@code scipy.fftpack.dct(x, type=2, norm='ortho')[:nOut]}:
 * {@code y[k] = s_k sum_n x[n] cos(pi k (2n + 1) / (2N))}, {@code s_0 = sqrt(1/N)},
 * {@code s_k = sqrt(2/N)}. Precomputed matrix; O(nOut * N) per call.
 */
public final class Dct {

    private final int nIn;
    private final int nOut;
    private final double[] matrix; // row-major nOut x nIn

    public Dct(int nIn, int nOut) {
        if (nOut > nIn) {
            throw new IllegalArgumentException("DCT output size " + nOut + " exceeds input size " + nIn);
        }
        this.nIn = nIn;
        this.nOut = nOut;
        matrix = new double[nOut * nIn];
        for (int k = 0; k < nOut; k++) {
            double s = k == 0 ? Math.sqrt(1.0 / nIn) : Math.sqrt(2.0 / nIn);
            for (int n = 0; n < nIn; n++) {
                matrix[k * nIn + n] = s * Math.cos(Math.PI * k * (2 * n + 1) / (2.0 * nIn));
            }
        }
    }

    public void apply(double[] in, int inOffset, double[] out) {
        final double[] mat = matrix;
        final int n4 = nIn & ~3;
        for (int k = 0; k < nOut; k++) {
            // four partial sums: independent dependency chains
            double a0 = 0.0;
            double a1 = 0.0;
            double a2 = 0.0;
            double a3 = 0.0;
            int row = k * nIn;
            int n = 0;
            for (; n < n4; n += 4) {
                a0 += mat[row + n] * in[inOffset + n];
                a1 += mat[row + n + 1] * in[inOffset + n + 1];
                a2 += mat[row + n + 2] * in[inOffset + n + 2];
                a3 += mat[row + n + 3] * in[inOffset + n + 3];
            }
            for (; n < nIn; n++) {
                a0 += mat[row + n] * in[inOffset + n];
            }
            out[k] = (a0 + a1) + (a2 + a3);
        }
    }
}
