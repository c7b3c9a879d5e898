package ser.pipeline.extract;

import ser.pipeline.store.ExtractorSetting;
import ser.pipeline.store.FeatureSchema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ser.api.AudioClip;
import ser.pipeline.BadInputException;
import ser.pipeline.UsageException;

class FeaturePipelineTest {

    @AfterEach
    void reset() {
        TestExtractors.reset();
    }

    @Test
    void columnsArePrefixedAndFunctionalsFollowEachColumn() {
        FeatureSchema s = Fixtures.pipeline().schema();
        assertThat(s.frameColumns()).containsExactly("test-level_rms", "test-level_peak", "test-zcr_zcr");
        assertThat(s.utteranceColumns()).containsExactly(
                "test-level_rms_mean", "test-level_rms_std", "test-level_rms_min", "test-level_rms_max",
                "test-level_peak_mean", "test-level_peak_std", "test-level_peak_min", "test-level_peak_max",
                "test-level_duration",
                "test-zcr_zcr_mean", "test-zcr_zcr_std", "test-zcr_zcr_min", "test-zcr_zcr_max");
        assertThat(s.functionals()).containsExactly("mean", "std", "min", "max");
        assertThat(s.extractors()).extracting(ExtractorSetting::name).containsExactly("test-level", "test-zcr");
        assertThat(s.extractors()).extracting(ExtractorSetting::settings).containsExactly("{}", "{}");
        assertThat(s.grid().sampleRate()).isEqualTo(16000);
        assertThat(s.grid().hopLength()).isEqualTo(160);
    }

    @Test
    void extractionConcatenatesTracksAndComputesFunctionals() {
        AudioClip clip = Fixtures.tone(3, 16000);
        Extraction x = Fixtures.pipeline().extract(clip, "a.wav");
        assertThat(x.frames()).hasNumberOfRows(101);
        assertThat(x.frames()[0]).hasSize(3);
        float[] u = x.utteranceVector();
        assertThat(u).hasSize(13);
        double sum = 0;
        float min = Float.MAX_VALUE;
        for (float[] f : x.frames()) {
            sum += f[2];
            min = Math.min(min, f[2]);
        }
        assertThat(u[9]).isCloseTo((float) (sum / 101), within(1e-6f)); // test-zcr_zcr_mean
        assertThat(u[11]).isEqualTo(min); // test-zcr_zcr_min
        assertThat(u[8]).isEqualTo(1.0f); // test-level_duration
    }

    @Test
    void tooShortClips() {
        FeaturePipeline p = Fixtures.pipeline();
        assertThatThrownBy(() -> p.extract(Fixtures.tone(1, 300), "s.wav"))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("s.wav: too short: 0.019 s (300 samples; minimum 0.100 s)");
        FeaturePipeline strict = FeaturePipeline.fromConfig(Fixtures.config("ser.extract.min-duration-s = 2"), Fixtures.plugins());
        assertThatThrownBy(() -> strict.extract(Fixtures.tone(1, 16000), "t.wav"))
                .hasMessageContaining("too short: 1.000 s");
    }

    @Test
    void badTracksNameTheExtractor() {
        FeaturePipeline p = Fixtures.pipeline();
        assertThatThrownBy(() -> p.extract(Fixtures.tone(1, TestExtractors.NAN_LENGTH), "n.wav"))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("n.wav: extractor 'test-zcr' gave NaN at frame 39, column zcr");
        assertThatThrownBy(() -> p.extract(Fixtures.tone(1, TestExtractors.CRASH_LENGTH), "c.wav"))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("c.wav: extractor 'test-zcr' failed: IllegalStateException");
        FeaturePipeline broken = FeaturePipeline.fromConfig(Fixtures.config("ser.extract.extractors = [test-broken]"),
                Fixtures.plugins());
        assertThatThrownBy(() -> broken.extract(Fixtures.tone(1, 16000), "b.wav"))
                .hasMessageContaining("b.wav: extractor 'test-broken' returned 100 frames, the grid has 101");
        assertThatThrownBy(() -> p.extract(new AudioClip(new float[16000], 8000), "r.wav"))
                .hasMessageContaining("decoded at 8000 Hz, the features need 16000 Hz");
    }

