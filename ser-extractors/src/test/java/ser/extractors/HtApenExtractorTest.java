package ser.extractors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ser.api.AudioClip;
import ser.api.FeatureTrack;
import ser.api.FrameGrid;
import ser.extractors.dsp.ApproximateEntropy;
import ser.extractors.dsp.HilbertEnvelope;
import ser.extractors.dsp.NaiveApen;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HtApenExtractorTest {

    @Test
    void frameValuesAreApenOfTheCentredFullRateEnvelopeWindow() {
        FrameGrid grid = Contexts.defaultGrid(16000);
        float[] x = TestAudio.speechLike(21, 16000, 1.0);
        FeatureTrack tr = Contexts.create("ht-apen", grid, "envelope-rate = 0").extract(new AudioClip(x, 16000));
        double[] env = new double[x.length];
        new HilbertEnvelope().envelope(x, x.length, env);
        for (int t : new int[] {0, 1, 2, 17, 50, tr.frameCount() / 2, tr.frameCount() - 2, tr.frameCount() - 1}) {
            double[] w = new double[512];
            int start = grid.frameCenter(t) - 256;
            for (int i = 0; i < 512; i++) {
                int k = start + i;
                w[i] = k >= 0 && k < x.length ? env[k] : 0.0; // zeros outside the signal
            }
            double sd = ApproximateEntropy.populationStd(w, 0, 512);
            double expected = sd == 0 ? 0 : NaiveApen.apen(w, 2, 0.2 * sd);
            assertThat((double) tr.frames()[t][0]).as("frame %d", t).isCloseTo(expected, within(1e-6));
        }
    }

    @ParameterizedTest
    @CsvSource({"'', 4", "'envelope-rate = 8000', 2"})
    void frameValuesAreApenOfTheCoarseGrainedWindow(String settings, int block) {
        FrameGrid grid = Contexts.defaultGrid(16000);
        float[] x = TestAudio.speechLike(24, 16000, 1.0);
        HtApenExtractor fx = (HtApenExtractor) Contexts.create("ht-apen", grid, settings);
        assertThat(fx.block()).isEqualTo(block); // default 16 kHz -> 4 kHz; the recipe's 8 kHz
        FeatureTrack tr = fx.extract(new AudioClip(x, 16000));
        double[] env = new double[x.length];
        new HilbertEnvelope().envelope(x, x.length, env);
        int n = 512 / block;
        for (int t : new int[] {0, 1, 2, 17, 50, tr.frameCount() / 2, tr.frameCount() - 2, tr.frameCount() - 1}) {
            // n means of `block` envelope samples over the 512 samples centred on the frame
            double[] w = new double[n];
            int start = grid.frameCenter(t) - 256;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int k = 0; k < block; k++) {
                    int idx = start + block * i + k;
                    s += idx >= 0 && idx < x.length ? env[idx] : 0.0;
                }
                int first = start + block * i;
                w[i] = first >= 0 && first < x.length ? s / block : 0.0;
            }
            double sd = ApproximateEntropy.populationStd(w, 0, n);
            double expected = sd == 0 ? 0 : NaiveApen.apen(w, 2, 0.2 * sd);
            assertThat((double) tr.frames()[t][0]).as("frame %d", t).isCloseTo(expected, within(1e-6));
        }
    }

    @Test
    void utteranceValueIsApenOfTheBlockMeanDecimatedEnvelope() {
        FrameGrid grid = Contexts.defaultGrid(16000);
        float[] x = TestAudio.speechLike(22, 16000, 0.5); // 8000 samples -> 500 values at 1 kHz
        HtApenExtractor fx = (HtApenExtractor) Contexts.create("ht-apen", grid);
        assertThat(fx.decimation(8000)).isEqualTo(16);
        assertThat(fx.decimation(16000 * 200)).isEqualTo(400); // 200 s: capped at 8000 values
        FeatureTrack tr = fx.extract(new AudioClip(x, 16000));
        double[] env = new double[x.length];
        new HilbertEnvelope().envelope(x, x.length, env);
        double[] dec = new double[500];
        for (int j = 0; j < 500; j++) {
            double s = 0;
            for (int i = 0; i < 16; i++) {
                s += env[16 * j + i];
            }
            dec[j] = s / 16;
        }
        double expected = NaiveApen.apen(dec, 2, 0.2 * ApproximateEntropy.populationStd(dec, 0, 500));
        assertThat(tr.utterance().get("apen")).isCloseTo(expected, within(1e-12));
    }

    @Test
    void regularEnvelopesScoreLowerThanNoise() {
        FrameGrid grid = Contexts.defaultGrid(16000);
        // amplitude-modulated tone: a smooth, regular envelope
        float[] am = new float[16000];
        for (int i = 0; i < am.length; i++) {
            am[i] = (float) ((0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * i / 16000.0)) * Math.sin(2 * Math.PI * 440 * i / 16000.0));
        }
        var fx = Contexts.create("ht-apen", grid);
        FeatureTrack tone = fx.extract(new AudioClip(am, 16000));
        FeatureTrack noise = fx.extract(new AudioClip(TestAudio.whiteNoise(1, 16000, 0.3), 16000));
        double toneMedian = median(tone);
        double noiseMedian = median(noise);
        System.out.printf("ht-apen median frame value: AM tone %.3f, white noise %.3f; utterance %.3f vs %.3f%n",
                toneMedian, noiseMedian, tone.utterance().get("apen"), noise.utterance().get("apen"));
        assertThat(toneMedian).isLessThan(noiseMedian);
        assertThat(tone.utterance().get("apen")).isLessThan(noise.utterance().get("apen"));
    }

    @Test
    void windowLengthIsConfigurable() {
        FrameGrid grid = Contexts.defaultGrid(16000);
        float[] x = TestAudio.speechLike(23, 16000, 0.5);
        FeatureTrack a = Contexts.create("ht-apen", grid, "window-length = 256, m = 1, r-factor = 0.25, envelope-rate = 0")
                .extract(new AudioClip(x, 16000));
        double[] env = new double[x.length];
        new HilbertEnvelope().envelope(x, x.length, env);
        int t = 20;
        double[] w = Arrays.copyOfRange(env, grid.frameCenter(t) - 128, grid.frameCenter(t) + 128);
        double expected = NaiveApen.apen(w, 1, 0.25 * ApproximateEntropy.populationStd(w, 0, 256));
        assertThat((double) a.frames()[t][0]).isCloseTo(expected, within(1e-6));
    }

    private static double median(FeatureTrack t) {
        double[] v = new double[t.frameCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.frames()[i][0];
        }
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
