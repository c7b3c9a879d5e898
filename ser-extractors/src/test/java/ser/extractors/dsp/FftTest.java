package ser.extractors.dsp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written FFTs against a naive O(n^2) DFT. */
class FftTest {

    static double[][] naiveDft(double[] re, double[] im, double sign) {
        int n = re.length;
        double[] outRe = new double[n];
        double[] outIm = new double[n];
        for (int k = 0; k < n; k++) {
            double sr = 0;
            double si = 0;
            for (int t = 0; t < n; t++) {
                double a = sign * 2 * Math.PI * (((long) k * t) % n) / n;
                double c = Math.cos(a);
                double s = Math.sin(a);
                sr += re[t] * c - im[t] * s;
                si += re[t] * s + im[t] * c;
            }
            outRe[k] = sr;
            outIm[k] = si;
        }
        return new double[][] {outRe, outIm};
    }

    /** A complex signal of n standard Gaussian samples ({re, im}), drawn real, imaginary, real, ... from rnd. */
    static double[] realGaussian(int n, Random rnd) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextGaussian();
        }
        return x;
    }

    static double[][] gaussian(int n, Random rnd) {
        double[] re = new double[n];
        double[] im = new double[n];
        for (int i = 0; i < n; i++) {
            re[i] = rnd.nextGaussian();
            im[i] = rnd.nextGaussian();
        }
        return new double[][] {re, im};
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8, 16, 64, 512, 1024, 3, 5, 12, 100, 400, 441, 1000})
    void complexForwardAndInverseMatchNaiveDft(int n) {
        Random rnd = new Random(n);
        double[][] x = gaussian(n, rnd);
        double[] re = x[0];
        double[] im = x[1];
        double[][] expected = naiveDft(re, im, -1);
        double[] r = re.clone();
        double[] i2 = im.clone();
        ComplexFft fft = ComplexFft.of(n);
        fft.forward(r, i2);
        double tol = 1e-12 * n * Math.max(1, Math.log(n));
        for (int k = 0; k < n; k++) {
            assertThat(Math.abs(r[k] - expected[0][k])).isLessThan(tol);
            assertThat(Math.abs(i2[k] - expected[1][k])).isLessThan(tol);
        }
        fft.inverse(r, i2);
        for (int k = 0; k < n; k++) {
            assertThat(Math.abs(r[k] / n - re[k])).isLessThan(1e-12);
            assertThat(Math.abs(i2[k] / n - im[k])).isLessThan(1e-12);
        }
    }

    /** Radix-3 lengths 3 * 2^k (sizes above 3 * Radix2.BLOCK run blocked sub-transforms). */
    @ParameterizedTest
    @ValueSource(ints = {3, 6, 12, 24, 48, 96, 384, 768, 3072})
    void radix3ForwardAndInverseMatchNaiveDftToRelativeRounding(int n) {
        ComplexFft fft = ComplexFft.of(n);
        assertThat(fft).isInstanceOf(ComplexFft.Radix3.class);
        Random rnd = new Random(300 + n);
        double[][] x = gaussian(n, rnd);
        double[] re = x[0];
        double[] im = x[1];
        double[][] expected = naiveDft(re, im, -1);
        double[] r = re.clone();
        double[] i2 = im.clone();
        fft.forward(r, i2);
        assertThat(relativeError(r, i2, expected[0], expected[1])).isLessThan(1e-12);
        // unscaled inverse (sign +1), checked on its own input against the naive DFT too
        double[][] expectedInverse = naiveDft(re, im, 1);
        double[] r3 = re.clone();
        double[] i3 = im.clone();
        fft.inverse(r3, i3);
        assertThat(relativeError(r3, i3, expectedInverse[0], expectedInverse[1])).isLessThan(1e-12);
        fft.inverse(r, i2);
        for (int t = 0; t < n; t++) {
            r[t] /= n;
            i2[t] /= n;
        }
        assertThat(relativeError(r, i2, re, im)).isLessThan(1e-13);
    }

    /** Real transforms whose half size is 3 * 2^k (the radix-3 permuted path). */
    @ParameterizedTest
    @ValueSource(ints = {6, 12, 24, 96, 768, 1536})
    void realRadix3ForwardMatchesNaiveDftAndInverseRoundTrips(int n) {
        Random rnd = new Random(500 + n);
        double[] x = realGaussian(n, rnd);
        double[][] expected = naiveDft(x, new double[n], -1);
        RealFft fft = new RealFft(n);
        int bins = n / 2 + 1;
        double[] re = new double[bins];
        double[] im = new double[bins];
        fft.forward(x, re, im);
        assertThat(relativeError(re, im, java.util.Arrays.copyOf(expected[0], bins),
                java.util.Arrays.copyOf(expected[1], bins))).isLessThan(1e-12);
        double[] back = new double[n];
        fft.inverse(re, im, back);
        for (int i = 0; i < n; i++) {
            assertThat(Math.abs(back[i] - x[i])).as("sample %d", i).isLessThan(1e-13);
        }
    }

    @Test
    void nextFastSizeIsTheSmallestPowerOfTwoOrThreeTimesOneAtLeastN() {
        for (int n = 1; n <= 5000; n++) {
            int expected = Integer.MAX_VALUE;
            for (long p = 1; p < 1L << 31; p <<= 1) {
                if (p >= n) {
                    expected = (int) Math.min(expected, p);
                }
                if (3 * p >= n) {
                    expected = (int) Math.min(expected, 3 * p);
                }
            }
            assertThat(ComplexFft.nextFastSize(n)).as("n = %d", n).isEqualTo(expected);
        }
        assertThat(ComplexFft.nextFastSize(512 + 247)).isEqualTo(768);
        assertThat(ComplexFft.nextFastSize(1 << 30)).isEqualTo(1 << 30);
        assertThat(ComplexFft.nextFastSize(3 << 28)).isEqualTo(3 << 28);
    }

    /** max_k |X[k] - E[k]| / max_k |E[k]|. */
    static double relativeError(double[] re, double[] im, double[] expRe, double[] expIm) {
        double err = 0;
        double scale = 0;
        for (int k = 0; k < expRe.length; k++) {
            err = Math.max(err, Math.hypot(re[k] - expRe[k], im[k] - expIm[k]));
            scale = Math.max(scale, Math.hypot(expRe[k], expIm[k]));
        }
        return err / scale;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8, 32, 256, 512, 2048, 6, 10, 400, 882, 7, 401})
    void realForwardMatchesNaiveDftAndInverseRoundTrips(int n) {
        Random rnd = new Random(100 + n);
        double[] x = realGaussian(n, rnd);
        double[][] expected = naiveDft(x, new double[n], -1);
        RealFft fft = new RealFft(n);
        double[] re = new double[n / 2 + 1];
        double[] im = new double[n / 2 + 1];
        fft.forward(x, re, im);
        double tol = 1e-12 * n;
        for (int k = 0; k <= n / 2; k++) {
            assertThat(Math.abs(re[k] - expected[0][k])).as("re bin %d", k).isLessThan(tol);
            assertThat(Math.abs(im[k] - expected[1][k])).as("im bin %d", k).isLessThan(tol);
        }
        if (n % 2 == 0) {
            double[] back = new double[n];
            fft.inverse(re, im, back);
            for (int i = 0; i < n; i++) {
                assertThat(Math.abs(back[i] - x[i])).isLessThan(1e-12);
            }
        }
    }

    /** One DFT bin by direct summation. */
    static double[] naiveBin(double[] re, double[] im, int k) {
        int n = re.length;
        double sr = 0;
        double si = 0;
        for (int t = 0; t < n; t++) {
            double a = -2 * Math.PI * (((long) k * t) % n) / n;
            double c = Math.cos(a);
            double s = Math.sin(a);
            sr += re[t] * c - im[t] * s;
            si += re[t] * s + im[t] * c;
        }
        return new double[] {sr, si};
    }

    /** Sizes above Radix2.BLOCK run the recursive (blocked) passes; Bluestein 5000 uses 16384; 3 * 16384 is Radix3. */
    @ParameterizedTest
    @ValueSource(ints = {8192, 32768, 65536, 5000, 3 * 16384})
    void largeComplexTransformsMatchNaiveDftOnSampledBinsAndRoundTrip(int n) {
        Random rnd = new Random(n);
        double[][] x = gaussian(n, rnd);
        double[] re = x[0];
        double[] im = x[1];
        double[] r = re.clone();
        double[] i2 = im.clone();
        ComplexFft fft = ComplexFft.of(n);
        if (ComplexFft.isThreeTimesPowerOfTwo(n)) {
            // its three sub-transforms run the blocked passes too
            assertThat(fft).isInstanceOf(ComplexFft.Radix3.class);
        }
        fft.forward(r, i2);
        double tol = 1e-12 * n;
        for (int q = 0; q < 40; q++) {
            int k = q < 6 ? new int[] {0, 1, n / 3, 2 * n / 3 + 5, n / 2, n - 1}[q] : rnd.nextInt(n);
            double[] e = naiveBin(re, im, k);
            assertThat(Math.abs(r[k] - e[0])).as("re bin %d", k).isLessThan(tol);
            assertThat(Math.abs(i2[k] - e[1])).as("im bin %d", k).isLessThan(tol);
        }
        fft.inverse(r, i2);
        for (int t = 0; t < n; t++) {
            assertThat(Math.abs(r[t] / n - re[t])).isLessThan(1e-12);
            assertThat(Math.abs(i2[t] / n - im[t])).isLessThan(1e-12);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {16384, 65536})
    void largeRealTransformsMatchNaiveDftOnSampledBinsAndRoundTrip(int n) {
        Random rnd = new Random(7 + n);
        double[] x = realGaussian(n, rnd);
        RealFft fft = new RealFft(n);
        double[] re = new double[n / 2 + 1];
        double[] im = new double[n / 2 + 1];
        fft.forward(x, re, im);
        double[] zero = new double[n];
        for (int q = 0; q < 40; q++) {
            int k = q < 3 ? new int[] {0, 1, n / 2}[q] : rnd.nextInt(n / 2);
            double[] e = naiveBin(x, zero, k);
            assertThat(Math.abs(re[k] - e[0])).as("re bin %d", k).isLessThan(1e-12 * n);
            assertThat(Math.abs(im[k] - e[1])).as("im bin %d", k).isLessThan(1e-12 * n);
        }
        double[] back = new double[n];
        fft.inverse(re, im, back);
        for (int i = 0; i < n; i++) {
            assertThat(Math.abs(back[i] - x[i])).isLessThan(1e-12);
        }
    }
}
