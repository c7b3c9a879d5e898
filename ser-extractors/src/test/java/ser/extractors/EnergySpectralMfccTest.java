package ser.extractors;

import org.junit.jupiter.api.Test;
import ser.api.AudioClip;
import ser.api.FeatureTrack;
import ser.api.FrameGrid;
import ser.extractors.dsp.MelFilterbank;
import ser.extractors.dsp.Stft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Behaviour beyond the golden parity: options, definitions of our own (flux, log energy). */
class EnergySpectralMfccTest {

    private final FrameGrid grid = Contexts.defaultGrid(16000);

    @Test
    void mfccAndSpectralShareOneSpectrogramPerClipWithUnchangedResults() {
        float[] x = TestAudio.whiteNoise(7, 16000, 0.1);
        float[] tone = TestAudio.sine(440, 16000, 0.5, 0.3);
        System.arraycopy(tone, 0, x, 4000, tone.length);
        AudioClip shared = new AudioClip(x, 16000);
        FeatureTrack mfcc = Contexts.create("mfcc", grid).extract(shared);
        Stft.PowerSpectrogram first = shared.analysis(new Stft.PowerKey(grid), c -> {
            throw new AssertionError("the MFCC extractor left no spectrogram in the clip");
        });
        FeatureTrack spectral = Contexts.create("spectral", grid).extract(shared);
        assertThat(shared.<Stft.PowerSpectrogram>analysis(new Stft.PowerKey(grid), c -> null)).isSameAs(first);
        assertThat(first.frames()).isEqualTo(grid.frameCount(x.length));
        assertThat(first.bins()).isEqualTo(257);
        // each alone on a fresh clip (its own STFT) gives the very same values
        assertThat(Contexts.create("mfcc", grid).extract(new AudioClip(x, 16000)).frames()).isDeepEqualTo(mfcc.frames());
        assertThat(Contexts.create("spectral", grid).extract(new AudioClip(x, 16000)).frames())
                .isDeepEqualTo(spectral.frames());
        // another grid is another analysis
        FrameGrid other = new FrameGrid(16000, 400, 160, true);
        Contexts.create("spectral", other).extract(shared);
        Stft.PowerSpectrogram second = shared.analysis(new Stft.PowerKey(other), c -> null);
        assertThat(second).isNotNull();
        assertThat(second.bins()).isEqualTo(201);
    }

    @Test
    void energyOfAKnownSignal() {
        float[] x = TestAudio.sine(250, 16000, 1.0, 0.5);
        FeatureTrack t = Contexts.create("energy", grid).extract(new AudioClip(x, 16000));
        // 512 samples = 8 periods of 250 Hz: mean square 0.125 in every interior frame
        assertThat((double) t.frames()[10][0]).isCloseTo(Math.sqrt(0.125), within(1e-6));
        assertThat((double) t.frames()[10][1]).isCloseTo(Math.log(1e-10 + 512 * 0.125), within(1e-5));
        // the first frame is half zero padding
        assertThat((double) t.frames()[0][0]).isCloseTo(Math.sqrt(0.125 / 2), within(2e-3));
        assertThat(t.utterance().get("rms")).isCloseTo(Math.sqrt(0.125), within(1e-4));
        assertThat(t.utterance().get("peak")).isCloseTo(0.5, within(1e-6));
    }

    @Test
    void fluxIsZeroForAStationaryToneOneAtOnsetsAndBounded() {
        float[] x = new float[16000];
        float[] tone = TestAudio.sine(1000, 16000, 0.5, 0.5);
        System.arraycopy(tone, 0, x, 8000, tone.length);
        FeatureTrack t = Contexts.create("spectral", grid).extract(new AudioClip(x, 16000));
        int flux = t.columns().indexOf("flux");
        assertThat(t.frames()[0][flux]).isZero();
        float max = 0;
        for (float[] row : t.frames()) {
            max = Math.max(max, row[flux]);
            assertThat(row[flux]).isBetween(0f, (float) Math.sqrt(2) + 1e-6f);
        }
        assertThat(t.frames()[10][flux]).isZero();                        // silence to silence
        assertThat((double) max).isCloseTo(1.0, within(1e-6));             // silence to sound
        assertThat(t.frames()[80][flux]).isLessThan(0.05f);               // steady tone
    }

