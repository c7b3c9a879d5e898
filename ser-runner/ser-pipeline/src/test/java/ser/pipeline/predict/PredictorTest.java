package ser.pipeline.predict;

import ser.pipeline.train.CentroidModelProvider;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.train.SyntheticFeatures;
import ser.pipeline.train.TestSupport;
import ser.pipeline.train.TrainJob;
import ser.pipeline.train.Trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.api.Emotion;
import ser.pipeline.BadInputException;
import ser.pipeline.extract.Extraction;
import ser.pipeline.report.Predictions;

/** The predict stage's values, with features served from the synthetic set instead of audio. */
class PredictorTest {

    @TempDir
    static Path shared;

    static SyntheticFeatures features;
    static ModelBundle bundle;
    static Predictor predictor;

    @BeforeAll
    static void train() {
        features = SyntheticFeatures.builder().speakers(6).perEmotion(2).build();
        Path model = shared.resolve("model");
        // Without normalization: these tests are about the output; PredictorSpeakersTest covers speakers.
        TrainJob.run(TestSupport.trainer(TestSupport.config("ser.train.epochs = 5\nser.train.normalization = off"),
                        TestSupport.sink(new StringWriter())),
                features, model, TestSupport.sink(new StringWriter()));
        bundle = ModelBundle.open(model, new CentroidModelProvider(), TestSupport.config());
        // "utt/<i>" is utterance i of the feature set; anything else fails like an undecodable file.
        predictor = new Predictor(bundle, location -> {
            if (location.equals("huge.wav")) {
                throw new OutOfMemoryError("Java heap space"); // as decoding a file too big for the heap would
            }
            if (!location.startsWith("utt/")) {
                throw new BadInputException(location, "not a WAV file (no RIFF header)");
            }
            int i = Integer.parseInt(location.substring(4));
            return new Extraction(features.sequence(i), features.utteranceVector(i));
        });
    }

    @AfterAll
    static void close() {
        bundle.close();
    }

    /** Collects what the stage reports, in order. */
    static final class Collected implements Predictor.Listener {
        final List<Prediction> predictions = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();

        @Override
        public void predicted(Prediction prediction) {
            predictions.add(prediction);
        }

        @Override
        public void failed(String input, String message) {
            failures.add(message);
        }

        @Override
        public void warning(String message) {
            warnings.add(message);
        }
    }

    @Test
    void valuesMatchTheModelInInputOrder() {
        Collected c = new Collected();
        Predictor.Summary summary = predictor.run(List.of("utt/0", "utt/5", "utt/17"), c);
        assertThat(summary).isEqualTo(new Predictor.Summary(3, 0));
        assertThat(c.failures).isEmpty();
        Predictions reference = Trainer.predict(bundle, features, new int[] {0, 5, 17});
        assertThat(c.predictions).extracting(Prediction::file).containsExactly("utt/0", "utt/5", "utt/17");
        for (int i = 0; i < 3; i++) {
            Prediction p = c.predictions.get(i);
            Predictions.Row expected = reference.rows().get(i);
            assertThat(p.emotion()).isEqualTo(expected.predicted());
            double sum = 0;
            for (Emotion e : Emotion.values()) {
                assertThat((double) p.probabilities()[e.index()]).isCloseTo(expected.probabilities()[e.index()], within(1e-6));
                sum += p.probabilities()[e.index()];
            }
            assertThat(sum).isCloseTo(1, within(1e-5));
        }
    }

    @Test
    void aFailingFileIsReportedAndTheOthersStillRun() {
        Collected c = new Collected();
        Predictor.Summary summary = predictor.run(List.of("utt/1", "broken.wav", "utt/2"), c);
        assertThat(summary).isEqualTo(new Predictor.Summary(2, 1));
        assertThat(c.predictions).extracting(Prediction::file).containsExactly("utt/1", "utt/2");
        assertThat(c.failures).containsExactly("broken.wav: not a WAV file (no RIFF header)");
    }

    @Test
    void aFileThatRunsOutOfMemoryIsReportedAndTheOthersStillRun() {
        Collected c = new Collected();
        Predictor.Summary summary = predictor.run(List.of("utt/1", "huge.wav", "utt/2"), c);
        assertThat(summary).isEqualTo(new Predictor.Summary(2, 1));
        assertThat(c.predictions).extracting(Prediction::file).containsExactly("utt/1", "utt/2");
        assertThat(c.failures).singleElement().asString().startsWith("huge.wav: out of memory: ")
                .endsWith("MB heap (raise -Xmx via JAVA_OPTS or lower ser.audio.max-duration-s)");
    }

    @Test
    void foldersAreSearchedForWavFiles(@TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("sub"));
        Files.writeString(tmp.resolve("b.wav"), "");
        Files.writeString(tmp.resolve("notes.txt"), "");
        Files.writeString(tmp.resolve("sub/a.WAV"), "");
        assertThat(Predictor.expand(tmp.toString())).containsExactly(tmp.resolve("b.wav").toString(),
                tmp.resolve("sub/a.WAV").toString());
        assertThat(Predictor.expand("x.zip!/a.wav")).containsExactly("x.zip!/a.wav");
        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Predictor.expand(empty.toString()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("no audio files");
    }
}
