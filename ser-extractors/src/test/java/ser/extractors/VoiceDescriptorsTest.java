package ser.extractors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import ser.api.AudioClip;
import ser.api.FeatureExtractor;
import ser.api.FeatureTrack;
import ser.api.FrameGrid;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * spectral-balance, voice-quality and formants: parity with the numpy reference
 * (test resources reference/voice_reference.py on golden/speech_m_16000.wav) and analytic
 * signals with known formants, jitter, shimmer and harmonics-to-noise ratio.
 */
class VoiceDescriptorsTest {

    private static final int RATE = 16000;
    private static final FrameGrid GRID = Contexts.defaultGrid(RATE);

    private static FeatureTrack run(String name, float[] x) {
        return Contexts.create(name, GRID).extract(new AudioClip(x, RATE));
    }

    /** Reference column {@code c} of the numpy file, one value per frame. */
    private static double[] reference(JsonNode root, String column) {
        List<String> cols = new java.util.ArrayList<>();
        root.get("columns").forEach(c -> cols.add(c.asText()));
        int c = cols.indexOf(column);
        JsonNode frames = root.get("frames");
        double[] out = new double[frames.size()];
        for (int t = 0; t < out.length; t++) {
            out[t] = frames.get(t).get(c).asDouble();
        }
        return out;
    }

    /** Fraction of frames where {@code |java - ref| <= tol}. */
    private static double agreement(FeatureTrack track, int column, double[] ref, double tol) {
        assertThat(track.frameCount()).isEqualTo(ref.length);
        int ok = 0;
        for (int t = 0; t < ref.length; t++) {
            if (Math.abs(track.frames()[t][column] - ref[t]) <= tol) {
                ok++;
            }
        }
        return ok / (double) ref.length;
    }

    @Test
    void matchesNumpyReferenceOnSpeech() {
        JsonNode root = Golden.json("/reference/voice_speech_m_16000.json");
        float[] x = TestAudio.readResource("/golden/speech_m_16000.wav").samples();
        FeatureTrack balance = run("spectral-balance", x);
        FeatureTrack voice = run("voice-quality", x);
        FeatureTrack formants = run("formants", x);
        assertThat(balance.columns()).containsExactly("loudness", "alpha_ratio", "hammarberg", "slope_0_500",
                "slope_500_1500");
        assertThat(voice.columns()).containsExactly("hnr", "jitter", "shimmer");
        assertThat(formants.columns()).containsExactly("f1", "f2", "f3");
        // spectral: float32 output of the same float64 arithmetic
        assertThat(agreement(balance, 0, reference(root, "loudness"), 1e-3)).isEqualTo(1.0);
        for (int c = 1; c < 5; c++) {
            assertThat(agreement(balance, c, reference(root, balance.columns().get(c)), 1e-3))
                    .as(balance.columns().get(c)).isEqualTo(1.0);
        }
        // integer lags and peak positions: a rounding difference may move one, so allow a few frames
        assertThat(agreement(voice, 0, reference(root, "hnr"), 1e-3)).isGreaterThanOrEqualTo(0.99);
        assertThat(agreement(voice, 1, reference(root, "jitter"), 1e-4)).isGreaterThanOrEqualTo(0.98);
        assertThat(agreement(voice, 2, reference(root, "shimmer"), 1e-3)).isGreaterThanOrEqualTo(0.98);
        // pre-emphasis is computed in float32 here, float64 in numpy
        for (int c = 0; c < 3; c++) {
            assertThat(agreement(formants, c, reference(root, "f" + (c + 1)), 1.0))
                    .as("f" + (c + 1)).isGreaterThanOrEqualTo(0.98);
        }
    }

    /** Glottal-like pulses (Gaussian, sigma 6 samples) at the given integer positions and heights. */
    private static float[] pulses(int n, int[] periods, double[] heights) {
        double[] x = new double[n];
        int pos = 20;
        for (int i = 0; pos < n; i++) {
            double h = heights[i % heights.length];
            for (int k = Math.max(0, pos - 40); k < Math.min(n, pos + 41); k++) {
                x[k] += h * Math.exp(-0.5 * (k - pos) * (k - pos) / 36.0);
            }
            pos += periods[i % periods.length];
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (0.3 * x[i]);
        }
        return out;
    }

    private static double median(FeatureTrack track, int column, int from, int to) {
        double[] v = new double[to - from];
        for (int t = from; t < to; t++) {
            v[t - from] = track.frames()[t][column];
        }
        Arrays.sort(v);
        return v[v.length / 2];
    }

    @Test
    void jitterAndShimmerOfAlternatingPulseTrain() {
        // periods alternate 130/134 samples: |dT| = 4 every period, mean 132 -> jitter 4/132;
        // heights alternate 1.0/0.8 -> shimmer |20 log10 0.8| dB
        FeatureTrack vq = run("voice-quality", pulses(RATE, new int[] {130, 134}, new double[] {1.0, 0.8}));
        int n = vq.frameCount();
        assertThat(median(vq, 1, 10, n - 10)).isCloseTo(4.0 / 132.0, within(1e-3));
        assertThat(median(vq, 2, 10, n - 10)).isCloseTo(-20 * Math.log10(0.8), within(0.02));
    }

