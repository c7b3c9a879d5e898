package ser.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ser.api.EpochMetrics;
import ser.api.SequenceDataset;
import ser.api.TrainingResult;
import ser.api.TrainingSpec;

/** Non-finite losses and gradients: skipped steps, divergence stops, finite weights throughout. */
class DivergenceTest {

    @Test
    void aStepWithANonFiniteLossChangesNothing() {
        SplittableRandom rng = new SplittableRandom(51);
        List<float[][]> good = List.of(TestData.sequence(rng, 5, TestData.FEATURES), TestData.sequence(rng, 3, TestData.FEATURES));
        float[][] poisoned = TestData.sequence(rng, 4, TestData.FEATURES);
        poisoned[2][1] = Float.NaN;
        int[] labels = {0, 1};
        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(TestData.tinySpec(0.2), 8));
                Adam adam = model.newOptimizer()) {
            Map<String, float[]> before = model.parameters();
            DjlSequenceModel.StepResult skipped = model.trainStep(List.of(good.get(0), poisoned), labels, 1e-2, 1.0,
                    new SplittableRandom(1), 0.1, new SplittableRandom(2), adam);
            assertThat(skipped.applied()).isFalse();
            assertThat(skipped.loss()).isNaN();
            Map<String, float[]> after = model.parameters();
            for (Map.Entry<String, float[]> e : before.entrySet()) {
                assertThat(after.get(e.getKey())).as("%s after a skipped step", e.getKey()).containsExactly(e.getValue());
            }
            DjlSequenceModel.StepResult applied = model.trainStep(good, labels, 1e-2, 1.0, new SplittableRandom(1), 0.1,
                    new SplittableRandom(2), adam);
            assertThat(applied.applied()).isTrue();
            assertThat(applied.loss()).isFinite();
            Map<String, float[]> trained = model.parameters();
            // Weights and the batch-norm running statistics move only with an applied step.
            for (String name : List.of("gru1.fwd.weight_ih", "gru1.bn.mean", "gru1.bn.var", "dense1.bn.var")) {
                assertThat(trained.get(name)).as(name).isNotEqualTo(before.get(name));
            }
        }
    }

    @Test
    void anEpochWithANonFiniteLossStopsTrainingWithTheBestWeights() {
        SequenceDataset train = TestData.dataset(61, 16, 3, 8, 4);
        SequenceDataset val = TestData.dataset(62, 8, 3, 8, 4);
        TrainingSpec training = new TrainingSpec(4, 20, 1e-2, 1.0, 20, 1.0, 20, 0.0, 5, 1);
        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(TestData.tinySpec(0.0), 9))) {
            List<EpochMetrics> seen = new ArrayList<>();
            // The data goes bad after epoch 2: one sequence gets a NaN frame, so one batch per
            // epoch has a NaN loss from then on.
            TrainingResult r = model.fit(train, val, training, m -> {
                seen.add(m);
                if (m.epoch() == 2) {
                    train.inputs().get(5)[1][0] = Float.NaN;
                }
            });
            assertThat(r.stoppedEarly()).isTrue();
            assertThat(r.history()).hasSize(3).isEqualTo(seen);
            EpochMetrics diverged = r.history().get(2);
            assertThat(diverged.loss()).isNaN();
            assertThat(diverged.steps()).as("applied steps of 4").isEqualTo(3);
            assertThat(diverged.validationLoss()).as("weights stayed finite").isFinite();
            assertThat(r.history().get(0).steps()).isEqualTo(4);
            assertThat(r.bestEpoch()).isBetween(1, 2);
            EpochMetrics best = r.history().get(r.bestEpoch() - 1);
            assertThat(model.evaluate(val).loss()).isCloseTo(best.validationLoss(), within(1e-9));
            assertFinite(model.parameters());
        }
    }

    @Test
    void whenNoStepCanBeAppliedTheModelKeepsItsInitialWeights() {
        // An infinite input saturates the GRU gates: the loss stays finite, the gradient does not.
        SequenceDataset train = TestData.dataset(71, 6, 2, 5, 4);
        train.inputs().get(3)[0][0] = Float.POSITIVE_INFINITY;
        TrainingSpec training = new TrainingSpec(6, 5, 1e-2, 1.0, 5, 1.0, 5, 0.0, 5, 1);
        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(TestData.tinySpec(0.0), 10))) {
            Map<String, float[]> initial = model.parameters();
            TrainingResult r = model.fit(train, null, training, null);
            assertThat(r.stoppedEarly()).isTrue();
            assertThat(r.history()).hasSize(1);
            assertThat(r.history().get(0).steps()).isZero();
            Map<String, float[]> after = model.parameters();
            for (Map.Entry<String, float[]> e : initial.entrySet()) {
                assertThat(after.get(e.getKey())).as(e.getKey()).containsExactly(e.getValue());
            }
        }
    }

    private static void assertFinite(Map<String, float[]> values) {
        values.forEach((name, v) -> {
            for (float x : v) {
                assertThat(x).as(name).isFinite();
            }
        });
    }
}
