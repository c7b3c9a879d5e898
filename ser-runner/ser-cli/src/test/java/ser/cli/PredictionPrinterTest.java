package ser.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.api.Emotion;
import ser.pipeline.BadInputException;
import ser.pipeline.UsageException;
import ser.pipeline.extract.Extraction;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.predict.Predictor;
import ser.pipeline.report.Predictions;
import ser.pipeline.train.CentroidModelProvider;
import ser.pipeline.train.SyntheticFeatures;
import ser.pipeline.train.TestSupport;
import ser.pipeline.train.TrainJob;
import ser.pipeline.train.Trainer;

/** ser predict's output formats, with features served from the synthetic set instead of audio. */
class PredictionPrinterTest {

    @TempDir
    static Path shared;

    static SyntheticFeatures features;
    static ModelBundle bundle;
    static Predictor predictor;

    @BeforeAll
    static void train() {
        features = SyntheticFeatures.builder().speakers(6).perEmotion(2).build();
        Path model = shared.resolve("model");
        TrainJob.run(TestSupport.trainer(TestSupport.config("ser.train.epochs = 5\nser.train.normalization = off"), TestSupport.sink(new StringWriter())),
                features, model, TestSupport.sink(new StringWriter()));
        bundle = ModelBundle.open(model, new CentroidModelProvider(), TestSupport.config());
        // "utt/<i>" is utterance i of the feature set; anything else fails like an undecodable file.
        predictor = new Predictor(bundle, location -> {
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

    @Test
    void jsonLinesParseAndMatchTheModel() throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PredictionPrinter.run(predictor, List.of("utt/0", "utt/5", "utt/17"), PredictionFormat.JSON,
                new PrintWriter(out), new PrintWriter(err));
        assertThat(code).isZero();
        assertThat(err.toString()).isEmpty();
        ObjectMapper mapper = new ObjectMapper();
        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(3);
        Predictions reference = Trainer.predict(bundle, features, new int[] {0, 5, 17});
        for (int i = 0; i < lines.length; i++) {
            JsonNode o = mapper.readTree(lines[i]);
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactly("file", "emotion", "emotion_label", "probabilities");
            Predictions.Row expected = reference.rows().get(i);
            assertThat(o.get("emotion").asText()).isEqualTo(expected.predicted().id());
            assertThat(o.get("emotion_label").asInt()).isEqualTo(expected.predicted().label());
            JsonNode p = o.get("probabilities");
            List<String> names = new ArrayList<>();
            p.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactly("fear", "happy", "sad", "anger", "disgust", "neutral", "surprise", "others");
            for (Emotion e : Emotion.values()) {
                assertThat(p.get(e.id()).asDouble()).isCloseTo(expected.probabilities()[e.index()], within(1e-6));
            }
        }
        assertThat(mapper.readTree(lines[1]).get("file").asText()).isEqualTo("utt/5");
    }

    @Test
    void aFailingFileIsOneStderrLineTheOthersStillPrintExitOne() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PredictionPrinter.run(predictor, List.of("utt/1", "broken.wav", "utt/2"), PredictionFormat.JSON,
                new PrintWriter(out), new PrintWriter(err));
        assertThat(code).isEqualTo(ExitCodes.RUN_FAILURE);
        assertThat(out.toString().split("\n")).hasSize(2);
        assertThat(err.toString().split("\n")).containsExactly("broken.wav: not a WAV file (no RIFF header)",
                "ser predict: 1 input(s) failed, 2 predicted");
    }

    @Test
    void csvAndTableFormats() {
        StringWriter csv = new StringWriter();
        PredictionPrinter.run(predictor, List.of("utt/3"), PredictionFormat.CSV, new PrintWriter(csv),
                new PrintWriter(new StringWriter()));
        String[] lines = csv.toString().split("\r?\n");
        assertThat(lines[0]).isEqualTo("file,emotion,emotion_label,fear,happy,sad,anger,disgust,neutral,surprise,others");
        assertThat(lines[1].split(",")).hasSize(11);
        StringWriter table = new StringWriter();
        PredictionPrinter.run(predictor, List.of("utt/3"), PredictionFormat.TABLE, new PrintWriter(table),
                new PrintWriter(new StringWriter()));
        Iterator<String> t = table.toString().lines().iterator();
        assertThat(t.next()).startsWith("emotion").contains("surprise").endsWith("file");
        assertThat(t.next()).endsWith("  utt/3");
        assertThat(PredictionFormat.parse("JSON")).isEqualTo(PredictionFormat.JSON);
        assertThatThrownBy(() -> PredictionFormat.parse("xml")).isInstanceOf(UsageException.class)
                .hasMessageContaining("--format");
    }
}
