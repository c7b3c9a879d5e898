package ser.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ser.api.Emotion;
import ser.pipeline.UsageException;
import ser.pipeline.audio.AudioLoader;
import ser.pipeline.audio.TestWav;
import ser.pipeline.config.ConfigValidator;
import ser.pipeline.extract.ExtractRun;
import ser.pipeline.extract.FeaturePipeline;
import ser.pipeline.extract.Fixtures;
import ser.pipeline.extract.TestExtractors;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.plugins.PluginRegistry;
import ser.pipeline.predict.BundleScorer;
import ser.pipeline.predict.Predictor;
import ser.pipeline.segment.Segment;
import ser.pipeline.segment.SegmentSettings;
import ser.pipeline.segment.Segmenter;
import ser.pipeline.prepare.Manifest;
import ser.pipeline.prepare.ManifestRow;
import ser.pipeline.store.FeatureSet;
import ser.pipeline.store.FeatureStore;
import ser.pipeline.train.TestSupport;
import ser.pipeline.train.TrainJob;

/**
 * The Spark jobs against the single-machine path on the same generated files, with the real
 * extractors: features bit for bit, the exported folder byte for byte, predictions exactly, and
 * unusable files as error rows with ser extract's reasons.
 */
@ExtendWith(SharedSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkJobsTest {

    Path tmp;

    SparkSession spark;
    Config config;
    PluginRegistry plugins;
    Path audio;
    Path manifest;
    List<ManifestRow> rows;
    Path features;
    ExtractRun.Summary single;

    /** The real extractors but HT-ApEn (the slowest), to keep the test short. */
    static final String EXTRACTORS = "ser.extract { threads = 2, extractors = [mfcc, pitch, energy, spectral] }";

    @BeforeAll
    void setUp(SparkSession spark, @TempDir Path tmp) throws Exception {
        this.spark = spark;
        this.tmp = tmp;
        ClassLoader loader = getClass().getClassLoader();
        config = ConfigValidator.validate(ConfigFactory.parseString(EXTRACTORS),
                ConfigValidator.reference(List.of(loader)));
        plugins = PluginRegistry.discover(loader, null);
        audio = Files.createDirectories(tmp.resolve("audio"));
        rows = new ArrayList<>();
        int[] rates = {16_000, 22_050, 44_100, 8_000};
        SplittableRandom random = new SplittableRandom(16);
        for (int i = 0; i < 10; i++) {
            int rate = rates[i % rates.length];
            double seconds = 0.3 + 0.05 * i;
            double[] x = TestWav.sine(120 + 35 * i, rate, seconds, 0.4);
            for (int n = 0; n < x.length; n++) {
                x[n] += 0.05 * (random.nextDouble() * 2 - 1);
            }
            Path file = TestWav.pcm(16, rate, x).write(audio.resolve(String.format("s%d/clip%02d.wav", i % 3, i)));
            rows.add(row(file, i));
        }
        Path corrupt = audio.resolve("s0/corrupt.wav");
        Files.write(corrupt, "RIFF, but then nothing a decoder could use".getBytes());
        rows.add(row(corrupt, 10));
        Path tooShort = TestWav.pcm(16, 16_000, TestWav.sine(200, 16_000, 0.02, 0.4)).write(audio.resolve("s1/short.wav"));
        rows.add(row(tooShort, 11));
        rows.add(row(audio.resolve("s2/missing.wav"), 12));
        manifest = tmp.resolve("manifest.csv");
        Manifest.write(manifest, rows);

        features = tmp.resolve("features");
        single = new ExtractRun(FeaturePipeline.fromConfig(config, plugins), new AudioLoader(config)::load, 2)
                .run(rows, features, new Fixtures.Capture().progress);
        assertThat(single.done()).isEqualTo(10);
        assertThat(single.skipped()).hasSize(3);
    }

    private static ManifestRow row(Path file, int i) {
        Emotion e = Emotion.ofIndex(i % Emotion.COUNT);
        return new ManifestRow("gen/clip" + i, file.toString(), "gen", "spk" + (i % 3),
                i % 2 == 0 ? Optional.of("female") : Optional.of("male"), e.id(), e, 1.0, 16_000);
    }

    @Test
    void extractEqualsSerExtractBitForBitAndExportsTheSameFolder() throws Exception {
        SparkExtract job = new SparkExtract(spark, config, plugins);
        Path nppdp = tmp.resolve("nppdp.csv");
        String out = tmp.resolve("extract.parquet").toString();
        JobSummary summary = job.run(InputRows.fromManifest(spark, manifest.toString()), out, nppdp, 3);

        assertThat(summary.rows()).isEqualTo(13);
        assertThat(summary.errors()).isEqualTo(3);
        FeatureSet stored = FeatureStore.open(features);
        assertThat(job.schema().hash()).isEqualTo(stored.schema().hash());
        assertThat(new SparkExport(spark).schema(out).hash()).isEqualTo(stored.schema().hash());

        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < stored.utterances().size(); i++) {
            index.put(stored.utterances().get(i).id(), i);
        }
        List<Row> written = spark.read().parquet(out).orderBy("ord").collectAsList();
        assertThat(written).extracting(r -> r.<String>getAs("id")).containsExactlyElementsOf(rows.stream().map(ManifestRow::id).toList());
        int compared = 0;
        for (Row r : written) {
            String error = r.getAs(FeatureRows.ERROR);
            String path = r.getAs("path");
            if (error != null) {
                // The same reason ser extract gives for the same file.
                assertThat(error).isEqualTo(single.skipped().get(path));
                continue;
            }
            int i = index.get(r.<String>getAs("id"));
            var x = FeatureRows.extraction(r, stored.schema());
            assertThat(x.utteranceVector()).as(path).containsExactly(stored.utteranceVector(i));
            float[][] expected = stored.sequence(i);
            assertThat(x.frames()).as(path).hasSameDimensionsAs(expected);
            for (int t = 0; t < expected.length; t++) {
                assertThat(x.frames()[t]).containsExactly(expected[t]);
            }
            compared++;
        }
        assertThat(compared).isEqualTo(10);
        assertThat(Files.readAllBytes(nppdp)).isEqualTo(Files.readAllBytes(features.resolve(FeatureStore.NPPDP)));
        Path exported = tmp.resolve("exported");
        assertThat(new SparkExport(spark).run(out, exported, new PrintWriter(new StringWriter()))).isEqualTo(10);
        var mine = Fixtures.files(exported);
        var theirs = Fixtures.files(features);
        assertThat(mine.keySet()).isEqualTo(theirs.keySet());
        mine.forEach((name, bytes) -> assertThat(bytes).as(name).isEqualTo(theirs.get(name)));
    }

    private Path model;

    /** One tiny bundle trained on the generated features, shared by the prediction tests. */
    private synchronized Path model() throws Exception {
        if (model == null) {
            model = tmp.resolve("model");
            TrainJob.run(TestSupport.trainer(TestSupport.config(), new PrintWriter(new StringWriter())),
                    FeatureStore.open(features), model, new PrintWriter(new StringWriter()));
        }
        return model;
    }

    @Test
    void predictEqualsSerPredict() throws Exception {
        Path model = model();
        String out = tmp.resolve("predict.parquet").toString();
        JobSummary summary = new SparkPredict(spark, config, plugins, model, null)
                .run(InputRows.fromFiles(spark, List.of(audio.toString()), InputRows.DEFAULT_PATTERN), out, 2);
        assertThat(summary.rows()).isEqualTo(12);
        assertThat(summary.errors()).isEqualTo(2);

        try (ModelBundle bundle = ModelBundle.open(model, plugins, config)) {
            Predictor single = Predictor.forBundle(bundle, plugins, config);
            int compared = 0;
            for (Row r : spark.read().parquet(out).orderBy("ord").collectAsList()) {
                String path = r.getAs("path");
                assertThat(r.<String>getAs("id")).isEqualTo(path);
                if (path.endsWith("corrupt.wav") || path.endsWith("short.wav")) {
                    assertThat(r.<String>getAs(FeatureRows.ERROR)).isNotBlank();
                    assertThatThrownBy(() -> single.predict(path)).hasMessageContaining(r.<String>getAs(FeatureRows.ERROR));
                    continue;
                }
                assertThat(r.<String>getAs(FeatureRows.ERROR)).isNull();
                float[] expected = single.predict(path);
                float[] got = new float[Emotion.COUNT];
                for (Emotion e : Emotion.values()) {
                    got[e.index()] = r.getAs(e.id());
                }
                assertThat(got).as(path).containsExactly(expected);
                assertThat(r.<String>getAs("emotion")).isEqualTo(Emotion.ofIndex(ser.pipeline.report.Metrics.argmax(expected)).id());
                compared++;
            }
            assertThat(compared).isEqualTo(10);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vad", "fixed"})
    void predictSegmentsEqualsSerPredictSegments(String mode) throws Exception {
        // Multi-second recordings: tone bursts of different lengths between quiet noise, so that
        // voice activity (ser.segments' default mode) cuts each into several segments; fixed
        // windows of 1 s every 0.5 s cut them regardless of content.
        Config config = mode.equals("fixed")
                ? ConfigFactory.parseString("ser.segments { mode = fixed, fixed { window-s = 1.0, hop-s = 0.5 } }")
                        .withFallback(this.config)
                : this.config;
        assertThat(SegmentSettings.from(config).mode().name()).isEqualToIgnoringCase(mode);
        Path long_ = Files.createDirectories(tmp.resolve("long-" + mode));
        SplittableRandom random = new SplittableRandom(61);
        int rate = 16_000;
        for (int f = 0; f < 3; f++) {
            List<Double> x = new ArrayList<>();
            for (int b = 0; b < 3 + f; b++) {
                double[] burst = TestWav.sine(150 + 60 * f + 25 * b, rate, 0.6 + 0.3 * ((b + f) % 3), 0.5);
                for (double v : burst) {
                    x.add(v + 0.02 * (random.nextDouble() * 2 - 1));
                }
                for (int n = 0; n < rate * 0.5; n++) {
                    x.add(0.002 * (random.nextDouble() * 2 - 1));
                }
            }
            TestWav.pcm(16, rate, x.stream().mapToDouble(Double::doubleValue).toArray())
                    .write(long_.resolve(String.format("talk%d.wav", f)));
        }
        Files.write(long_.resolve("broken.wav"), "RIFF, but then nothing a decoder could use".getBytes());

        String out = tmp.resolve("segments-" + mode + ".parquet").toString();
        JobSummary summary = new SparkPredict(spark, config, plugins, model(), null)
                .run(InputRows.fromFiles(spark, List.of(long_.toString()), InputRows.DEFAULT_PATTERN), out, 1, true);
        assertThat(summary.errors()).isEqualTo(1);
        List<Row> written = spark.read().parquet(out).orderBy("ord", "seg").collectAsList();

        // ser predict --segments (SegmentsRun): the same Segmenter, loader and settings, file by file.
        try (ModelBundle bundle = ModelBundle.open(model(), plugins, config)) {
            int sampleRate = bundle.schema().grid().sampleRate();
            AudioLoader loader = AudioLoader.atRate(sampleRate, config);
            Segmenter single = new Segmenter(SegmentSettings.from(config), sampleRate, BundleScorer.forBundle(bundle, plugins, config));
            int at = 0;
            int segmented = 0;
            for (long ord = 0; ord < 4; ord++) {
                String path = written.get(at).getAs("path");
                assertThat(written.get(at).<Long>getAs("ord")).isEqualTo(ord);
                if (path.endsWith("broken.wav")) {
                    Row r = written.get(at++);
                    assertThat(r.<Integer>getAs("seg")).isNull();
                    assertThat(r.<String>getAs("emotion")).isNull();
                    assertThat(r.<String>getAs(FeatureRows.ERROR)).isNotBlank();
                    assertThatThrownBy(() -> single.run(ser.pipeline.segment.AudioSource.of(loader, path, 600), path, s -> { }))
                            .hasMessageContaining(r.<String>getAs(FeatureRows.ERROR));
                    continue;
                }
                List<Segment> expected = new ArrayList<>();
                single.run(ser.pipeline.segment.AudioSource.of(loader, path, single.settings().maxDurationS()), path, expected::add);
                assertThat(expected).as(path).hasSizeGreaterThan(1);
                for (int seg = 0; seg < expected.size(); seg++) {
                    Row r = written.get(at++);
                    Segment e = expected.get(seg);
                    assertThat(r.<String>getAs("path")).isEqualTo(path);
                    assertThat(r.<String>getAs("id")).isEqualTo(path);
                    assertThat(r.<Integer>getAs("seg")).isEqualTo(seg);
                    assertThat(r.<String>getAs(FeatureRows.ERROR)).isNull();
                    assertThat(r.<Double>getAs("start")).isCloseTo(e.start(), within(1e-9));
                    assertThat(r.<Double>getAs("end")).isCloseTo(e.end(), within(1e-9));
                    for (Emotion c : Emotion.values()) {
                        assertThat(r.<Float>getAs(c.id())).as(path + " " + seg + " " + c.id())
                                .isCloseTo(e.probabilities()[c.index()], within(1e-6f));
                    }
                    assertThat(r.<String>getAs("emotion")).isEqualTo(e.emotion().id());
                    assertThat(r.<Integer>getAs("emotion_label")).isEqualTo(e.emotion().label());
                }
                segmented++;
            }
            assertThat(segmented).isEqualTo(3);
            assertThat(at).as("rows").isEqualTo(written.size());
            assertThat(summary.rows()).isEqualTo(written.size());
        }
    }

    @Test
    void aRetriedTaskWritesTheSameRowsAsARunWithoutFailures() {
        // Fast test extractors; test-zcr's hook throws an Error (a task failure, not an error row) once.
        Config fast = ConfigValidator.validate(ConfigFactory.parseString("ser.extract.extractors = [test-level, test-zcr]"),
                ConfigValidator.reference(List.of(getClass().getClassLoader())));
        String clean = tmp.resolve("clean.parquet").toString();
        String retried = tmp.resolve("retried.parquet").toString();
        TestExtractors.reset();
        try {
            new SparkExtract(spark, fast, plugins).run(InputRows.fromManifest(spark, manifest.toString()), clean, null, 3);
            // The 5th extraction fails: mid-task, after its task has produced rows; maxFailures 2 lets Spark retry it.
            TestExtractors.KILL_AFTER.set(4);
            JobSummary summary = new SparkExtract(spark, fast, plugins)
                    .run(InputRows.fromManifest(spark, manifest.toString()), retried, null, 3);
            assertThat(TestExtractors.KILL_AFTER.get()).as("the injected failure happened").isNegative();
            assertThat(summary.rows()).isEqualTo(13);
        } finally {
            TestExtractors.reset();
        }
        List<Row> expected = spark.read().parquet(clean).orderBy("ord").collectAsList();
        List<Row> got = spark.read().parquet(retried).orderBy("ord").collectAsList();
        assertThat(got).extracting(r -> r.<Long>getAs("ord")).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(got).isEqualTo(expected);
    }

    @Test
    void augmentedCopiesAreRefusedNotSilentlyLeftOut() {
        Config augmented = ConfigValidator.validate(
                ConfigFactory.parseString("ser.extract { extractors = [test-level], augment.copies = 1 }"),
                ConfigValidator.reference(List.of(getClass().getClassLoader())));
        assertThatThrownBy(() -> new SparkExtract(spark, augmented, plugins)).isInstanceOf(UsageException.class)
                .hasMessageContaining("ser.extract.augment.copies").hasMessageContaining("ser extract");
    }

    @Test
    void anExistingOutputIsNeverReplaced() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("taken"));
        Path mine = Files.writeString(out.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> new SparkExtract(spark, config, plugins)
                .run(InputRows.fromManifest(spark, manifest.toString()), out.toString(), null, 4))
                .isInstanceOf(UsageException.class).hasMessageContaining("exists");
        assertThat(Files.readString(mine)).isEqualTo("mine");
    }

    @Test
    void aFailedJobLeavesNoOutput() throws Exception {
        // test-broken returns too few frames: the pipeline rejects it per file, so to fail the job
        // itself the executors get settings whose schema differs from the driver's.
        Config other = ConfigValidator.validate(ConfigFactory.parseString("ser.extract.extractors = [energy]"),
                ConfigValidator.reference(List.of(getClass().getClassLoader())));
        String hash = FeaturePipeline.fromConfig(config, plugins).schema().hash();
        var shared = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(
                new ExtractTask.Shared(JobSettings.of(other), hash, new AudioSource(spark.sparkContext().hadoopConfiguration())));
        StagedOutput staged = StagedOutput.open(tmp.resolve("failed.parquet").toString(),
                spark.sparkContext().hadoopConfiguration(), "test");
        assertThatThrownBy(() -> {
            boolean committed = false;
            try {
                spark.createDataFrame(InputRows.fromManifest(spark, manifest.toString()).slices(spark, 4)
                        .mapPartitions(new ExtractTask(shared)), FeatureRows.schema(FeaturePipeline.fromConfig(config, plugins).schema()))
                        .write().parquet(staged.staging());
                committed = true;
            } finally {
                if (!committed) {
                    staged.abort();
                }
            }
        }).hasStackTraceContaining("differs from the driver's");
        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("failed"));
        }
    }
}
