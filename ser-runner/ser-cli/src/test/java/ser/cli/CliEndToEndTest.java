package ser.cli;

import ser.pipeline.model.ModelBundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.api.Emotion;
import ser.pipeline.prepare.Manifest;
import ser.pipeline.prepare.ManifestRow;
import ser.pipeline.report.Json;

/**
 * The commands end to end on real files: generated WAVs and a manifest, {@code ser extract} with
 * the extract package's test extractors (test-level, test-zcr), then {@code ser train},
 * {@code evaluate}, {@code predict} and {@code bench backends} with the test-centroid backend.
 */
class CliEndToEndTest {

    static final int RATE = 16_000;
    static final String[] COMMON = {"--set", "ser.extract.extractors=[test-level, test-zcr]", "--set", "ser.extract.threads=1",
        "--set", "ser.train.backend=test-centroid", "--set", "ser.train.epochs=12", "--set", "ser.train.learning-rate=0.5",
        "--set", "ser.train.threads=1", "--set", "ser.train.max-duration-s=0.4"};

    @TempDir
    static Path root;

    static Path features;
    static Path model;
    static String trainOut;

    /** Result of one CLI run. */
    record Run(int code, String out, String err) {
    }

    static Run ser(String... args) {
        return serWith(List.of(), args);
    }

    /** Runs {@code args} with the common settings, then {@code overrides} (later --set wins). */
    static Run serWith(List<String> overrides, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(COMMON));
        overrides.forEach(o -> all.addAll(List.of("--set", o)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /** A tone whose pitch and loudness depend on the emotion (and a little on the speaker). */
    static void writeWav(Path file, int emotion, int speaker, long seed) throws IOException {
        Random rng = new Random(seed);
        int n = RATE * 6 / 10;
        double f = 180 + 140 * emotion + 6 * speaker;
        double amp = 0.05 + 0.1 * emotion * (0.95 + 0.02 * speaker);
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * n).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(RATE).putInt(2 * RATE)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(2 * n);
        for (int i = 0; i < n; i++) {
            double x = amp * Math.sin(2 * Math.PI * f * i / RATE) + 0.01 * rng.nextGaussian();
            b.putShort((short) Math.round(Math.max(-1, Math.min(1, x)) * 32767));
        }
        Files.createDirectories(file.getParent());
        Files.write(file, b.array());
    }

    @BeforeAll
    static void extractAndTrain() throws IOException {
        List<ManifestRow> rows = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            for (Emotion e : Emotion.values()) {
                for (int r = 0; r < 2; r++) {
                    Path wav = root.resolve("audio/spk" + s + "/" + e.id() + "_" + r + ".wav");
                    writeWav(wav, e.index(), s, 100L * s + 10L * e.index() + r);
                    rows.add(new ManifestRow("e2e/spk" + s + "/" + e.id() + "_" + r, wav.toString(), "e2e", "spk" + s,
                            Optional.empty(), e.id(), e, 0.6, RATE));
                }
            }
        }
        Path manifest = root.resolve("manifest.csv");
        Manifest.write(manifest, rows);
        features = root.resolve("features");
        Run extract = ser("extract", "--manifest", manifest.toString(), "--out", features.toString());
        assertThat(extract.code()).as(extract.err()).isZero();
        model = root.resolve("model");
        Run train = ser("train", "--features", features.toString(), "--out", model.toString());
        assertThat(train.code()).as(train.err()).isZero();
        trainOut = train.out();
    }

    @Test
    void trainPrintsEpochsAndWritesTheBundle() {
        assertThat(trainOut).contains("speaker split (seed 42)").contains("epoch   1/12").contains("model bundle: " + model);
        assertThat(model.resolve("bundle.json")).isRegularFile();
        assertThat(model.resolve("reports/confusion.png")).isRegularFile();
    }

