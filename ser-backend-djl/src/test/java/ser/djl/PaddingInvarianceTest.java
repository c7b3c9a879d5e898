package ser.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDScope;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Masking: a sequence's result does not depend on padding or on what it is batched with. */
class PaddingInvarianceTest {

    @Test
    void predictionDoesNotChangeWhenBatchedWithLongerSequences() {
        SplittableRandom rng = new SplittableRandom(5);
        float[][] shortSeq = TestData.sequence(rng, 3, TestData.FEATURES);
        float[][] longSeq = TestData.sequence(rng, 17, TestData.FEATURES);
        float[][] single = TestData.sequence(rng, 1, TestData.FEATURES);
        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(TestData.tinySpec(0.3), 1))) {
            TestData.randomize(model, 9);
            float[] alone = model.predict(Collections.singletonList(shortSeq))[0];
            float[] singleAlone = model.predict(Collections.singletonList(single))[0];
            float[][] batched = model.predict(List.of(longSeq, shortSeq, single));
            assertThat(batched[1]).containsExactly(alone, within(1e-5f));
            assertThat(batched[2]).containsExactly(singleAlone, within(1e-5f));
            for (float[] row : batched) {
                double sum = 0;
                for (float p : row) {
                    sum += p;
                }
                assertThat(sum).isCloseTo(1.0, within(1e-5));
            }
        }
    }

    @Test
    void trainingModeLogitsIgnoreExtraPadding() {
        // Batch-norm batch statistics, attention, pooling and the reversed GRU direction must all
        // skip padded frames: padding the same batch further changes nothing.
        SplittableRandom rng = new SplittableRandom(6);
        List<float[][]> seqs = List.of(TestData.sequence(rng, 4, TestData.FEATURES),
                TestData.sequence(rng, 9, TestData.FEATURES), TestData.sequence(rng, 1, TestData.FEATURES));
        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(TestData.tinySpec(0.0), 2));
                NDScope scope = new NDScope();
                GradMode ignored = GradMode.disabled()) {
            scope.suppressNotUsedWarning();
            TestData.randomize(model, 10);
            Map<String, float[]> before = model.parameters();
            PaddedBatch tight = PaddedBatch.of(model.manager(), seqs, TestData.FEATURES, 0, null, 0);
            PaddedBatch loose = PaddedBatch.of(model.manager(), seqs, TestData.FEATURES, 16, null, 0);
            float[] a = model.network().logits(tight, true, new SplittableRandom(1)).toFloatArray();
            Map<String, float[]> afterTight = model.parameters();
            model.network().attentionBlockElements(1); // and attention one sequence at a time
            model.setParameters(before);
            float[] b = model.network().logits(loose, true, new SplittableRandom(1)).toFloatArray();
            Map<String, float[]> afterLoose = model.parameters();
            assertThat(b).containsExactly(a, within(1e-5f));
            // The running statistics moved, by the same masked batch statistics.
            for (String stat : List.of("gru1.bn.mean", "gru1.bn.var", "gru2.bn.mean", "gru2.bn.var", "dense1.bn.mean")) {
                assertThat(afterTight.get(stat)).as(stat).isNotEqualTo(before.get(stat));
                assertThat(afterLoose.get(stat)).as(stat).containsExactly(afterTight.get(stat), within(1e-6f));
            }
        }
    }

    @Test
    void unpaddedBatchGivesTheSameTrainingLogitsAsThePaddedPath() {
        // A batch without padding skips the frame mask and reverses by a flip; padding the same
        // batch takes the masked, index-reversed path. Both must agree.
        SplittableRandom rng = new SplittableRandom(7);
        List<float[][]> seqs = List.of(TestData.sequence(rng, 6, TestData.FEATURES),
                TestData.sequence(rng, 6, TestData.FEATURES), TestData.sequence(rng, 6, TestData.FEATURES));
        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(TestData.tinySpec(0.0), 2));
                NDScope scope = new NDScope();
                GradMode ignored = GradMode.disabled()) {
            scope.suppressNotUsedWarning();
            TestData.randomize(model, 11);
            Map<String, float[]> before = model.parameters();
            PaddedBatch full = PaddedBatch.of(model.manager(), seqs, TestData.FEATURES, 0, null, 0);
            PaddedBatch padded = PaddedBatch.of(model.manager(), seqs, TestData.FEATURES, 9, null, 0);
            assertThat(full.padded()).isFalse();
            assertThat(padded.padded()).isTrue();
            float[] a = model.network().logits(full, true, new SplittableRandom(1)).toFloatArray();
            Map<String, float[]> afterFull = model.parameters();
            model.setParameters(before);
            float[] b = model.network().logits(padded, true, new SplittableRandom(1)).toFloatArray();
            Map<String, float[]> afterPadded = model.parameters();
            assertThat(b).containsExactly(a, within(1e-5f));
            for (String stat : List.of("gru1.bn.mean", "gru1.bn.var", "gru2.bn.var")) {
                assertThat(afterPadded.get(stat)).as(stat).containsExactly(afterFull.get(stat), within(1e-6f));
            }
        }
    }
}
