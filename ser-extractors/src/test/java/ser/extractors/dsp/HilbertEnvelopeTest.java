package ser.extractors.dsp;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HilbertEnvelopeTest {

    /** scipy.signal.hilbert(x, N=L) by a naive DFT: one-sided spectrum, inverse DFT. */
    static double[] naiveEnvelope(float[] x, int n, int len) {
        double[] re = new double[len];
        double[] im = new double[len];
        for (int i = 0; i < n; i++) {
            re[i] = x[i];
        }
        double[][] spec = FftTest.naiveDft(re, im, -1);
        for (int k = 0; k < len; k++) {
            double h = k == 0 || (len % 2 == 0 && k == len / 2) ? 1 : (k < (len + 1) / 2 ? 2 : 0);
            spec[0][k] *= h;
            spec[1][k] *= h;
        }
        double[][] a = FftTest.naiveDft(spec[0], spec[1], +1);
        double[] env = new double[n];
        for (int i = 0; i < n; i++) {
            env[i] = Math.hypot(a[0][i] / len, a[1][i] / len);
        }
        return env;
    }

    @Test
    void equalsScipyStyleAnalyticSignalOnTheZeroPaddedLength() {
        HilbertEnvelope h = new HilbertEnvelope();
        Random rnd = new Random(11);
        for (int n : new int[] {2, 3, 64, 100, 256, 300, 513}) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) rnd.nextGaussian();
            }
            double[] out = new double[n];
            h.envelope(x, n, out);
            double[] expected = naiveEnvelope(x, n, ComplexFft.nextPowerOfTwo(n));
            for (int i = 0; i < n; i++) {
                assertThat(out[i]).as("n=%d i=%d", n, i).isCloseTo(expected[i], within(1e-10));
            }
        }
    }

    @Test
    void envelopeOfAPeriodicToneIsItsAmplitude() {
        int n = 1024;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.7 * Math.cos(2 * Math.PI * 37 * i / n + 0.3));
        }
        double[] env = new double[n];
        new HilbertEnvelope().envelope(x, n, env);
        for (int i = 0; i < n; i++) {
            assertThat(env[i]).isCloseTo(0.7, within(1e-6));
        }
    }

    @Test
    void silenceHasZeroEnvelope() {
        double[] env = new double[500];
        new HilbertEnvelope().envelope(new float[500], 500, env);
        for (double v : env) {
            assertThat(v).isEqualTo(0.0);
        }
    }
}