    /** The common settings without the backend, so that a variant file can choose it. */
    static Run serAnyBackend(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        for (int i = 0; i < COMMON.length; i += 2) {
            if (!COMMON[i + 1].startsWith("ser.train.backend=")) {
                all.addAll(List.of(COMMON[i], COMMON[i + 1]));
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void linearBackendTrainsABundleThatEvaluatesLikeTraining() throws IOException {
        Path linear = root.resolve("model-linear");
        Run train = ser("train", "--features", features.toString(), "--out", linear.toString(), "--backend", "linear",
                "--set", "ser.train.input=utterance", "--set", "ser.train.epochs=1");
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(Json.MAPPER.readTree(linear.resolve("bundle.json").toFile()).get("backend").asText()).isEqualTo("linear");
        Path out = root.resolve("eval-linear");
        Run r = ser("evaluate", "--model", linear.toString(), "--features", features.toString(), "--out", out.toString(),
                "--subset", "test");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode trained = Json.MAPPER.readTree(linear.resolve("reports/metrics.json").toFile());
        JsonNode eval = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
        assertThat(eval.get("uar")).isEqualTo(trained.get("uar"));
        assertThat(trained.at("/baseline/uar").isNumber()).as("the baseline beside it").isTrue();
    }

    @Test
    void experimentCrossValidatesEachVariantAndWritesTheTable() throws IOException {
        Path variants = Files.createDirectories(root.resolve("variants"));
        Path linear = Files.writeString(variants.resolve("lin.conf"),
                "ser.train { backend = linear, input = utterance, epochs = 1 }\n");
        Path centroid = Files.writeString(variants.resolve("centroid.conf"), "ser.train { backend = test-centroid, epochs = 3 }\n");
        Path out = root.resolve("experiments");
        Run r = serAnyBackend("experiment", "--features", features.toString(), "--out", out.toString(), "--cv", "2",
                linear.toString(), centroid.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("== variant lin", "== variant centroid", "results table: " + out.resolve("EXPERIMENTS.md"));
        String table = Files.readString(out.resolve("EXPERIMENTS.md"));
        assertThat(table).contains("| lin | linear | utterance | speaker | 2 | ", "| centroid | test-centroid | sequence | speaker | 2 | ")
                .contains("./ser experiment --features " + features).contains("| e2e |");
        JsonNode cv = Json.MAPPER.readTree(out.resolve("lin/cv.json").toFile());
        assertThat(table).contains(String.format(java.util.Locale.ROOT, "%.3f ± %.3f", cv.at("/metrics/uar/mean").asDouble(),
                cv.at("/metrics/uar/std").asDouble()));
        // --reuse tabulates finished variants without training them again.
        Run again = serAnyBackend("experiment", "--features", features.toString(), "--out", out.toString(), "--cv", "2", "--reuse",
                linear.toString(), centroid.toString());
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("reusing").doesNotContain("epoch ");
        // A table it did not write is never replaced.
        Path foreign = root.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("EXPERIMENTS.md"), "# my notes\n");
        Run refused = serAnyBackend("experiment", "--features", features.toString(), "--out", foreign.toString(), linear.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("not written by ser experiment");
    }

    @Test
    void evaluateTestSubsetReproducesTrainMetrics() throws IOException {
        Path out = root.resolve("eval-test");
        Run r = ser("evaluate", "--model", model.toString(), "--features", features.toString(), "--out", out.toString(),
                "--subset", "test");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode train = Json.MAPPER.readTree(model.resolve("reports/metrics.json").toFile());
        JsonNode eval = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
        for (String key : List.of("accuracy", "uar", "macro_f1", "confusion", "per_class", "test_speakers", "per_corpus", "normalization")) {
            assertThat(eval.get(key)).as(key).isEqualTo(train.get(key));
        }
    }

    @Test
    void predictPrintsJsonLinesAndReportsBadFiles() throws IOException {
        Path dir = root.resolve("predict");
        writeWav(dir.resolve("a_anger.wav"), Emotion.ANGER.index(), 3, 999);
        writeWav(dir.resolve("b_fear.wav"), Emotion.FEAR.index(), 1, 998);
        Files.writeString(dir.resolve("c_broken.wav"), "this is not audio");
        Run r = ser("predict", "--model", model.toString(), "--format", "json", dir.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.RUN_FAILURE);
        String[] lines = r.out().split("\n");
        assertThat(lines).hasSize(2);
        ObjectMapper mapper = new ObjectMapper();
        JsonNode first = mapper.readTree(lines[0]);
        assertThat(first.get("file").asText()).endsWith("a_anger.wav");
        assertThat(first.get("probabilities")).hasSize(8);
        assertThat(mapper.readTree(lines[1]).get("file").asText()).endsWith("b_fear.wav");
        List<String> err = r.err().lines().toList();
        assertThat(err).hasSize(3);
        assertThat(err.get(0)).startsWith(dir.resolve("c_broken.wav") + ": ");
        // The bundle normalizes per speaker (the default) and nobody said who spoke these files.
        assertThat(err.get(1)).startsWith("warning: 2 file(s) of no known speaker");
        assertThat(err.get(2)).isEqualTo("ser predict: 1 input(s) failed, 2 predicted");

        Run ok = ser("predict", "--model", model.toString(), dir.resolve("a_anger.wav").toString());
        assertThat(ok.code()).isZero();
        assertThat(ok.out().lines().toList()).hasSize(2).first().asString().startsWith("emotion");
    }

    @Test
    void predictTakesSpeakersFromAManifestAndRefusesTwoSpeakerSources() {
        Run r = ser("predict", "--model", model.toString(), "--format", "csv", "--manifest", root.resolve("manifest.csv").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines().skip(1).toList()).hasSize(6 * 8 * 2);
        // One speaker's 16 files given by folder: enough for their own statistics, so no warning.
        Run folder = ser("predict", "--model", model.toString(), "--speaker-per-folder", root.resolve("audio/spk1").toString());
        assertThat(folder.code()).as(folder.err()).isZero();
        assertThat(folder.err()).isEmpty();
        Run both = ser("predict", "--model", model.toString(), "--speaker", "x", "--speaker-per-folder", "a.wav");
        assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("give at most one");
    }

    @Test
    void evaluateRefusesFeaturesOfAnotherSchema() throws IOException {
        Path other = root.resolve("features-level-only");
        Run extract = serWith(List.of("ser.extract.extractors=[test-level]"), "extract", "--manifest",
                root.resolve("manifest.csv").toString(), "--out", other.toString());
        assertThat(extract.code()).as(extract.err()).isZero();
        Run r = ser("evaluate", "--model", model.toString(), "--features", other.toString(), "--out",
                root.resolve("eval-other").toString());
        assertThat(r.code()).isEqualTo(ExitCodes.RUN_FAILURE);
        String expected = ModelBundle.readInfo(model).schema().hash();
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).startsWith("ser evaluate: " + other + ": feature schema ").contains("differs from the model's " + expected);
    }

    @Test
    void crossValidationAndBenchFromTheCommandLine() throws IOException {
        Path cv = root.resolve("cv");
        Run r = ser("train", "--features", features.toString(), "--out", cv.toString(), "--cv", "3");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("mean").contains("±");
        assertThat(cv.resolve("cv.json")).isRegularFile();

        Path csv = root.resolve("bench.csv");
        Run b = ser("bench", "backends", "--features", features.toString(), "--epochs", "3", "--csv", csv.toString(),
                "test-centroid", "test-other");
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.out()).contains("ms/step").contains("training step at 32 x 300 x 60");
        // The default architecture raw and at the default input rate, the configured one at its rate.
        assertThat(b.out().lines().filter(l -> l.startsWith("test-centroid ") && l.contains(" default ")
                && (l.contains("raw: one step per 10 ms frame") || l.contains("default rate: 40 ms steps")))).hasSize(2);
        assertThat(b.out().lines().filter(l -> l.startsWith("test-centroid ") && l.contains(" configured ")
                && l.contains("configured rate: "))).hasSize(1);
        assertThat(Files.readAllLines(csv)).hasSize(3);
    }

    @Test
    void trainAndCrossValidateWithoutAValidationPart() throws IOException {
        String none = "ser.train.validation-fraction=0";
        Path bundle = root.resolve("model-no-validation");
        Run train = ser("train", "--features", features.toString(), "--out", bundle.toString(), "--set", none);
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out()).contains("speakers, no validation part, test ")
                .contains("no validation part: all 12 epochs, no early stopping, the last epoch's weights kept")
                .contains("epoch  12/12").doesNotContain("val_loss");
        JsonNode b = Json.MAPPER.readTree(bundle.resolve("bundle.json").toFile());
        assertThat(b.at("/split/counts/validation").asInt()).isZero();
        assertThat(b.at("/split/train_speakers").size() + b.at("/split/test_speakers").size()).isEqualTo(6);
        assertThat(b.at("/result/best_epoch").asInt()).isEqualTo(12);
        JsonNode metrics = Json.MAPPER.readTree(bundle.resolve("reports/metrics.json").toFile());
        assertThat(metrics.get("epoch_kept_by").asText()).isEqualTo("last epoch (no validation part)");
        assertThat(metrics.at("/baseline/trained_on").asText()).isEqualTo("train part (no validation part)");
        assertThat(Files.readAllLines(bundle.resolve("reports/history.csv")).subList(1, 13))
                .allSatisfy(l -> assertThat(l).matches("\\d+,[^,]+,[^,]+,,,[^,]+"));

        Path cv = root.resolve("cv-no-validation");
        Run folds = ser("train", "--features", features.toString(), "--out", cv.toString(), "--cv", "6", "--set", none);
        assertThat(folds.code()).as(folds.err()).isZero();
        JsonNode cvJson = Json.MAPPER.readTree(cv.resolve("cv.json").toFile());
        assertThat(cvJson.get("validation_fraction").asDouble()).isZero();
        assertThat(cvJson.get("per_fold")).hasSize(6).allSatisfy(f -> {
            assertThat(f.at("/split_counts/validation").asInt()).isZero();
            assertThat(f.at("/split_counts/train").asInt()).isEqualTo(5 * 16);
        });
        // Six speakers: six folds need a validation speaker too many; seven folds are too many either way.
        Run validated = ser("train", "--features", features.toString(), "--out", root.resolve("cv-6").toString(), "--cv", "6");
        assertThat(validated.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(validated.err()).contains("at least 7 speakers, the features have 6");
        Run tooMany = ser("train", "--features", features.toString(), "--out", root.resolve("cv-7").toString(), "--cv", "7",
                "--set", none);
        assertThat(tooMany.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(tooMany.err().strip()).startsWith("ser train: --cv 7 (each fold needs test and training speakers; "
                + "ser.train.validation-fraction = 0: no validation part) needs at least 7 speakers, the features have 6");
        assertThat(tooMany.err().lines()).hasSize(1);
        // ser experiment: a variant may drop its validation part (the recipe's linear model does).
        Path variant = Files.writeString(Files.createDirectories(root.resolve("variants-no-validation")).resolve("lin0.conf"),
                "ser.train { backend = linear, input = utterance, epochs = 1, validation-fraction = 0 }\n");
        Path experiments = root.resolve("experiments-no-validation");
        Run experiment = serAnyBackend("experiment", "--features", features.toString(), "--out", experiments.toString(), "--cv", "2",
                variant.toString());
        assertThat(experiment.code()).as(experiment.err()).isZero();
        JsonNode lin = Json.MAPPER.readTree(experiments.resolve("lin0/cv.json").toFile());
        assertThat(lin.get("validation_fraction").asDouble()).isZero();
        assertThat(lin.at("/per_fold/0/split_counts/validation").asInt()).isZero();
        assertThat(lin.at("/per_fold/0/split_counts/train").asInt() + lin.at("/per_fold/0/split_counts/test").asInt())
                .isEqualTo(6 * 16);
        assertThat(lin.at("/baseline/trained_on").asText()).startsWith("each fold's train part (no validation part)");
        Run negative = ser("train", "--features", features.toString(), "--out", root.resolve("neg").toString(), "--set",
                "ser.train.validation-fraction=-0.5");
        assertThat(negative.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(negative.err()).contains("ser.train.validation-fraction: must be 0 (no validation part) or between 0 and 1");
    }

    @Test
    void benchPredictReportsEveryStageOfAWarmPrediction() {
        Run r = ser("bench", "predict", "--model", model.toString(), "--calls", "5", "--warmup", "2", "--seconds", "1.5");
        assertThat(r.code()).as(r.err()).isZero();
        for (String stage : List.of("decode", "features", "model", "total")) {
            assertThat(r.out().lines().filter(l -> l.startsWith(stage + " "))).as(stage).hasSize(1);
        }
        assertThat(r.out()).contains("end to end: p50").contains("5 timed calls");
    }

    @Test
    void usageErrors() {
        Run unknown = ser("train", "--features", features.toString(), "--out", root.resolve("x").toString(), "--backend", "nope");
        assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("unknown backend 'nope'").contains("test-centroid");
        Run badFormat = ser("predict", "--model", model.toString(), "--format", "xml", "a.wav");
        assertThat(badFormat.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(badFormat.err()).contains("--format");
        Run noBundle = ser("evaluate", "--model", root.resolve("audio").toString(), "--features", features.toString(), "--out",
                root.resolve("y").toString());
        assertThat(noBundle.code()).isEqualTo(ExitCodes.RUN_FAILURE);
        assertThat(noBundle.err().strip()).isEqualTo("ser evaluate: " + root.resolve("audio") + ": not a model bundle: no bundle.json");
    }
}
