package ser.extractors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ser.api.AudioClip;
import ser.api.FeatureExtractor;
import ser.api.FeatureTrack;
import ser.api.FrameGrid;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link FeatureExtractor#extractFrames}: the frames of {@code extract}, bit for bit, with or without the utterance values. */
class ExtractFramesTest {

    private static final FrameGrid GRID = Contexts.defaultGrid(16000);

    @ParameterizedTest
    @ValueSource(strings = {"mfcc", "ht-apen", "pitch", "energy", "spectral", "spectral-balance", "formants", "voice-quality"})
    void framesAreThoseOfExtractBitForBit(String name) {
        FeatureExtractor fx = Contexts.create(name, GRID);
        // Interleaved on one instance, with clips of different lengths: scratch buffers reused by
        // one path must not change what the other computes.
        AudioClip a = new AudioClip(TestAudio.speechLike(31, 16000, 1.3), 16000);
        AudioClip b = new AudioClip(TestAudio.speechLike(32, 16000, 0.7), 16000);
        FeatureTrack fullA = fx.extract(a);
        FeatureTrack framesB = fx.extractFrames(b);
        FeatureTrack framesA = fx.extractFrames(a);
        FeatureTrack fullB = fx.extract(b);
        assertFramesEqual(framesA, fullA);
        assertFramesEqual(framesB, fullB);
        assertThat(fullA.utterance().keySet()).containsExactlyElementsOf(fx.utteranceColumns());
    }

    @Test
    void htApenSkipsTheUtteranceApen() {
        FeatureExtractor fx = Contexts.create("ht-apen", GRID);
        AudioClip clip = new AudioClip(TestAudio.speechLike(33, 16000, 2.0), 16000);
        FeatureTrack full = fx.extract(clip);
        FeatureTrack frames = fx.extractFrames(clip);
        assertThat(full.utterance()).containsOnlyKeys("apen");
        assertThat(full.utterance().get("apen")).isPositive();
        assertThat(frames.utterance()).isEmpty();
        assertFramesEqual(frames, full);
    }

    @Test
    void pitchSkipsTheVoicedF0Statistics() {
        FeatureExtractor fx = Contexts.create("pitch", GRID);
        AudioClip clip = new AudioClip(TestAudio.speechLike(34, 16000, 1.0), 16000);
        FeatureTrack full = fx.extract(clip);
        FeatureTrack frames = fx.extractFrames(clip);
        assertThat(full.utterance()).hasSize(7);
        assertThat(frames.utterance()).isEmpty();
        assertFramesEqual(frames, full);
    }

    private static void assertFramesEqual(FeatureTrack actual, FeatureTrack expected) {
        assertThat(actual.columns()).isEqualTo(expected.columns());
        assertThat(actual.frameCount()).isEqualTo(expected.frameCount()).isPositive();
        for (int t = 0; t < expected.frameCount(); t++) {
            // containsExactly on float[] compares with ==: bit-identical apart from NaN, which no track holds.
            assertThat(actual.frames()[t]).as("frame %d", t).containsExactly(expected.frames()[t]);
        }
    }
}
