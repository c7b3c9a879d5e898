package ser.extractors;

import org.junit.jupiter.api.Test;
import ser.api.AudioClip;
import ser.api.FeatureExtractor;
import ser.api.FeatureTrack;
import ser.api.FrameGrid;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Every extractor, every edge case: exact frame counts, no NaN or infinity, declared columns. */
class RobustnessTest {

    static final List<String> NAMES = List.of("mfcc", "ht-apen", "pitch", "energy", "spectral");

    static Map<String, float[]> edgeCases(int rate) {
        Map<String, float[]> m = new LinkedHashMap<>();
        m.put("empty", new float[0]);
        m.put("one sample", new float[] {0.5f});
        m.put("100 samples", TestAudio.whiteNoise(1, 100, 0.1));
        m.put("511 samples", TestAudio.whiteNoise(2, 511, 0.1));
        m.put("512 samples", TestAudio.whiteNoise(3, 512, 0.1));
        m.put("513 samples", TestAudio.whiteNoise(4, 513, 0.1));
        m.put("digital silence", new float[rate]);
        float[] dc = new float[rate];
        java.util.Arrays.fill(dc, 0.5f);
        m.put("DC", dc);
        float[] clipped = TestAudio.sine(100, rate, 1.0, 4.0);
        for (int i = 0; i < clipped.length; i++) {
            clipped[i] = Math.max(-1f, Math.min(1f, clipped[i]));
        }
        m.put("clipped", clipped);
        m.put("full-scale noise", TestAudio.whiteNoise(5, rate, 1.0));
        float[] tiny = TestAudio.whiteNoise(6, rate, 1e-30);
        m.put("denormal-level noise", tiny);
        float[] bad = TestAudio.sine(220, rate, 0.5, 0.3);
        bad[100] = Float.NaN;
        bad[2000] = Float.POSITIVE_INFINITY;
        m.put("NaN and infinity", bad);
        float[] impulse = new float[rate / 2];
        impulse[rate / 4] = 1f;
        m.put("impulse", impulse);
        m.put("speech-like", TestAudio.speechLike(7, rate, 1.5));
        return m;
    }

    @Test
    void allExtractorsOnAllEdgeCasesAndGrids() {
        FrameGrid[] grids = {
            new FrameGrid(16000, 512, 160, true),
            new FrameGrid(16000, 512, 160, false),
            new FrameGrid(16000, 400, 160, true),   // non-power-of-two FFT (Bluestein)
            new FrameGrid(22050, 2048, 512, true),
            new FrameGrid(48000, 1024, 480, true),
        };
        for (FrameGrid grid : grids) {
            Map<String, FeatureExtractor> fx = new LinkedHashMap<>();
            for (String name : NAMES) {
                fx.put(name, Contexts.create(name, grid));
            }
            for (Map.Entry<String, float[]> c : edgeCases(grid.sampleRate()).entrySet()) {
                AudioClip clip = new AudioClip(c.getValue(), grid.sampleRate());
                int expected = grid.frameCount(clip.length());
                for (Map.Entry<String, FeatureExtractor> e : fx.entrySet()) {
                    String what = e.getKey() + " on " + c.getKey() + " " + grid;
                    FeatureTrack t = e.getValue().extract(clip);
                    assertThat(t.frameCount()).as(what).isEqualTo(expected);
                    assertThat(t.columns()).as(what).isEqualTo(e.getValue().columns());
                    assertThat(t.utterance().keySet()).as(what).containsExactlyElementsOf(e.getValue().utteranceColumns());
                    for (float[] row : t.frames()) {
                        for (float v : row) {
                            assertThat(Float.isFinite(v)).as(what).isTrue();
                        }
                    }
                    for (double v : t.utterance().values()) {
                        assertThat(Double.isFinite(v)).as(what).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void silenceGivesDocumentedValues() {
        FrameGrid grid = Contexts.defaultGrid(16000);
        AudioClip clip = new AudioClip(new float[8000], 16000);
        FeatureTrack mfcc = Contexts.create("mfcc", grid).extract(clip);
        // every mel band at amin = 1e-10 -> -100 dB; c0 = -100 * sqrt(128), the rest 0
        assertThat((double) mfcc.frames()[3][0]).isCloseTo(-100 * Math.sqrt(128), org.assertj.core.api.Assertions.within(1e-3));
        assertThat((double) mfcc.frames()[3][1]).isCloseTo(0.0, org.assertj.core.api.Assertions.within(1e-9));
        FeatureTrack apen = Contexts.create("ht-apen", grid).extract(clip);
        for (float[] r : apen.frames()) {
            assertThat(r[0]).isZero();
        }
        assertThat(apen.utterance().get("apen")).isZero();
        FeatureTrack energy = Contexts.create("energy", grid).extract(clip);
        assertThat(energy.frames()[5][0]).isZero();
        assertThat((double) energy.frames()[5][1]).isCloseTo(Math.log(1e-10), org.assertj.core.api.Assertions.within(1e-5));
        assertThat(energy.utterance()).containsEntry("rms", 0.0).containsEntry("peak", 0.0);
        FeatureTrack spectral = Contexts.create("spectral", grid).extract(clip);
        float[] row = spectral.frames()[5];
        assertThat(row[0]).isZero();           // centroid
        assertThat(row[1]).isZero();           // bandwidth
        assertThat(row[2]).isZero();           // rolloff
        assertThat(row[3]).isEqualTo(1f);      // flatness of a flat (amin) spectrum
        assertThat(row[4 + 7]).isZero();       // flux
        assertThat(row[5 + 7]).isZero();       // zcr
    }

    @Test
    void instancesAreReusableAndDeterministic() {
        FrameGrid grid = Contexts.defaultGrid(16000);
        Random rnd = new Random(11);
        float[] a = TestAudio.speechLike(rnd.nextLong(), 16000, 2.0);
        float[] b = TestAudio.speechLike(rnd.nextLong(), 16000, 0.7);
        for (String name : NAMES) {
            FeatureExtractor reused = Contexts.create(name, grid);
            reused.extract(new AudioClip(a, 16000));  // grows scratch buffers
            FeatureTrack second = reused.extract(new AudioClip(b, 16000));
            FeatureTrack fresh = Contexts.create(name, grid).extract(new AudioClip(b.clone(), 16000));
            assertThat(second.frames()).as(name).isDeepEqualTo(fresh.frames());
            assertThat(second.utterance()).as(name).isEqualTo(fresh.utterance());
        }
    }

    @Test
    void sharedSpectrogramGivesBitIdenticalResults() {
        FrameGrid grid = Contexts.defaultGrid(16000);
        float[] x = TestAudio.speechLike(3, 16000, 1.0);
        // alone: computes its own STFT
        FeatureTrack alone = Contexts.create("spectral", grid).extract(new AudioClip(x.clone(), 16000));
        // after MFCC on the same clip: reuses MFCC's power spectra
        AudioClip clip = new AudioClip(x, 16000);
        FeatureTrack mfccFirst = Contexts.create("mfcc", grid).extract(clip);
        FeatureTrack shared = Contexts.create("spectral", grid).extract(clip);
        assertThat(shared.frames()).isDeepEqualTo(alone.frames());
        assertThat(Contexts.create("mfcc", grid).extract(new AudioClip(x.clone(), 16000)).frames())
                .isDeepEqualTo(mfccFirst.frames());
    }
}
