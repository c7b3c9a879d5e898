package ser.pipeline.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.pipeline.report.Json;
import ser.pipeline.report.Metrics;

class CrossValidationTest {

    @Test
    void threeFoldsBySpeaker(@TempDir Path tmp) throws IOException {
        SyntheticFeatures features = SyntheticFeatures.builder().speakers(9).perEmotion(2).build();
        StringWriter log = new StringWriter();
        Path out = tmp.resolve("cv");
        CrossValidation.Outcome o = CrossValidation.run(
                TestSupport.trainer(TestSupport.config("ser.train.epochs = 8"), TestSupport.sink(log)), features, 3, out,
                TestSupport.sink(log));
        assertThat(o.folds()).hasSize(3);
        JsonNode cv = Json.MAPPER.readTree(out.resolve("cv.json").toFile());
        assertThat(cv.get("folds").asInt()).isEqualTo(3);
        assertThat(cv.get("split").asText()).isEqualTo("speaker");
        for (String metric : new String[] {"accuracy", "uar", "macro_f1"}) {
            JsonNode m = cv.at("/metrics/" + metric);
            assertThat(m.get("per_fold")).hasSize(3);
            double mean = 0;
            for (JsonNode v : m.get("per_fold")) {
                mean += v.asDouble() / 3;
            }
            assertThat(m.get("mean").asDouble()).isCloseTo(mean, within(1e-12));
            double ss = 0;
            for (JsonNode v : m.get("per_fold")) {
                ss += (v.asDouble() - mean) * (v.asDouble() - mean);
            }
            assertThat(m.get("std").asDouble()).isCloseTo(Math.sqrt(ss / 2), within(1e-12));
        }
        // Every utterance is tested exactly once, by a model that never saw its speaker.
        assertThat(cv.at("/pooled/count").asInt()).isEqualTo(features.utterances().size());
        Set<String> tested = new HashSet<>();
        for (JsonNode fold : cv.get("per_fold")) {
            fold.get("test_speakers").forEach(s -> assertThat(tested.add(s.asText())).isTrue());
        }
        assertThat(tested).hasSize(9);
        // Per corpus (one here) and the mode used.
        assertThat(cv.get("normalization").asText()).isEqualTo("speaker");
        assertThat(cv.at("/per_corpus/synth/count").asInt()).isEqualTo(features.utterances().size());
        assertThat(cv.at("/per_corpus/synth/uar/pooled").asDouble()).isCloseTo(cv.at("/pooled/uar").asDouble(), within(1e-12));
        assertThat(cv.at("/per_corpus/synth/uar/mean").asDouble()).isCloseTo(cv.at("/metrics/uar/mean").asDouble(), within(1e-12));
        assertThat(cv.at("/per_fold/0/per_corpus/synth/uar").asDouble()).isCloseTo(o.folds().get(0).uar(), within(1e-12));
        assertThat(log.toString()).contains("normalization speaker").containsPattern("(?m)^synth\\s+3\\s+");
        for (int f = 1; f <= 3; f++) {
            for (String file : new String[] {"history.csv", "metrics.json", "confusion.png", "accuracy.png", "loss.png",
                "test_predictions.csv"}) {
                assertThat(out.resolve("fold-" + f).resolve(file)).isRegularFile();
            }
        }
        assertThat(out.resolve("confusion.png")).isRegularFile();
        assertThat(out.resolve("test_predictions.csv")).isRegularFile();
        // The linear baseline on the same folds: per fold, mean ± std and pooled over every utterance.
        JsonNode baseline = cv.get("baseline");
        assertThat(baseline.at("/metrics/uar/per_fold")).hasSize(3);
        double baselineMean = 0;
        for (int f = 0; f < 3; f++) {
            double uar = baseline.at("/metrics/uar/per_fold").get(f).asDouble();
            assertThat(cv.get("per_fold").get(f).get("baseline_uar").asDouble()).isEqualTo(uar);
            assertThat(Json.MAPPER.readTree(out.resolve("fold-" + (f + 1)).resolve("metrics.json").toFile()).at("/baseline/uar").asDouble())
                    .isEqualTo(uar);
            baselineMean += uar / 3;
        }
        assertThat(baseline.at("/metrics/uar/mean").asDouble()).isCloseTo(baselineMean, within(1e-12));
        assertThat(baseline.at("/pooled/count").asInt()).isEqualTo(features.utterances().size());
        assertThat(log.toString()).containsPattern("baseline \\(linear, C=0.01, class weights none\\): accuracy [0-9.]+ ± [0-9.]+  UAR [0-9.]+ ± [0-9.]+  macro-F1 .*  pooled UAR [0-9.]+");
        assertThat(log.toString()).contains("fold 2/3  epoch   1/8").contains("±").contains("pooled");
        assertThat(o.mean(Metrics::accuracy)).isEqualTo(cv.at("/metrics/accuracy/mean").asDouble());
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("cv");
        }
    }

    @Test
    void foldsWithoutAValidationPartTrainOnEveryOtherSpeaker(@TempDir Path tmp) throws IOException {
        // Three speakers are too few for three folds with validation, enough without.
        SyntheticFeatures features = SyntheticFeatures.builder().speakers(3).perEmotion(2).build();
        StringWriter log = new StringWriter();
        Path out = tmp.resolve("cv");
        CrossValidation.run(TestSupport.trainer(TestSupport.config("ser.train { validation-fraction = 0, epochs = 4 }"),
                TestSupport.sink(log)), features, 3, out, TestSupport.sink(log));
        JsonNode cv = Json.MAPPER.readTree(out.resolve("cv.json").toFile());
        assertThat(cv.get("validation_fraction").asDouble()).isZero();
        int total = features.utterances().size();
        for (JsonNode fold : cv.get("per_fold")) {
            assertThat(fold.at("/split_counts/validation").asInt()).isZero();
            assertThat(fold.at("/split_counts/train").asInt() + fold.at("/split_counts/test").asInt()).isEqualTo(total);
            assertThat(fold.get("epochs_run").asInt()).isEqualTo(4);
            assertThat(fold.get("best_epoch").asInt()).isEqualTo(4);
            assertThat(fold.get("epoch_kept_by").asText()).isEqualTo("last epoch (no validation part)");
        }
        assertThat(cv.at("/baseline/trained_on").asText()).isEqualTo("each fold's train part (no validation part), utterance vectors");
        assertThat(log.toString()).contains("no validation part (every non-test speaker trains)")
                .contains("fold 3/3  speaker split (seed 42): train ").contains("speakers, no validation part, test ")
                .doesNotContain("val_loss");
        assertThat(Files.readAllLines(out.resolve("fold-1/history.csv")).get(1)).contains(",,,");
    }
}
