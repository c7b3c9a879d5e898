package ser.pipeline.train;

import ser.pipeline.model.BundleInfo;
import ser.pipeline.evaluate.Evaluator;
import ser.pipeline.model.ModelBundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.api.Emotion;
import ser.api.ModelContext;
import ser.api.SequenceModel;
import ser.pipeline.UsageException;
import ser.pipeline.report.Json;
import ser.pipeline.report.Metrics;
import ser.pipeline.report.Predictions;
import ser.pipeline.report.Reports;

/** ser train end to end with the test-centroid backend, trained once for the class. */
class TrainJobTest {

    @TempDir
    static Path shared;

    static SyntheticFeatures features;
    static Path model;
    static Metrics trainMetrics;
    static String log;

    @BeforeAll
    static void train() {
        features = SyntheticFeatures.builder().speakers(12).perEmotion(3).build();
        model = shared.resolve("model");
        StringWriter out = new StringWriter();
        trainMetrics = TrainJob.run(TestSupport.trainer(TestSupport.config(), TestSupport.sink(out)), features, model,
                TestSupport.sink(out));
        log = out.toString();
    }

    private static JsonNode json(Path file) throws IOException {
        return Json.MAPPER.readTree(file.toFile());
    }

    @Test
    void writesACompleteBundle() throws IOException {
        for (String f : List.of("bundle.json", "split.csv", "weights/model.safetensors", "reports/history.csv", "reports/accuracy.png",
                "reports/loss.png", "reports/confusion.png", "reports/metrics.json", "reports/test_predictions.csv")) {
            assertThat(model.resolve(f)).as(f).isRegularFile();
        }
        try (Stream<Path> siblings = Files.list(shared)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).as("no partial folders left").containsExactly("model");
        }
        assertThat(log).contains("speaker split (seed 42)").contains("epoch   1/25").contains("test (speaker split");
        assertThat(trainMetrics.accuracy()).as("synthetic classes are separable").isGreaterThan(0.6);
    }

    @Test
    void metricsShowTheLinearBaselineBesideTheModel() throws IOException {
        JsonNode baseline = json(model.resolve("reports/metrics.json")).get("baseline");
        assertThat(baseline).as("ser.train.baseline = linear by default").isNotNull();
        assertThat(baseline.get("model").asText()).startsWith("linear, C=0.01");
        assertThat(baseline.get("count").asInt()).isEqualTo(trainMetrics.count());
        assertThat(baseline.get("uar").asDouble()).as("synthetic classes are linearly separable").isGreaterThan(0.5);
        assertThat(log).containsPattern("\\n  baseline \\(linear, C=0\\.01, class weights none\\): accuracy [0-9.]+  UAR [0-9.]+");
    }

    @Test
    void bundleJsonDescribesEverythingPredictionNeeds() throws IOException {
        JsonNode b = json(model.resolve("bundle.json"));
        assertThat(b.get("format").asText()).isEqualTo("ser-model-bundle");
        assertThat(b.get("format_version").asInt()).isEqualTo(ModelBundle.FORMAT_VERSION);
        assertThat(b.get("backend").asText()).isEqualTo("test-centroid");
        assertThat(b.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(b.at("/versions/java").asText()).isEqualTo(System.getProperty("java.version"));
        assertThat(b.at("/versions/ser").asText()).isNotEmpty();
        assertThat(b.get("labels")).hasSize(8);
        assertThat(b.at("/labels/3/id").asText()).isEqualTo("anger");
        assertThat(b.at("/labels/3/label").asInt()).isEqualTo(4);
        assertThat(b.at("/input/mode").asText()).isEqualTo("sequence");
        assertThat(b.at("/input/max_duration_s").asDouble()).isEqualTo(0.32);
        // The default input rate: 40 ms steps of four 10 ms frames, so 0.32 s is 8 steps.
        assertThat(b.at("/input/frame_step_s").asDouble()).isEqualTo(0.04);
        assertThat(b.at("/input/max_steps").asInt()).isEqualTo(8);
        assertThat(b.at("/input/pool_frames").asInt()).isEqualTo(4);
        assertThat(b.at("/input/long_sequences").asText()).isEqualTo("center-crop");
        assertThat(b.at("/input/feature_count").asInt()).isEqualTo(SyntheticFeatures.F);
        assertThat(b.at("/feature_schema/hash").asText()).isEqualTo(features.schema().hash());
        assertThat(b.at("/feature_schema/frame_columns")).hasSize(SyntheticFeatures.F);
        assertThat(b.at("/scaler/mean")).hasSize(SyntheticFeatures.F);
        assertThat(b.at("/scaler/std")).hasSize(SyntheticFeatures.F);
        assertThat(b.at("/architecture/gru_units").asInt()).isEqualTo(128);
        assertThat(b.at("/training/max_epochs").asInt()).isEqualTo(25);
        assertThat(b.at("/training/threads").asInt()).isEqualTo(1);
        assertThat(b.at("/split/kind").asText()).isEqualTo("speaker");
        assertThat(b.at("/split/seed").asLong()).isEqualTo(42);
        assertThat(b.at("/split/test_speakers").size() + b.at("/split/validation_speakers").size()
                + b.at("/split/train_speakers").size()).isEqualTo(12);
        assertThat(b.at("/result/best_epoch").asInt()).isBetween(1, 25);
        assertThat(b.at("/weights/files/model.safetensors/bytes").asLong())
                .isEqualTo(Files.size(model.resolve("weights/model.safetensors")));
        assertThat(b.at("/weights/files/model.safetensors/sha256").asText()).hasSize(64);
        assertThat(b.at("/training/adam/beta1").asDouble()).isEqualTo(0.9);
        assertThat(b.at("/training/class_weights").asText()).isEqualTo("none");
        // And it reads back into the same description.
        BundleInfo info = ModelBundle.readInfo(model);
        assertThat(info.schema()).isEqualTo(features.schema());
        assertThat(info.architecture()).isEqualTo(TrainSettings.architecture(TestSupport.config()));
        assertThat(info.training()).isEqualTo(TrainSettings.training(TestSupport.config()));
        assertThat(info.optimizer()).isEqualTo(TrainSettings.optimizer(TestSupport.config()));
        assertThat(info.seed()).isEqualTo(42);
    }

    @Test
    void historyHasOneRowPerEpoch() throws IOException {
        List<String> lines = Files.readAllLines(model.resolve("reports/history.csv"));
        assertThat(lines.get(0)).isEqualTo("epoch,loss,accuracy,val_loss,val_accuracy,lr");
        JsonNode b = json(model.resolve("bundle.json"));
        assertThat(lines).hasSize(1 + b.at("/result/epochs_run").asInt());
        assertThat(lines.get(1)).startsWith("1,");
    }

    @Test
    void metricsJsonEqualsARecountOfStoredPredictions() throws IOException {
        JsonNode m = json(model.resolve("reports/metrics.json"));
        int[][] confusion = new int[8][8];
        Set<String> speakers = new HashSet<>();
        List<String> ids = new ArrayList<>();
        int correct = 0;
        int n = 0;
        try (Reader r = Files.newBufferedReader(model.resolve("reports/test_predictions.csv"));
             CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            assertThat(csv.getHeaderNames()).containsExactly("id", "speaker", "true", "predicted", "fear", "happy", "sad", "anger",
                    "disgust", "neutral", "surprise", "others");
            for (CSVRecord rec : csv) {
                Emotion t = Emotion.ofId(rec.get("true"));
                Emotion p = Emotion.ofId(rec.get("predicted"));
                confusion[t.index()][p.index()]++;
                correct += t == p ? 1 : 0;
                n++;
                speakers.add(rec.get("speaker"));
                ids.add(rec.get("id"));
                double sum = 0;
                for (Emotion e : Emotion.values()) {
                    sum += Double.parseDouble(rec.get(e.id()));
                }
                assertThat(sum).isCloseTo(1.0, within(1e-4));
            }
        }
        for (int t = 0; t < 8; t++) {
            for (int p = 0; p < 8; p++) {
                assertThat(m.at("/confusion/" + t + "/" + p).asInt()).isEqualTo(confusion[t][p]);
            }
        }
        assertThat(m.get("accuracy").asDouble()).isCloseTo(correct / (double) n, within(1e-12));
        Metrics recount = Metrics.ofConfusion(confusion);
        assertThat(m.get("uar").asDouble()).isCloseTo(recount.uar(), within(1e-12));
        assertThat(m.get("macro_f1").asDouble()).isCloseTo(recount.macroF1(), within(1e-12));
        assertThat(m.get("split").asText()).isEqualTo("speaker");
        List<String> testSpeakers = new ArrayList<>();
        m.get("test_speakers").forEach(s -> testSpeakers.add(s.asText()));
        assertThat(testSpeakers).containsExactlyInAnyOrderElementsOf(speakers);
        // The recounted ids are exactly split.csv's test part.
        List<String> splitTest = Files.readAllLines(model.resolve("split.csv")).stream().filter(l -> l.endsWith(",test"))
                .map(l -> l.substring(0, l.indexOf(','))).toList();
        assertThat(ids).containsExactlyInAnyOrderElementsOf(splitTest);
    }

    @Test
    void pngsDecodeWithAPlausibleSize() throws IOException {
        for (String png : List.of(Reports.ACCURACY_PNG, Reports.LOSS_PNG, Reports.CONFUSION_PNG)) {
            BufferedImage image = ImageIO.read(model.resolve("reports").resolve(png).toFile());
            assertThat(image).as(png).isNotNull();
            assertThat(image.getWidth()).as(png).isBetween(500, 2000);
            assertThat(image.getHeight()).as(png).isBetween(400, 2000);
        }
    }

    @Test
    void bundleRoundTripGivesTheSamePredictions() throws IOException {
        Predictions stored = Predictions.readCsv(model.resolve("reports/test_predictions.csv"));
        List<String> ids = features.utterances().stream().map(u -> u.id()).toList();
        int[] test = stored.rows().stream().mapToInt(r -> ids.indexOf(r.id())).toArray();
        try (ModelBundle bundle = ModelBundle.open(model, new CentroidModelProvider(), TestSupport.config())) {
            assertThat(bundle.inference()).as("not the BiGRU network (ser.inference = java): its backend predicts")
                    .isEqualTo(bundle.model().backend());
            Predictions again = Trainer.predict(bundle, features, test);
            for (int i = 0; i < test.length; i++) {
                Predictions.Row a = stored.rows().get(i);
                Predictions.Row b = again.rows().get(i);
                assertThat(b.predicted()).isEqualTo(a.predicted());
                for (int k = 0; k < 8; k++) {
                    assertThat((double) b.probabilities()[k]).isCloseTo(a.probabilities()[k], within(1e-6));
                }
            }
        }
    }

    @Test
    void evaluateOnTheTestPartReproducesTrainsMetrics(@TempDir Path tmp) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (ModelBundle bundle = ModelBundle.open(model, new CentroidModelProvider(), TestSupport.config())) {
            Metrics m = Evaluator.run(bundle, features, Path.of("synthetic"), Evaluator.Subset.TEST, tmp.resolve("eval"),
                    new PrintWriter(out), new PrintWriter(err));
            assertThat(m.confusion()).isDeepEqualTo(trainMetrics.confusion());
        }
        JsonNode train = json(model.resolve("reports/metrics.json"));
        JsonNode eval = json(tmp.resolve("eval/metrics.json"));
        for (String key : List.of("accuracy", "uar", "macro_f1", "confusion", "per_class", "split", "test_speakers")) {
            assertThat(eval.get(key)).as(key).isEqualTo(train.get(key));
        }
        assertThat(err.toString()).as("no seen speakers in the test part").isEmpty();
        assertThat(tmp.resolve("eval/confusion.png")).isRegularFile();
        assertThat(tmp.resolve("eval/predictions.csv")).isRegularFile();
    }

    @Test
    void evaluateOnEverythingWarnsAboutSeenSpeakers(@TempDir Path tmp) throws IOException {
        StringWriter err = new StringWriter();
        try (ModelBundle bundle = ModelBundle.open(model, new CentroidModelProvider(), TestSupport.config())) {
            Metrics m = Evaluator.run(bundle, features, Path.of("synthetic"), Evaluator.Subset.ALL, tmp.resolve("eval"),
                    new PrintWriter(new StringWriter()), new PrintWriter(err));
            assertThat(m.count()).isEqualTo(features.utterances().size());
        }
        assertThat(err.toString()).startsWith("warning: ").contains("optimistic");
        assertThat(json(tmp.resolve("eval/metrics.json")).get("split").asText()).isEqualTo("all");
    }

    @Test
    void scalerIsFittedOnTheTrainingPartOnly(@TempDir Path tmp) throws IOException {
        Config config = TestSupport.config();
        TrainSettings s = TrainSettings.from(config);
        Split split = Splitter.split(features.utterances(), s.split(), s.testFraction(), s.validationFraction(),
                s.seed());
        Set<String> heldOut = new HashSet<>(split.testSpeakers());
        heldOut.addAll(split.validationSpeakers());
        // Same utterances and training frames; validation and test speakers moved by +1e6.
        SyntheticFeatures shifted = SyntheticFeatures.builder().speakers(12).perEmotion(3).shift(heldOut, 1e6).build();
        TrainJob.run(TestSupport.trainer(config, TestSupport.sink(new StringWriter())), shifted, tmp.resolve("m"),
                TestSupport.sink(new StringWriter()));
        BundleInfo clean = ModelBundle.readInfo(model);
        BundleInfo dirty = ModelBundle.readInfo(tmp.resolve("m"));
        assertThat(dirty.scaler()).isEqualTo(clean.scaler());
        for (double mean : dirty.scaler().mean()) {
            assertThat(Math.abs(mean)).isLessThan(10);
        }
        // The scaler sees the training part after each speaker's own normalization (the default).
        ser.pipeline.store.FeatureSet normalized = ser.pipeline.normalize.NormalizedFeatures.of(features, s.normalization());
        List<float[][]> trainFrames = new ArrayList<>();
        for (int i : split.train()) {
            trainFrames.add(s.input().of(normalized, i));
        }
        Standardizer expected = Standardizer.fit(trainFrames, SyntheticFeatures.F);
        for (int c = 0; c < SyntheticFeatures.F; c++) {
            assertThat(dirty.scaler().mean()[c]).isCloseTo(expected.mean()[c], within(1e-9));
            assertThat(dirty.scaler().std()[c]).isCloseTo(expected.std()[c], within(1e-9));
        }
    }

    @Test
    void withoutAValidationPartEveryNonTestSpeakerTrainsAndTheReportsSaySo(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("m");
        StringWriter console = new StringWriter();
        Config config = TestSupport.config("ser.train { validation-fraction = 0, epochs = 6, patience = 1 }");
        Metrics m = TrainJob.run(TestSupport.trainer(config, TestSupport.sink(console)), features, out, TestSupport.sink(console));
        String printed = console.toString();
        assertThat(printed).contains("speakers, no validation part, test ")
                .contains("(no validation part: all 6 epochs, no early stopping, the last epoch's weights kept)")
                .contains("epoch   6/6").doesNotContain("val_loss").doesNotContain("NaN");
        JsonNode b = json(out.resolve("bundle.json"));
        assertThat(b.at("/split/validation_fraction").asDouble()).isZero();
        assertThat(b.at("/split/counts/validation").asInt()).isZero();
        assertThat(b.at("/split/validation_speakers")).isEmpty();
        assertThat(b.at("/split/train_speakers").size() + b.at("/split/test_speakers").size()).isEqualTo(12);
        assertThat(b.at("/split/counts/train").asInt() + b.at("/split/counts/test").asInt()).isEqualTo(features.utterances().size());
        assertThat(b.at("/result/epochs_run").asInt()).isEqualTo(6);
        assertThat(b.at("/result/best_epoch").asInt()).isEqualTo(6);
        assertThat(b.at("/result/stopped_early").asBoolean()).isFalse();
        // history.csv leaves the validation columns empty rather than inventing numbers.
        List<String> history = Files.readAllLines(out.resolve("reports/history.csv"));
        assertThat(history).hasSize(7);
        assertThat(history.subList(1, 7)).allSatisfy(line -> assertThat(line).matches("\\d+,[^,]+,[^,]+,,,[^,]+"));
        JsonNode metrics = json(out.resolve("reports/metrics.json"));
        assertThat(metrics.at("/split_counts/validation").asInt()).isZero();
        assertThat(metrics.at("/split_counts/train").asInt()).isEqualTo(b.at("/split/counts/train").asInt());
        assertThat(metrics.get("epoch_kept_by").asText()).isEqualTo("last epoch (no validation part)");
        assertThat(metrics.at("/baseline/trained_on").asText()).isEqualTo("train part (no validation part)");
        assertThat(metrics.at("/baseline/train_count").asInt()).isEqualTo(b.at("/split/counts/train").asInt());
        assertThat(Files.readAllLines(out.resolve("split.csv"))).noneMatch(l -> l.endsWith(",validation"));
        for (String png : List.of(Reports.ACCURACY_PNG, Reports.LOSS_PNG)) {
            assertThat(ImageIO.read(out.resolve("reports").resolve(png).toFile())).as(png).isNotNull();
        }
        // evaluate reads the bundle back and scores its test part the same way, with no seen speaker.
        StringWriter err = new StringWriter();
        try (ModelBundle bundle = ModelBundle.open(out, new CentroidModelProvider(), config)) {
            assertThat(bundle.info().split().validationSpeakers()).isEmpty();
            Metrics again = Evaluator.run(bundle, features, Path.of("synthetic"), Evaluator.Subset.TEST, tmp.resolve("eval"),
                    new PrintWriter(new StringWriter()), new PrintWriter(err));
            assertThat(again.confusion()).isDeepEqualTo(m.confusion());
        }
        assertThat(err.toString()).isEmpty();
        // The same split with a validation part: the test part is the same, its validation speakers now train.
        Split validated = Splitter.split(features.utterances(), TrainSettings.SplitKind.SPEAKER, 0.2, 0.15, 42);
        assertThat(b.at("/split/counts/train").asInt()).isEqualTo(validated.train().length + validated.validation().length);
    }

    @Test
    void reRunReplacesTheBundleAndCleansLeftovers(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("m");
        Path stale = tmp.resolve(".m.partial-12345");
        Files.createDirectories(stale.resolve("weights"));
        Files.writeString(stale.resolve("bundle.json"), "{");
        Config config = TestSupport.config("ser.train.epochs = 3");
        TrainJob.run(TestSupport.trainer(config, TestSupport.sink(new StringWriter())), features, out,
                TestSupport.sink(new StringWriter()));
        Files.writeString(out.resolve("weights/extra-from-old-run.txt"), "old");
        TrainJob.run(TestSupport.trainer(config, TestSupport.sink(new StringWriter())), features, out,
                TestSupport.sink(new StringWriter()));
        assertThat(out.resolve("weights/extra-from-old-run.txt")).doesNotExist();
        assertThat(out.resolve("bundle.json")).isRegularFile();
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("m");
        }
    }

    @Test
    void aFailedRunLeavesTheOldBundleAndNoPartialFolder(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("m");
        Config config = TestSupport.config("ser.train.epochs = 3");
        TrainJob.run(TestSupport.trainer(config, TestSupport.sink(new StringWriter())), features, out,
                TestSupport.sink(new StringWriter()));
        String before = Files.readString(out.resolve("bundle.json"));
        CentroidModelProvider failing = new CentroidModelProvider() {
            @Override
            public SequenceModel create(ModelContext context) {
                SequenceModel inner = super.create(context);
                return new SequenceModel() {
                    public String backend() {
                        return inner.backend();
                    }

                    public String engineVersion() {
                        return inner.engineVersion();
                    }

                    public StepResult trainStep(ser.api.TrainingBatch batch, double learningRate) {
                        return inner.trainStep(batch, learningRate);
                    }

                    public Evaluation evaluate(List<float[][]> inputs, int[] labels) {
                        return inner.evaluate(inputs, labels);
                    }

                    public float[][] predict(List<float[][]> inputs) {
                        throw new IllegalStateException("simulated crash after training");
                    }

                    public java.util.Map<String, float[]> parameters() {
                        return inner.parameters();
                    }

                    public java.util.Map<String, long[]> parameterShapes() {
                        return inner.parameterShapes();
                    }

                    public void setParameters(java.util.Map<String, float[]> p) {
                        inner.setParameters(p);
                    }

                    public void close() {
                        inner.close();
                    }
                };
            }
        };
        Trainer trainer = new Trainer(TrainSettings.from(config), failing, TrainSettings.backendSettings(config, "test-centroid"),
                TestSupport.sink(new StringWriter()));
        assertThatThrownBy(() -> TrainJob.run(trainer, features, out, TestSupport.sink(new StringWriter())))
                .hasMessageContaining("simulated crash");
        assertThat(Files.readString(out.resolve("bundle.json"))).isEqualTo(before);
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("m");
        }
    }

    @Test
    void refusesToReplaceAFolderThatIsNotABundle(@TempDir Path tmp) throws IOException {
        Path mine = tmp.resolve("precious");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("notes.txt"), "keep me");
        Trainer trainer = TestSupport.trainer(TestSupport.config("ser.train.epochs = 2"), TestSupport.sink(new StringWriter()));
        assertThatThrownBy(() -> TrainJob.run(trainer, features, mine, TestSupport.sink(new StringWriter())))
                .isInstanceOf(UsageException.class).hasMessageContaining("refusing to replace");
        assertThat(mine.resolve("notes.txt")).hasContent("keep me");
    }

    @Test
    void utteranceInputUsesTheNppdpRowAsAOneFrameSequence(@TempDir Path tmp) throws IOException {
        Config config = TestSupport.config("ser.train { input = utterance, epochs = 5, split = random }");
        Metrics m = TrainJob.run(TestSupport.trainer(config, TestSupport.sink(new StringWriter())), features, tmp.resolve("u"),
                TestSupport.sink(new StringWriter()));
        BundleInfo info = ModelBundle.readInfo(tmp.resolve("u"));
        assertThat(info.input().mode()).isEqualTo(InputShape.Mode.UTTERANCE);
        assertThat(info.featureCount()).isEqualTo(2 * SyntheticFeatures.F);
        assertThat(info.split().kind()).isEqualTo("random");
        assertThat(json(tmp.resolve("u/reports/metrics.json")).get("split").asText()).isEqualTo("random");
        assertThat(m.count()).isPositive();
    }
}
