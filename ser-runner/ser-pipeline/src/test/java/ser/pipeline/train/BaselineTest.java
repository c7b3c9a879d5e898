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
