package ser.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ser.api.ArchitectureSpec;
import ser.api.EpochMetrics;
import ser.api.SequenceDataset;
import ser.api.TrainingResult;
import ser.api.TrainingSpec;

class TrainingTest {

    @Test
    void overfitsSixteenTinySequences() {
        SequenceDataset data = TestData.dataset(11, 16, 5, 12, 4);
        // No batch norm here: with Keras's momentum 0.99 its running statistics need hundreds of
        // steps to catch up, which would measure patience, not fitting.
        ArchitectureSpec spec = new ArchitectureSpec(16, 2, true, false, List.of(2), List.of(0.0, 0.0), 2, 8, 16,
                List.of(16), 1e-4, false, 0.0, 4);
        TrainingSpec training = new TrainingSpec(8, 30, 0.01, 1.0, 30, 1.0, 30, 0.0, 3, 1);
        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(spec, 4))) {
            List<EpochMetrics> seen = new ArrayList<>();
            TrainingResult result = model.fit(data, data, training, seen::add);
            assertThat(seen).isEqualTo(result.history());
            float[][] p = model.predict(data.inputs());
            int correct = 0;
            for (int i = 0; i < p.length; i++) {
                int arg = 0;
                for (int c = 1; c < p[i].length; c++) {
                    if (p[i][c] > p[i][arg]) {
                        arg = c;
                    }
                }
                correct += arg == data.labels()[i] ? 1 : 0;
            }
            assertThat(correct).as("training accuracy in inference mode, history %s", result.history()).isEqualTo(16);
            assertThat(result.history().get(result.bestEpoch() - 1).validationAccuracy()).isEqualTo(1.0);
        }
    }

    @Test
    void sameSeedsGiveIdenticalHistoryAndPredictions() {
        SequenceDataset train = TestData.dataset(21, 24, 2, 10, 4);
        SequenceDataset val = TestData.dataset(22, 8, 2, 10, 4);
        TrainingSpec training = TestData.training(8, 3, 3e-3, 0.1, 77);
        List<Object> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(TestData.tinySpec(0.3), 5))) {
                model.network().attentionBlockElements(200); // blocked attention, gradients through split/concat
                int arrays = model.manager().getManagedArrays().size();
                TrainingResult r = model.fit(train, val, training, null);
                assertThat(model.manager().getManagedArrays()).as("no NDArray leaks from training").hasSize(arrays);
                runs.add(withoutTime(r.history()));
                runs.add(model.predict(val.inputs()));
            }
        }
        assertThat(runs.get(2)).isEqualTo(runs.get(0));
        assertThat((float[][]) runs.get(3)).isDeepEqualTo((float[][]) runs.get(1));
        // A different training seed (shuffling, dropout, noise) gives a different run.
        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(TestData.tinySpec(0.3), 5))) {
            TrainingResult r = model.fit(train, val, TestData.training(8, 3, 3e-3, 0.1, 78), null);
            assertThat(withoutTime(r.history())).isNotEqualTo(runs.get(0));
        }
    }

    @Test
    void earlyStoppingRestoresTheBestEpoch() {
        // Random labels on validation: its loss soon rises while training fits.
        SequenceDataset train = TestData.dataset(31, 16, 3, 8, 4);
        SequenceDataset val = TestData.dataset(32, 8, 3, 8, 4);
        TrainingSpec training = new TrainingSpec(4, 40, 0.02, 1.0, 3, 0.5, 2, 0.0, 1, 1);
        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(TestData.tinySpec(0.0), 6))) {
            TrainingResult r = model.fit(train, val, training, null);
            assertThat(r.stoppedEarly()).isTrue();
            assertThat(r.history()).hasSize(r.bestEpoch() + 3);
            EpochMetrics best = r.history().get(r.bestEpoch() - 1);
            for (EpochMetrics m : r.history()) {
                assertThat(m.validationLoss()).isGreaterThanOrEqualTo(best.validationLoss());
                assertThat(m.learningRate()).isEqualTo(training.learningRateAt(m.epoch()));
                assertThat(m.steps()).isEqualTo(4);
            }
            assertThat(model.evaluate(val).loss()).isCloseTo(best.validationLoss(), within(1e-9));
        }
    }

    @Test
    void oneFrameSequencesTrainAndPredict() {
        // The runner's utterance-feature mode: T = 1.
        SplittableRandom rng = new SplittableRandom(41);
        List<float[][]> inputs = new ArrayList<>();
        int[] labels = new int[12];
        for (int i = 0; i < 12; i++) {
            inputs.add(TestData.sequence(rng, 1, TestData.FEATURES));
            labels[i] = i % 4;
        }
        SequenceDataset data = new SequenceDataset(inputs, labels, TestData.FEATURES);
        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(TestData.tinySpec(0.3), 7))) {
            TrainingResult r = model.fit(data, data, TestData.training(5, 2, 1e-3, 0.1, 1), null);
            assertThat(r.history()).hasSize(2);
            assertThat(r.history().get(0).steps()).isEqualTo(3);
            float[][] p = model.predict(inputs);
            assertThat(p).hasNumberOfRows(12);
            for (float[] row : p) {
                double sum = 0;
                for (float v : row) {
                    assertThat(v).isBetween(0f, 1f);
                    sum += v;
                }
                assertThat(sum).isCloseTo(1.0, within(1e-5));
            }
        }
    }

    private static List<EpochMetrics> withoutTime(List<EpochMetrics> history) {
        return history.stream().map(m -> new EpochMetrics(m.epoch(), m.loss(), m.accuracy(), m.validationLoss(),
                m.validationAccuracy(), m.learningRate(), 0, m.steps())).toList();
    }
}