    @Test
    void configurationErrorsAreUsageErrors() {
        assertThatThrownBy(() -> FeaturePipeline.fromConfig(Fixtures.config("ser.extract.extractors = [test-level, nope]"),
                Fixtures.plugins()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("unknown extractor 'nope'")
                .hasMessageContaining("test-level, test-zcr");
        assertThatThrownBy(() -> FeaturePipeline.fromConfig(Fixtures.config("ser.extract.extractors = [test-zcr, test-zcr]"),
                Fixtures.plugins()))
                .hasMessageContaining("'test-zcr' is listed twice");
        assertThatThrownBy(() -> FeaturePipeline.fromConfig(Fixtures.unchecked("ser.extractors.test-level.gain = -1"),
                Fixtures.plugins()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("ser.extractors.test-level: gain: must be positive");
        assertThatThrownBy(() -> FeaturePipeline.fromConfig(Fixtures.config("ser.extract.grid.hop-length = 0"),
                Fixtures.plugins()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("ser.extract.grid");
    }

    @Test
    void settingsEnterTheSchemaAndItsHash() {
        FeaturePipeline plain = Fixtures.pipeline();
        FeaturePipeline gain = FeaturePipeline.fromConfig(Fixtures.unchecked("ser.extractors.test-level { gain = 2.5 }"),
                Fixtures.plugins());
        assertThat(gain.schema().extractors().get(0).settings()).isEqualTo("{\"gain\":2.5}");
        assertThat(gain.schema().hash()).isNotEqualTo(plain.schema().hash());
        FeaturePipeline other = FeaturePipeline.fromConfig(Fixtures.config("ser.extract.functionals = [mean, p90]"),
                Fixtures.plugins());
        assertThat(other.schema().hash()).isNotEqualTo(plain.schema().hash());
        assertThat(Fixtures.pipeline().schema().hash()).isEqualTo(plain.schema().hash());
    }

    @Test
    void fromSchemaRebuildsTheSameExtractors() {
        FeaturePipeline original = FeaturePipeline.fromConfig(Fixtures.unchecked("ser.extractors.test-level { gain = 2.5 }\n"
                + "ser.extract.functionals = [median, skew]"), Fixtures.plugins());
        FeatureSchema stored = FeatureSchema.fromJson(original.schema().toJson(), "bundle.json");
        FeaturePipeline rebuilt = FeaturePipeline.fromSchema(stored, Fixtures.plugins());
        assertThat(rebuilt.schema()).isEqualTo(original.schema());
        AudioClip clip = Fixtures.tone(9, 12000);
        Extraction a = original.extract(clip);
        Extraction b = rebuilt.extract(clip);
        assertThat(b.frames()).isDeepEqualTo(a.frames());
        assertThat(b.utteranceVector()).containsExactly(a.utteranceVector());
    }

    @Test
    void fromSchemaRefusesAMismatchNamingBothHashes() {
        FeatureSchema s = Fixtures.pipeline().schema();
        List<String> columns = new ArrayList<>(s.frameColumns());
        columns.set(2, "test-zcr_crossings");
        FeatureSchema other = FeatureSchema.of(s.grid(), s.extractors(), columns, s.utteranceColumns(), s.functionals());
        assertThatThrownBy(() -> FeaturePipeline.fromSchema(other, Fixtures.plugins()))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("hash mismatch")
                .hasMessageContaining(other.hash())
                .hasMessageContaining(s.hash())
                .hasMessageContaining("first at 2: stored 'test-zcr_crossings', now 'test-zcr_zcr'");
        FeatureSchema missing = FeatureSchema.of(s.grid(), List.of(new ExtractorSetting("gone", "{}")), s.frameColumns(),
                s.utteranceColumns(), s.functionals());
        assertThatThrownBy(() -> FeaturePipeline.fromSchema(missing, Fixtures.plugins()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("unknown extractor 'gone'");
    }

    @Test
    void eachThreadGetsItsOwnExtractors() throws Exception {
        FeaturePipeline p = Fixtures.pipeline();
        AudioClip clip = Fixtures.tone(5, 20000);
        Extraction expected = p.extract(clip);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 20; i++) {
                    Extraction x = p.extract(clip);
                    if (!java.util.Arrays.deepEquals(x.frames(), expected.frames())) {
                        failures.add(new AssertionError("frames differ"));
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertThat(failures).isEmpty();
    }

    /**
     * A pipeline built and used on a long-lived thread (a server's, the fuzzer's) must be freed
     * once dropped: the thread's per-thread extractors may not keep it alive (they did, and the
     * settings fuzz target's JVM grew by every pipeline it built until it died).
     */
    @Test
    void aDroppedPipelineIsNotKeptAliveByItsThreadsExtractors() throws InterruptedException {
        java.lang.ref.WeakReference<FeaturePipeline> dropped = buildAndUse();
        for (int i = 0; i < 100 && dropped.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(dropped.get()).as("pipeline freed after GC").isNull();
    }

    private static java.lang.ref.WeakReference<FeaturePipeline> buildAndUse() {
        FeaturePipeline p = Fixtures.pipeline();
        assertThat(p.extract(Fixtures.tone(7, 16000), "a.wav").frames()).hasNumberOfRows(101);
        return new java.lang.ref.WeakReference<>(p);
    }
}
