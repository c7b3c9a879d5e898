package ser.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ser.api.SequenceModel;
import ser.api.TrainingBatch;

/**
 * Non-finite losses and gradients skip the step. (What the training loop does with a skipped
 * step, divergence and rollback, is tested in the runner on both backends.)
 */
class DivergenceTest {

    @Test
    void aStepWithANonFiniteLossChangesNothing() {
        SplittableRandom rng = new SplittableRandom(51);
        List<float[][]> good = List.of(TestData.sequence(rng, 5, TestData.FEATURES), TestData.sequence(rng, 3, TestData.FEATURES));
        float[][] poisoned = TestData.sequence(rng, 4, TestData.FEATURES);
        poisoned[2][1] = Float.NaN;
        int[] labels = {0, 1};
        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(TestData.tinySpec(0.2), 8))) {
            Map<String, float[]> before = model.parameters();
            SequenceModel.StepResult skipped = model.trainStep(TrainingBatch.unweighted(List.of(good.get(0), poisoned), labels), 1e-2);
            assertThat(skipped.applied()).isFalse();
            assertThat(skipped.loss()).isNaN();
            assertUnchanged(before, model.parameters());
            SequenceModel.StepResult applied = model.trainStep(TrainingBatch.unweighted(good, labels), 1e-2);
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
    void aStepWithANonFiniteGradientChangesNothing() {
        // An infinite input saturates the GRU gates: the loss stays finite, the gradient does not.
        SplittableRandom rng = new SplittableRandom(71);
        float[][] bad = TestData.sequence(rng, 4, TestData.FEATURES);
        bad[0][0] = Float.POSITIVE_INFINITY;
        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(TestData.tinySpec(0.0), 10))) {
            Map<String, float[]> before = model.parameters();
            SequenceModel.StepResult step = model.trainStep(TrainingBatch.unweighted(
                    List.of(bad, TestData.sequence(rng, 3, TestData.FEATURES)), new int[] {0, 1}), 1e-2);
            assertThat(step.applied()).isFalse();
            assertUnchanged(before, model.parameters());
        }
    }

    private static void assertUnchanged(Map<String, float[]> before, Map<String, float[]> after) {
        for (Map.Entry<String, float[]> e : before.entrySet()) {
            assertThat(after.get(e.getKey())).as("%s after a skipped step", e.getKey()).containsExactly(e.getValue());
        }
    }
}
