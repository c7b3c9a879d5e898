package ser.pipeline.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import ser.api.TrainingSpec;
import ser.pipeline.UsageException;
import ser.pipeline.report.Predictions;

/** The linear baseline beside every trained model. */
class BaselineTest {

    @Test
    void fitsOnTrainAndValidationAndScoresTheTestPart() {
        SyntheticFeatures features = SyntheticFeatures.builder().speakers(12).perEmotion(3).build();
        TrainSettings s = TrainSettings.from(TestSupport.config());
        Split split = Splitter.split(features.utterances(), s.split(), s.testFraction(), s.validationFraction(), s.seed());
        Baseline baseline = Baseline.from(TestSupport.config("ser.train.class-weights = balanced"));
        assertThat(baseline.enabled()).isTrue();
        assertThat(baseline.classWeights()).isEqualTo(TrainingSpec.ClassWeights.BALANCED);
        assertThat(baseline.settings().c()).isEqualTo(0.01);
        Baseline.Result r = baseline.fit(features, split);
        assertThat(r.trainCount()).isEqualTo(split.train().length + split.validation().length);
        assertThat(r.validationCount()).isEqualTo(split.validation().length).isPositive();
        assertThat(r.json().get("trained_on").asText()).isEqualTo("train + validation parts");
        assertThat(r.converged()).isTrue();
        Set<String> ids = new HashSet<>();
        for (Predictions.Row row : r.test().rows()) {
            ids.add(row.id());
        }
        Set<String> expected = new HashSet<>();
        for (int i : split.test()) {
            expected.add(features.utterances().get(i).id());
        }
        assertThat(ids).isEqualTo(expected);
        assertThat(r.metrics().uar()).as("synthetic classes are linearly separable").isGreaterThan(0.5);
        assertThat(r.json().get("uar").asDouble()).isEqualTo(r.metrics().uar());
        assertThat(r.summary()).startsWith("baseline (linear, C=0.01, class weights balanced): accuracy");
    }

    @Test
    void withoutAValidationPartTheLinearBackendIsTheBaseline() {
        // The recipe's model through the training loop and the baseline now see the same rows (every
        // non-test speaker), the same scaler and the same class weights: the same optimum.
        SyntheticFeatures features = SyntheticFeatures.builder().speakers(10).perEmotion(3).build();
        com.typesafe.config.Config config = TestSupport.config("""
                ser.train { backend = linear, input = utterance, epochs = 1, noise-std = 0, class-weights = balanced,
                  validation-fraction = 0, batch-size = 16 }
                """);
        TrainSettings s = TrainSettings.from(config);
        Split split = Splitter.split(features.utterances(), s.split(), s.testFraction(), s.validationFraction(), s.seed());
        assertThat(split.validation()).isEmpty();
        java.io.StringWriter log = new java.io.StringWriter();
        Trainer trainer = new Trainer(s, new ser.pipeline.linear.LinearModelProvider(), TrainSettings.backendSettings(config, "linear"),
                TestSupport.sink(log));
        try (Trainer.Trained trained = trainer.fit(features, split, "", null)) {
            Baseline.Result b = Baseline.from(config).fit(ser.pipeline.normalize.NormalizedFeatures.of(features, s.normalization()),
                    split);
            assertThat(b.trainCount()).isEqualTo(split.train().length);
            assertThat(b.validationCount()).isZero();
            assertThat(b.json().get("trained_on").asText()).isEqualTo("train part (no validation part)");
            assertThat(trained.test().rows()).hasSameSizeAs(b.test().rows());
            for (int i = 0; i < b.test().rows().size(); i++) {
                Predictions.Row model = trained.test().rows().get(i);
                Predictions.Row baseline = b.test().rows().get(i);
                assertThat(model.id()).isEqualTo(baseline.id());
                for (int k = 0; k < model.probabilities().length; k++) {
                    assertThat((double) model.probabilities()[k]).as("%s, class %d", model.id(), k)
                            .isCloseTo(baseline.probabilities()[k], org.assertj.core.api.Assertions.within(1e-4));
                }
            }
        }
        assertThat(log.toString()).contains("no validation part: 1 epoch, the last epoch's weights kept").doesNotContain("val_loss");
    }

    @Test
    void noneFitsNothingAndBadValuesNameTheKey() {
        Baseline none = Baseline.from(TestSupport.config("ser.train.baseline = none"));
        assertThat(none.enabled()).isFalse();
        assertThat(none.fit(SyntheticFeatures.builder().speakers(4).perEmotion(1).build(), null)).isNull();
        assertThatThrownBy(() -> Baseline.from(TestSupport.config("ser.train.baseline = svm")))
                .isInstanceOf(UsageException.class).hasMessageContaining("ser.train.baseline");
        assertThatThrownBy(() -> Baseline.from(TestSupport.config("ser.backends.linear.c = -1")))
                .isInstanceOf(UsageException.class).hasMessageContaining("ser.backends.linear.c");
    }
}
