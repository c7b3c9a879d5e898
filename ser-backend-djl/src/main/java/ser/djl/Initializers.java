package ser.djl;

import java.util.SplittableRandom;

/** Keras-style initial weights (the original model's defaults), computed in Java from a seed. */
final class Initializers {

    private Initializers() {
    }

    /** Glorot (Xavier) uniform: U(-l, l), l = sqrt(6 / (fanIn + fanOut)). */
    static float[] glorotUniform(SplittableRandom rng, int size, int fanIn, int fanOut) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        float[] w = new float[size];
        for (int i = 0; i < size; i++) {
            w[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
        }
        return w;
    }

    /**
     * A GRU's recurrent weights {@code [3H, H]}: each gate block {@code [H, H]} an independent
     * random orthogonal matrix (Gram-Schmidt on a Gaussian matrix).
     */
    static float[] orthogonalBlocks(SplittableRandom rng, int blocks, int n) {
        float[] w = new float[blocks * n * n];
        for (int b = 0; b < blocks; b++) {
            double[][] q = orthogonal(rng, n);
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    w[(b * n + r) * n + c] = (float) q[r][c];
                }
            }
        }
        return w;
    }

    private static double[][] orthogonal(SplittableRandom rng, int n) {
        double[][] rows = new double[n][n];
        for (int r = 0; r < n; r++) {
            while (true) {
                for (int c = 0; c < n; c++) {
                    rows[r][c] = gaussian(rng);
                }
                for (int p = 0; p < r; p++) {
                    double dot = 0;
                    for (int c = 0; c < n; c++) {
                        dot += rows[r][c] * rows[p][c];
                    }
                    for (int c = 0; c < n; c++) {
                        rows[r][c] -= dot * rows[p][c];
                    }
                }
                double norm = 0;
                for (int c = 0; c < n; c++) {
                    norm += rows[r][c] * rows[r][c];
                }
                norm = Math.sqrt(norm);
                if (norm > 1e-6) {
                    for (int c = 0; c < n; c++) {
                        rows[r][c] /= norm;
                    }
                    break;
                }
            }
        }
        return rows;
    }

    static double gaussian(SplittableRandom rng) {
        return rng.nextGaussian();
    }
}
