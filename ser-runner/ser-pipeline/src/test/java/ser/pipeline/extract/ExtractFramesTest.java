package ser.pipeline.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import ser.api.AudioClip;
import ser.pipeline.BadInputException;
import ser.pipeline.bench.ExtractBenchmark;

/** {@link FeaturePipeline#extractFrames}: the frames of {@code extract}, with its checks, and nothing else. */
class ExtractFramesTest {

    private static final String ALL_BUILT_IN = "ser.extract.extractors = [mfcc, ht-apen, pitch, energy, spectral, "
            + "spectral-balance, formants, voice-quality]\n";

    @AfterEach
    void reset() {
        TestExtractors.reset();
    }

    @Test
    void framesAreTheFullExtractionsBitForBitWithEveryBuiltInExtractor() {
        // Voiced-only functionals on too: the frames-only path must skip them without touching the frames.
        FeaturePipeline p = FeaturePipeline.fromConfig(Fixtures.config(ALL_BUILT_IN
                + "ser.extract.voiced { columns = [pitch_f0, voice-quality_hnr], semitones = [pitch_f0] }\n"), Fixtures.plugins());
        for (AudioClip clip : ExtractBenchmark.speechLike(1.5, Fixtures.RATE, 7)) {
            Extraction full = p.extract(clip, "a.wav");
            Extraction frames = p.extractFrames(clip, "a.wav");
            assertThat(frames.frames()).hasNumberOfRows(full.frames().length);
            for (int t = 0; t < full.frames().length; t++) {
                // containsExactly compares floats with ==: the same bits (no track holds NaN).
                assertThat(frames.frames()[t]).as("frame %d", t).containsExactly(full.frames()[t]);
            }
            assertThat(full.hasUtteranceVector()).isTrue();
            assertThat(full.utteranceVector()).hasSize(p.schema().utteranceColumns().size());
            assertThat(frames.hasUtteranceVector()).isFalse();
        }
    }

    @Test
    void theUtteranceVectorOfAFramesOnlyExtractionFailsLoudly() {
        Extraction frames = Fixtures.pipeline().extractFrames(Fixtures.tone(3, 16000), "a.wav");
        assertThatThrownBy(frames::utteranceVector)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("frames-only extraction has no utterance vector");
    }

    /** The test extractors do not override extractFrames: the default (extract) serves, utterance values ignored. */
    @Test
    void aPluginWithoutExtractFramesGivesTheSameFrames() {
        FeaturePipeline p = Fixtures.pipeline();
        AudioClip clip = Fixtures.tone(4, 20000);
        Extraction full = p.extract(clip, "a.wav");
        Extraction frames = p.extractFrames(clip, "a.wav");
        assertThat(frames.frames()).isDeepEqualTo(full.frames());
        assertThat(frames.hasUtteranceVector()).isFalse();
        assertThat(TestExtractors.CALLS.get()).isEqualTo(2); // test-zcr ran once per path
    }

    static Stream<Arguments> paths() {
        BiFunction<FeaturePipeline, AudioClip, Extraction> full = (p, clip) -> p.extract(clip, "x.wav");
        BiFunction<FeaturePipeline, AudioClip, Extraction> frames = (p, clip) -> p.extractFrames(clip, "x.wav");
        return Stream.of(Arguments.of("extract", full), Arguments.of("extractFrames", frames));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void bothPathsRefuseBadInputAlike(String name, BiFunction<FeaturePipeline, AudioClip, Extraction> path) {
        FeaturePipeline p = Fixtures.pipeline();
        assertThatThrownBy(() -> path.apply(p, Fixtures.tone(1, 300)))
                .isInstanceOf(BadInputException.class)
                .hasMessage("x.wav: too short: 0.019 s (300 samples; minimum 0.100 s)");
        assertThatThrownBy(() -> path.apply(p, Fixtures.tone(1, TestExtractors.NAN_LENGTH)))
                .isInstanceOf(BadInputException.class)
                .hasMessage("x.wav: extractor 'test-zcr' gave NaN at frame 39, column zcr");
        assertThatThrownBy(() -> path.apply(p, Fixtures.tone(1, TestExtractors.CRASH_LENGTH)))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("x.wav: extractor 'test-zcr' failed: IllegalStateException");
        assertThatThrownBy(() -> path.apply(p, new AudioClip(new float[16000], 8000)))
                .isInstanceOf(BadInputException.class)
                .hasMessage("x.wav: decoded at 8000 Hz, the features need 16000 Hz");
        FeaturePipeline broken = FeaturePipeline.fromConfig(Fixtures.config("ser.extract.extractors = [test-broken]"),
                Fixtures.plugins());
        assertThatThrownBy(() -> path.apply(broken, Fixtures.tone(1, 16000)))
                .isInstanceOf(BadInputException.class)
                .hasMessage("x.wav: extractor 'test-broken' returned 100 frames, the grid has 101");
        FeaturePipeline strict = FeaturePipeline.fromConfig(Fixtures.config("ser.extract.min-duration-s = 2"), Fixtures.plugins());
        assertThatThrownBy(() -> path.apply(strict, Fixtures.tone(1, 16000)))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("x.wav: too short: 1.000 s");
    }
}