    @Test
    void steadyPulseTrainHasNoJitterNoShimmerAndHighHnr() {
        FeatureTrack vq = run("voice-quality", pulses(RATE, new int[] {125}, new double[] {1.0}));
        int n = vq.frameCount();
        for (int t = 10; t < n - 10; t++) {
            assertThat(vq.frames()[t][1]).isEqualTo(0.0f);
            assertThat(vq.frames()[t][2]).isCloseTo(0.0f, within(1e-4f));
            assertThat(vq.frames()[t][0]).isGreaterThan(25.0f);
        }
    }

    @Test
    void hnrOfToneInNoiseIsItsSignalToNoiseRatio() {
        // 200 Hz tone (power 0.5) plus white noise of power 0.05: HNR 10 dB
        float[] x = TestAudio.sine(200, RATE, 2.0, 1.0);
        Random r = new Random(7);
        for (int i = 0; i < x.length; i++) {
            x[i] += (float) (Math.sqrt(0.05) * r.nextGaussian());
        }
        FeatureTrack vq = run("voice-quality", x);
        assertThat(median(vq, 0, 10, vq.frameCount() - 10)).isCloseTo(10.0, within(1.0));
        FeatureTrack noise = run("voice-quality", TestAudio.whiteNoise(3, RATE, 0.1));
        assertThat(median(noise, 0, 10, noise.frameCount() - 10)).isLessThan(-5.0);
    }

    @Test
    void formantsOfSyntheticVowel() {
        // 120 Hz pulse train through three two-pole resonators at 700, 1220, 2600 Hz (bandwidths 80-120 Hz)
        double[] f = {700, 1220, 2600};
        double[] bw = {80, 90, 120};
        double[] x = new double[RATE];
        for (int i = 0; i < x.length; i += RATE / 120) {
            x[i] = 1.0;
        }
        for (int j = 0; j < 3; j++) {
            double rr = Math.exp(-Math.PI * bw[j] / RATE);
            double a1 = 2 * rr * Math.cos(2 * Math.PI * f[j] / RATE);
            double a2 = -rr * rr;
            double y1 = 0;
            double y2 = 0;
            for (int i = 0; i < x.length; i++) {
                double y = x[i] + a1 * y1 + a2 * y2;
                y2 = y1;
                y1 = y;
                x[i] = y;
            }
        }
        double peak = Arrays.stream(x).map(Math::abs).max().orElseThrow();
        float[] s = new float[x.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (0.5 * x[i] / peak);
        }
        FeatureTrack fm = run("formants", s);
        int n = fm.frameCount();
        for (int c = 0; c < 3; c++) {
            assertThat(median(fm, c, 10, n - 10)).as("F" + (c + 1)).isCloseTo(f[c], within(0.05 * f[c]));
        }
    }

    @Test
    void spectralBalanceOfToneAndNoise() {
        FeatureTrack low = run("spectral-balance", TestAudio.sine(300, RATE, 1.0, 0.5));
        FeatureTrack high = run("spectral-balance", TestAudio.sine(3000, RATE, 1.0, 0.5));
        FeatureTrack noise = run("spectral-balance", TestAudio.whiteNoise(11, RATE, 0.1));
        int mid = low.frameCount() / 2;
        // energy below 1 kHz: alpha ratio and Hammarberg index high; above: low
        assertThat(low.frames()[mid][1]).isGreaterThan(40f);
        assertThat(high.frames()[mid][1]).isLessThan(-40f);
        assertThat(low.frames()[mid][2]).isGreaterThan(40f);
        assertThat(high.frames()[mid][2]).isLessThan(-40f);
        // white noise: alpha ratio = 10 log10 of the bin counts (30 bins in 50..1000 Hz, 128 in 1..5 kHz)
        assertThat(median(noise, 1, 10, noise.frameCount() - 10)).isCloseTo(10 * Math.log10(30.0 / 128.0), within(0.5));
        assertThat(median(noise, 4, 10, noise.frameCount() - 10)).isCloseTo(0.0, within(5.0));
        // loudness is a power law of band energies: twice the amplitude, 4^0.3 times the loudness
        FeatureTrack louder = run("spectral-balance", TestAudio.sine(300, RATE, 1.0, 1.0));
        assertThat(louder.frames()[mid][0] / low.frames()[mid][0]).isCloseTo((float) Math.pow(4, 0.3), within(1e-4f));
    }

    @Test
    void silenceGivesFiniteValues() {
        float[] x = new float[8000];
        for (String name : List.of("spectral-balance", "voice-quality", "formants")) {
            FeatureExtractor e = Contexts.create(name, GRID);
            for (float[] row : e.extract(new AudioClip(x, RATE)).frames()) {
                for (float v : row) {
                    assertThat(Float.isFinite(v)).as(name).isTrue();
                }
            }
        }
        FeatureTrack vq = run("voice-quality", x);
        assertThat(vq.frames()[5][1]).isEqualTo(0f);
    }
}
