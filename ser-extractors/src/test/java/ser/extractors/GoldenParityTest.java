package ser.extractors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import ser.api.AudioClip;
import ser.api.FeatureTrack;
import ser.api.FrameGrid;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * librosa 0.10.2 parity on every golden WAV, on the golden grid (file rate, 2048, 512, centred),
 * on every frame. Prints the maximum errors (recorded in BENCHMARKS.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoldenParityTest {

    /** A frame "has energy" when its golden RMS is at least this (about -60 dBFS). */
    static final double ENERGY_RMS = 1e-3;

    record Computed(JsonNode golden, FeatureTrack mfcc, double[] logMel, int nMels, FeatureTrack energy,
                    FeatureTrack spectral) {
    }

    private final Map<String, Computed> results = new HashMap<>();

    @BeforeAll
    void computeAll() {
        for (String name : Golden.WAVS) {
            TestAudio.Wav wav = TestAudio.readResource("/golden/" + name + ".wav");
            JsonNode golden = Golden.json("/golden/" + name + ".json");
            assertThat(wav.sampleRate()).isEqualTo(golden.get("sample_rate").asInt());
            assertThat(wav.samples().length).isEqualTo(golden.get("samples").asInt());
            FrameGrid grid = Contexts.librosaGrid(wav.sampleRate());
            AudioClip clip = new AudioClip(wav.samples(), wav.sampleRate());
            MfccExtractor mfcc = (MfccExtractor) Contexts.create("mfcc", grid);
            FeatureTrack m = mfcc.extract(clip);
            results.put(name, new Computed(golden, m, mfcc.lastLogMel().clone(), 128,
                    Contexts.create("energy", grid).extract(clip),
                    Contexts.create("spectral", grid).extract(clip)));
        }
    }

    private static boolean hasEnergy(double[][] rms, int t) {
        return rms[0][t] >= ENERGY_RMS;
    }

    @Test
    void frameCountsMatchLibrosa() {
        for (String name : Golden.WAVS) {
            Computed c = results.get(name);
            int frames = Golden.feature(c.golden(), "rms")[0].length;
            assertThat(c.mfcc().frameCount()).as(name).isEqualTo(frames);
            assertThat(c.energy().frameCount()).as(name).isEqualTo(frames);
            assertThat(c.spectral().frameCount()).as(name).isEqualTo(frames);
        }
    }

    @Test
    void mfccAndMelSpectrogramMatch() {
        double worstMfcc = 0;
        double worstMfccAll = 0;
        double worstMel = 0;
        for (String name : Golden.WAVS) {
            Computed c = results.get(name);
            double[][] g = Golden.feature(c.golden(), "mfcc");
            double[][] gm = Golden.feature(c.golden(), "melspectrogram_db");
            double[][] rms = Golden.feature(c.golden(), "rms");
            double maxMfcc = 0;
            double maxMfccAll = 0;
            double maxMel = 0;
            int counted = 0;
            for (int t = 0; t < g[0].length; t++) {
                for (int k = 0; k < 20; k++) {
                    double e = Math.abs(c.mfcc().frames()[t][k] - g[k][t]);
                    maxMfccAll = Math.max(maxMfccAll, e);
                    if (hasEnergy(rms, t)) {
                        maxMfcc = Math.max(maxMfcc, e);
                    }
                }
                if (hasEnergy(rms, t)) {
                    counted++;
                }
                {
                    for (int b = 0; b < 128; b++) {
                        maxMel = Math.max(maxMel, Math.abs(c.logMel()[t * 128 + b] - gm[b][t]));
                    }
                }
            }
            System.out.printf("parity %-24s mfcc max|err| %.2e on %d/%d frames with energy, %.2e on all; mel dB %.2e (all)%n",
                    name, maxMfcc, counted, g[0].length, maxMfccAll, maxMel);
            worstMfcc = Math.max(worstMfcc, maxMfcc);
            worstMfccAll = Math.max(worstMfccAll, maxMfccAll);
            worstMel = Math.max(worstMel, maxMel);
        }
        // required: <= 1e-2 on frames with energy; in fact every frame, silence included, is within 1e-3
        assertThat(worstMfcc).isLessThanOrEqualTo(1e-2);
        assertThat(worstMfccAll).isLessThanOrEqualTo(1e-3);
        assertThat(worstMel).isLessThanOrEqualTo(1e-3);
    }

    @Test
    void rmsMatches() {
        double worst = 0;
        for (String name : Golden.WAVS) {
            Computed c = results.get(name);
            double[][] g = Golden.feature(c.golden(), "rms");
            for (int t = 0; t < g[0].length; t++) {
                worst = Math.max(worst, Math.abs(c.energy().frames()[t][0] - g[0][t]));
            }
        }
        System.out.printf("parity rms max|err| %.2e%n", worst);
        assertThat(worst).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void spectralFeaturesMatch() {
        String[] keys = {"spectral_centroid", "spectral_bandwidth", "spectral_rolloff", "spectral_flatness"};
        for (int f = 0; f < keys.length; f++) {
            double worst = 0;
            for (String name : Golden.WAVS) {
                Computed c = results.get(name);
                double[][] g = Golden.feature(c.golden(), keys[f]);
                double max = 0;
                for (int t = 0; t < g[0].length; t++) {
                    double ref = g[0][t];
                    double got = c.spectral().frames()[t][f];
                    double err = relErr(got, ref, keys[f]);
                    max = Math.max(max, err);
                }
                System.out.printf("parity %-24s %-20s max rel err %.2e%n", name, keys[f], max);
                worst = Math.max(worst, max);
            }
            assertThat(worst).as(keys[f]).isLessThanOrEqualTo(1e-3);
        }
    }

    @Test
    void contrastMatches() {
        double worst = 0;
        for (String name : Golden.WAVS) {
            Computed c = results.get(name);
            double[][] g = Golden.feature(c.golden(), "spectral_contrast");
            double max = 0;
            for (int t = 0; t < g[0].length; t++) {
                for (int b = 0; b < 7; b++) {
                    max = Math.max(max, relErr(c.spectral().frames()[t][4 + b], g[b][t], "contrast"));
                }
            }
            System.out.printf("parity %-24s spectral_contrast    max rel err %.2e%n", name, max);
            worst = Math.max(worst, max);
        }
        assertThat(worst).isLessThanOrEqualTo(1e-3);
    }

    @Test
    void zeroCrossingRateMatches() {
        double worst = 0;
        for (String name : Golden.WAVS) {
            Computed c = results.get(name);
            double[][] g = Golden.feature(c.golden(), "zero_crossing_rate");
            int zcr = c.spectral().columns().indexOf("zcr");
            for (int t = 0; t < g[0].length; t++) {
                worst = Math.max(worst, Math.abs(c.spectral().frames()[t][zcr] - g[0][t]));
            }
        }
        System.out.printf("parity zcr max|err| %.2e (golden rounded to 1e-6)%n", worst);
        // exact counts: the only difference is the golden's 6-decimal rounding
        assertThat(worst).isLessThanOrEqualTo(1e-6);
    }

    /**
     * Relative error on every frame (silence included). "Tiny" values: the golden values are
     * rounded to 6 decimals, so below |ref| = 1e-3 the error is taken relative to 1e-3, i.e. an
     * absolute tolerance of 1e-6 (twice the rounding step) under the 1e-3 bound.
     */
    static double relErr(double got, double ref, String what) {
        double scale = Math.max(Math.abs(ref), 1e-3);
        return Math.abs(got - ref) / scale;
    }
}