    @Test
    void zeroCrossingRateOfATone() {
        float[] x = TestAudio.sine(1000, 16000, 1.0, 0.5);
        FeatureTrack t = Contexts.create("spectral", grid).extract(new AudioClip(x, 16000));
        int zcr = t.columns().indexOf("zcr");
        // 2 crossings per period, 16 samples per period
        assertThat((double) t.frames()[20][zcr]).isCloseTo(2.0 / 16, within(2.0 / 512));
        int centroid = t.columns().indexOf("centroid");
        assertThat((double) t.frames()[20][centroid]).isCloseTo(1000.0, within(60.0));
    }

    @Test
    void deltasFollowTheMfccTrajectory() {
        float[] x = TestAudio.speechLike(5, 16000, 1.0);
        FeatureTrack t = Contexts.create("mfcc", grid, "deltas = true, delta-deltas = true").extract(new AudioClip(x, 16000));
        FeatureTrack plain = Contexts.create("mfcc", grid).extract(new AudioClip(x.clone(), 16000));
        int f = 40;
        for (int k = 0; k < 20; k++) {
            assertThat(t.frames()[f][k]).isEqualTo(plain.frames()[f][k]);
            double d = 0;
            for (int j = -4; j <= 4; j++) {
                d += j * (double) t.frames()[f + j][k];
            }
            assertThat((double) t.frames()[f][20 + k]).isCloseTo(d / 60, within(1e-3));
        }
        // edges repeat the nearest full-window value (mode interp, polynomial order = derivative)
        assertThat(t.frames()[0][20]).isEqualTo(t.frames()[4][20]);
        assertThat(t.frames()[0][40]).isEqualTo(t.frames()[4][40]);
    }

    @Test
    void naturalLogModeIsLnOfMelEnergiesWithoutClamp() {
        float[] x = TestAudio.speechLike(6, 16000, 1.0);
        MfccExtractor db = (MfccExtractor) Contexts.create("mfcc", grid, "top-db = 0");
        MfccExtractor ln = (MfccExtractor) Contexts.create("mfcc", grid, "mode = natural-log");
        FeatureTrack a = db.extract(new AudioClip(x, 16000));
        FeatureTrack b = ln.extract(new AudioClip(x, 16000));
        // ln(v) = 10 log10(v) * ln(10) / 10, and the DCT is linear
        double scale = Math.log(10) / 10;
        for (int k = 0; k < 20; k++) {
            assertThat((double) b.frames()[30][k]).isCloseTo(a.frames()[30][k] * scale, within(1e-3));
        }
    }

    @Test
    void melScalesMatchLibrosaDefinitions() {
        assertThat(MelFilterbank.hzToMel(1000, false)).isCloseTo(15.0, within(1e-12));
        assertThat(MelFilterbank.hzToMel(500, false)).isCloseTo(7.5, within(1e-12));
        assertThat(MelFilterbank.melToHz(MelFilterbank.hzToMel(3000, false), false)).isCloseTo(3000, within(1e-9));
        assertThat(MelFilterbank.hzToMel(1000, true)).isCloseTo(999.9855, within(1e-3));
        assertThat(MelFilterbank.melToHz(MelFilterbank.hzToMel(3000, true), true)).isCloseTo(3000, within(1e-9));
        // slaney norm: each filter has unit area in Hz on the mel-spaced triangle: 2 / (f[i+2] - f[i])
        MelFilterbank fb = new MelFilterbank(16000, 2048, 40, 0, 8000, true, false);
        double peak = 0;
        for (int k = 0; k < 1025; k++) {
            peak = Math.max(peak, fb.weight(10, k));
        }
        assertThat(peak).isLessThanOrEqualTo(1.0).isGreaterThan(0.9);
        FeatureTrack htk = Contexts.create("mfcc", grid, "htk = true, n-mels = 40, fmin = 20, fmax = 7600")
                .extract(new AudioClip(TestAudio.speechLike(7, 16000, 0.3), 16000));
        assertThat(htk.columns()).hasSize(20);
    }
}
