package ser.pipeline.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.pipeline.extract.Extraction;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.normalize.Normalization;
import ser.pipeline.report.Predictions;
import ser.pipeline.train.CentroidModelProvider;
import ser.pipeline.train.SyntheticFeatures;
import ser.pipeline.train.TestSupport;
import ser.pipeline.train.TrainJob;
import ser.pipeline.train.Trainer;

/** ser predict with a speaker-normalized bundle: each speaker's files normalized with their own statistics. */
class PredictorSpeakersTest {

    @TempDir
    static Path shared;

    static SyntheticFeatures features;
    static ModelBundle bundle;
    static Predictor predictor;

    @BeforeAll
    static void train() {
        // Speaker 03 speaks far off the others: only their own statistics bring them back.
        features = SyntheticFeatures.builder().speakers(6).perEmotion(2).shift(Set.of(SyntheticFeatures.speakerKey("synth", 2)), 6)
                .build();
        Path model = shared.resolve("model");
        TrainJob.run(TestSupport.trainer(TestSupport.config("ser.train.epochs = 5\nser.train.normalization = speaker"),
                TestSupport.sink(new StringWriter())), features, model, TestSupport.sink(new StringWriter()));
        bundle = ModelBundle.open(model, new CentroidModelProvider(), TestSupport.config());
        predictor = new Predictor(bundle, location -> {
            int i = Integer.parseInt(location.substring(location.lastIndexOf('/') + 1));
            return new Extraction(features.sequence(i), features.utteranceVector(i));
        }, 10);
    }

    @AfterAll
    static void close() {
        bundle.close();
    }

    /** "<speaker key>/<index>" for every utterance of the speaker. */
    private static List<String> filesOf(String speakerKey) {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < features.utterances().size(); i++) {
            if (features.utterances().get(i).speakerKey().equals(speakerKey)) {
                files.add(speakerKey + "/" + i);
            }
        }
        return files;
    }

    private static int index(String file) {
        return Integer.parseInt(file.substring(file.lastIndexOf('/') + 1));
    }

    @Test
    void bundleRecordsTheModeAndFallback() {
        assertThat(bundle.info().normalization().mode()).isEqualTo(Normalization.SPEAKER);
        assertThat(bundle.info().normalization().fallback().width()).isEqualTo(bundle.info().featureCount());
    }

    @Test
    void aSpeakersFilesPredictAsTrainerPredictsThemFromTheFeatureSet() {
        String speaker = SyntheticFeatures.speakerKey("synth", 2);
        List<String> files = filesOf(speaker);
        assertThat(files).hasSizeGreaterThanOrEqualTo(10);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = predictor.run(files, SpeakerSource.perFolder(), Predictor.Format.CSV, new PrintWriter(out), new PrintWriter(err));
        assertThat(code).isZero();
        assertThat(err.toString()).isEmpty();
        Predictions reference = Trainer.predict(bundle, features, files.stream().mapToInt(PredictorSpeakersTest::index).toArray());
        List<String> lines = out.toString().lines().skip(1).toList();
        assertThat(lines).hasSize(files.size());
        for (int j = 0; j < lines.size(); j++) {
            String[] cells = lines.get(j).split(",");
            assertThat(cells[1]).isEqualTo(reference.rows().get(j).predicted().id());
            for (int k = 0; k < 8; k++) {
                assertThat(Double.parseDouble(cells[3 + k])).isCloseTo(reference.rows().get(j).probabilities()[k], within(1e-5));
            }
        }
    }

    @Test
    void tooFewFilesOfASpeakerFallBackWithOneWarning() {
        String speaker = SyntheticFeatures.speakerKey("synth", 2);
        List<String> few = filesOf(speaker).subList(0, 3);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = predictor.run(few, SpeakerSource.named("alice"), Predictor.Format.CSV, new PrintWriter(out), new PrintWriter(err));
        assertThat(code).isZero();
        assertThat(err.toString().lines().toList()).singleElement().asString()
                .startsWith("warning: speaker alice has 3 usable file(s), fewer than ser.normalize.min-utterances = 10");
        assertThat(out.toString().lines().skip(1).toList()).hasSize(3);
        // The fallback is the bundle's pooled training statistics, so the probabilities differ from own-speaker ones.
        float[] fallback = predictor.predict(few.get(0));
        Predictions own = Trainer.predict(bundle, features, new int[] {index(few.get(0))});
        assertThat(fallback).isNotEqualTo(own.rows().get(0).probabilities());
    }

    @Test
    void unknownSpeakersFallBackAndSpeakersAreGroupedFromAManifestLikeSource() {
        String a = SyntheticFeatures.speakerKey("synth", 0);
        String b = SyntheticFeatures.speakerKey("synth", 1);
        List<String> files = new ArrayList<>();
        List<String> fa = filesOf(a);
        List<String> fb = filesOf(b);
        for (int i = 0; i < Math.max(fa.size(), fb.size()); i++) { // interleaved, as a manifest may list them
            if (i < fa.size()) {
                files.add(fa.get(i));
            }
            if (i < fb.size()) {
                files.add(fb.get(i));
            }
        }
        files.add("nobody/0");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        SpeakerSource source = file -> file.startsWith("nobody") ? null : file.substring(0, file.lastIndexOf('/'));
        int code = predictor.run(files, source, Predictor.Format.CSV, new PrintWriter(out), new PrintWriter(err));
        assertThat(code).isZero();
        assertThat(err.toString().lines().toList()).singleElement().asString().startsWith("warning: 1 file(s) of no known speaker");
        List<String> printed = out.toString().lines().skip(1).map(l -> l.split(",")[0]).toList();
        List<String> expected = new ArrayList<>(fa);
        expected.addAll(fb);
        expected.add("nobody/0");
        assertThat(printed).containsExactlyElementsOf(expected);
    }
}
