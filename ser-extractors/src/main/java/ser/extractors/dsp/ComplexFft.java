package ser.extractors.dsp;

/**
 * Discrete Fourier transform of one fixed length {@code n} on split real/imaginary arrays,
 * in place: {@code X[k] = sum_t x[t] exp(-2 pi i k t / n)} (forward) and the unscaled inverse
 * {@code x[t] = sum_k X[k] exp(+2 pi i k t / n)}.
 *
 * <p>Powers of two use an iterative radix-2 transform with precomputed twiddles; any other length
 * uses Bluestein's chirp-z algorithm on a power-of-two transform, so every length is exact to
 * rounding. Why hand-written rather than TarsosDSP's {@code FloatFFT} (a JTransforms 2 port):
 * that class is single precision and, for sizes above 8192 on a multi-core machine, runs on a
 * global static thread pool, which breaks the "one extractor, one thread" contract and the shared
 * two-core budget; the utterance-level Hilbert transform needs those sizes. This class is checked
 * against a naive O(n^2) DFT in the tests.
 *
 * <p>Instances hold scratch for Bluestein and are therefore not thread-safe.
 */
public abstract class ComplexFft {

    protected final int n;

    ComplexFft(int n) {
        this.n = n;
    }

    /** A transform of length {@code n >= 1}. */
    public static ComplexFft of(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FFT length must be >= 1, got " + n);
        }
        return isPowerOfTwo(n) ? new Radix2(n) : new Bluestein(n);
    }

    public final int size() {
        return n;
    }

    /** Forward transform of {@code re[0..n), im[0..n)} in place. */
    public abstract void forward(double[] re, double[] im);

    /** Unscaled inverse transform in place (divide by {@code n} for the true inverse). */
    public abstract void inverse(double[] re, double[] im);

    public static boolean isPowerOfTwo(int n) {
        return n > 0 && (n & (n - 1)) == 0;
    }

    /** Smallest power of two {@code >= n} (n >= 1, at most 2^30). */
    public static int nextPowerOfTwo(int n) {
        if (n > (1 << 30)) {
            throw new IllegalArgumentException("FFT length too large: " + n);
        }
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    /** Iterative decimation-in-time radix-2 transform. */
    static final class Radix2 extends ComplexFft {
        private final int[] bitrev;
        private final double[] cos;
        private final double[] sin;

        Radix2(int n) {
            super(n);
            int bits = Integer.numberOfTrailingZeros(n);
            bitrev = new int[n];
            for (int i = 0; i < n; i++) {
                bitrev[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
            }
            int half = Math.max(1, n / 2);
            cos = new double[half];
            sin = new double[half];
            Twiddles.fill(n, cos, sin);
        }

        @Override
        public void forward(double[] re, double[] im) {
            transform(re, im, -1.0);
        }

        @Override
        public void inverse(double[] re, double[] im) {
            transform(re, im, 1.0);
        }

        private void transform(double[] re, double[] im, double sign) {
            final int n = this.n;
            if (n == 1) {
                return;
            }
            final int[] br = bitrev;
            for (int i = 0; i < n; i++) {
                int j = br[i];
                if (j > i) {
                    double t = re[i];
                    re[i] = re[j];
                    re[j] = t;
                    t = im[i];
                    im[i] = im[j];
                    im[j] = t;
                }
            }
            // size-2 butterflies (twiddle 1)
            for (int i = 0; i < n; i += 2) {
                double ar = re[i], ai = im[i], br2 = re[i + 1], bi = im[i + 1];
                re[i] = ar + br2;
                im[i] = ai + bi;
                re[i + 1] = ar - br2;
                im[i + 1] = ai - bi;
            }
            if (n == 2) {
                return;
            }
            // size-4 butterflies (twiddles 1 and -+i)
            for (int i = 0; i < n; i += 4) {
                double ar = re[i], ai = im[i];
                double cr = re[i + 2], ci = im[i + 2];
                re[i] = ar + cr;
                im[i] = ai + ci;
                re[i + 2] = ar - cr;
                im[i + 2] = ai - ci;
                double br2 = re[i + 1], bi = im[i + 1];
                double dr = re[i + 3], di = im[i + 3];
                // w = exp(sign * i * pi / 2) = sign * i; t = w * d
                double tr = -sign * di;
                double ti = sign * dr;
                re[i + 1] = br2 + tr;
                im[i + 1] = bi + ti;
                re[i + 3] = br2 - tr;
                im[i + 3] = bi - ti;
            }
            final double[] c = cos;
            final double[] s = sin;
            for (int size = 8; size <= n; size <<= 1) {
                int half = size >>> 1;
                int step = n / size;
                for (int k = 0; k < half; k++) {
                    double wr = c[k * step];
                    double wi = sign * s[k * step];
                    for (int i = k; i < n; i += size) {
                        int j = i + half;
                        double xr = re[j], xi = im[j];
                        double tr = wr * xr - wi * xi;
                        double ti = wr * xi + wi * xr;
                        double ur = re[i], ui = im[i];
                        re[j] = ur - tr;
                        im[j] = ui - ti;
                        re[i] = ur + tr;
                        im[i] = ui + ti;
                    }
                }
            }
        }
    }

    /** Bluestein's algorithm: a length-n DFT as a convolution of power-of-two length. */
    static final class Bluestein extends ComplexFft {
        private final Radix2 conv;
        private final double[] wr; // chirp exp(-i pi t^2 / n)
        private final double[] wi;
        private final double[] bRe; // FFT of the conjugate chirp filter
        private final double[] bIm;
        private final double[] aRe;
        private final double[] aIm;

        Bluestein(int n) {
            super(n);
            int m = nextPowerOfTwo(2 * n - 1);
            conv = new Radix2(m);
            wr = new double[n];
            wi = new double[n];
            long twoN = 2L * n;
            for (int t = 0; t < n; t++) {
                long sq = ((long) t * t) % twoN;
                double angle = Math.PI * sq / n;
                wr[t] = Math.cos(angle);
                wi[t] = -Math.sin(angle);
            }
            bRe = new double[m];
            bIm = new double[m];
            bRe[0] = wr[0];
            bIm[0] = -wi[0];
            for (int t = 1; t < n; t++) {
                bRe[t] = wr[t];
                bIm[t] = -wi[t];
                bRe[m - t] = wr[t];
                bIm[m - t] = -wi[t];
            }
            conv.forward(bRe, bIm);
            aRe = new double[m];
            aIm = new double[m];
        }

        @Override
        public void forward(double[] re, double[] im) {
            run(re, im, false);
        }

        @Override
        public void inverse(double[] re, double[] im) {
            // inverse(x) = conj(forward(conj(x)))
            for (int i = 0; i < n; i++) {
                im[i] = -im[i];
            }
            run(re, im, false);
            for (int i = 0; i < n; i++) {
                im[i] = -im[i];
            }
        }

        private void run(double[] re, double[] im, boolean unused) {
            int m = aRe.length;
            for (int t = 0; t < n; t++) {
                double xr = re[t], xi = im[t];
                aRe[t] = xr * wr[t] - xi * wi[t];
                aIm[t] = xr * wi[t] + xi * wr[t];
            }
            java.util.Arrays.fill(aRe, n, m, 0.0);
            java.util.Arrays.fill(aIm, n, m, 0.0);
            conv.forward(aRe, aIm);
            for (int k = 0; k < m; k++) {
                double xr = aRe[k], xi = aIm[k];
                aRe[k] = xr * bRe[k] - xi * bIm[k];
                aIm[k] = xr * bIm[k] + xi * bRe[k];
            }
            conv.inverse(aRe, aIm);
            double scale = 1.0 / m;
            for (int k = 0; k < n; k++) {
                double xr = aRe[k] * scale, xi = aIm[k] * scale;
                re[k] = xr * wr[k] - xi * wi[k];
                im[k] = xr * wi[k] + xi * wr[k];
            }
        }
    }
}
