package ser.pipeline.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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

    private record Collected(Predictor.Summary summary, List<Prediction> predictions, List<String> failures, List<String> warnings) {
    }

    private static Collected run(List<String> files, SpeakerSource speakers) {
        PredictorTest.Collected c = new PredictorTest.Collected();
        Predictor.Summary summary = predictor.run(files, speakers, c);
        return new Collected(summary, c.predictions, c.failures, c.warnings);
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
        Collected c = run(files, SpeakerSource.perFolder());
        assertThat(c.summary()).isEqualTo(new Predictor.Summary(files.size(), 0));
        assertThat(c.failures()).isEmpty();
        assertThat(c.warnings()).isEmpty();
        Predictions reference = Trainer.predict(bundle, features, files.stream().mapToInt(PredictorSpeakersTest::index).toArray());
        assertThat(c.predictions()).hasSize(files.size());
        for (int j = 0; j < files.size(); j++) {
            Prediction p = c.predictions().get(j);
            assertThat(p.file()).isEqualTo(files.get(j));
            assertThat(p.emotion()).isEqualTo(reference.rows().get(j).predicted());
            for (int k = 0; k < 8; k++) {
                assertThat((double) p.probabilities()[k]).isCloseTo(reference.rows().get(j).probabilities()[k], within(1e-5));
            }
        }
    }

    @Test
    void tooFewFilesOfASpeakerFallBackWithOneWarning() {
        String speaker = SyntheticFeatures.speakerKey("synth", 2);
        List<String> few = filesOf(speaker).subList(0, 3);
        Collected c = run(few, SpeakerSource.named("alice"));
        assertThat(c.summary()).isEqualTo(new Predictor.Summary(3, 0));
        assertThat(c.warnings()).singleElement().asString()
                .startsWith("warning: speaker alice has 3 usable file(s), fewer than ser.normalize.min-utterances = 10");
        assertThat(c.predictions()).hasSize(3);
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
        SpeakerSource source = file -> file.startsWith("nobody") ? null : file.substring(0, file.lastIndexOf('/'));
        Collected c = run(files, source);
        assertThat(c.summary().failed()).isZero();
        assertThat(c.warnings()).singleElement().asString().startsWith("warning: 1 file(s) of no known speaker");
        List<String> printed = c.predictions().stream().map(Prediction::file).toList();
        List<String> expected = new ArrayList<>(fa);
        expected.addAll(fb);
        expected.add("nobody/0");
        assertThat(printed).containsExactlyElementsOf(expected);
    }
}
