package ser.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ser.api.ArchitectureSpec;
import ser.api.SequenceDataset;
import ser.api.SequenceModel;
import ser.api.Steps;
import ser.api.TrainingBatch;

/** Training steps: they fit, repeat exactly under the same seed, and weight samples. */
class TrainingTest {

    @Test
    void overfitsSixteenTinySequences() {
        SequenceDataset data = TestData.dataset(11, 16, 5, 12, 4);
        // No batch norm here: with Keras's momentum 0.99 its running statistics need hundreds of
        // steps to catch up, which would measure patience, not fitting.
        ArchitectureSpec spec = new ArchitectureSpec(16, 2, true, false, List.of(2), List.of(0.0, 0.0), 2, 8, 16,
                List.of(16), 1e-4, false, 0.0, 4);
        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(spec, 4))) {
            List<SequenceModel.StepResult> steps = Steps.run(model, data, 8, 30, 0.01);
            assertThat(steps).allMatch(SequenceModel.StepResult::applied);
            assertThat(Steps.accuracy(model, data)).as("training accuracy in inference mode").isEqualTo(1.0);
            assertThat(model.evaluate(data.inputs(), data.labels()).accuracy()).isEqualTo(1.0);
            assertThat(steps.get(steps.size() - 1).loss()).isLessThan(steps.get(0).loss());
        }
    }

    @Test
    void sameSeedGivesIdenticalStepsAndPredictions() {
        SequenceDataset train = TestData.dataset(21, 24, 2, 10, 4);
        SequenceDataset val = TestData.dataset(22, 8, 2, 10, 4);
        List<Object> runs = new ArrayList<>();
        for (long seed : new long[] {5, 5, 6}) {
            try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(TestData.tinySpec(0.3), seed))) {
                model.network().attentionBlockElements(200); // blocked attention, gradients through split/concat
                int arrays = model.manager().getManagedArrays().size();
                List<SequenceModel.StepResult> steps = Steps.run(model, train, 8, 3, 3e-3);
                // Adam's moments are created by the first step and live as long as the model.
                int afterFirst = model.manager().getManagedArrays().size();
                Steps.run(model, train, 8, 1, 3e-3);
                assertThat(model.manager().getManagedArrays()).as("no NDArray leaks from training steps").hasSize(afterFirst);
                assertThat(afterFirst).isGreaterThan(arrays);
                runs.add(steps);
                runs.add(model.predict(val.inputs()));
            }
        }
        assertThat(runs.get(2)).isEqualTo(runs.get(0));
        assertThat((float[][]) runs.get(3)).isDeepEqualTo((float[][]) runs.get(1));
        // Another seed (initialization, dropout) gives another run.
        assertThat(runs.get(4)).isNotEqualTo(runs.get(0));
    }

    @Test
    void sampleWeightsScaleEachSequencesLoss() {
        SequenceDataset data = TestData.dataset(23, 4, 3, 6, 4);
        double plain;
        double weighted;
        double doubled;
        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(TestData.tinySpec(0.0), 12))) {
            plain = model.trainStep(TrainingBatch.unweighted(data.inputs(), data.labels()), 0).loss();
        }
        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(TestData.tinySpec(0.0), 12))) {
            weighted = model.trainStep(new TrainingBatch(data.inputs(), data.labels(), new float[] {2, 0, 0, 0}), 0).loss();
        }
        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(TestData.tinySpec(0.0), 12))) {
            doubled = model.trainStep(new TrainingBatch(data.inputs(), data.labels(), new float[] {2, 2, 2, 2}), 0).loss();
        }
        double l2;
        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(TestData.tinySpec(0.0), 12))) {
            double sum = 0;
            for (float w : model.parameters().get("dense1.weight")) {
                sum += w * w;
            }
            l2 = TestData.tinySpec(0.0).denseL2() * sum;
        }
        // mean(2 * ce) + l2 = 2 * (mean(ce) + l2) - l2
        assertThat(doubled).isCloseTo(2 * plain - l2, within(1e-5));
        assertThat(weighted).isNotCloseTo(plain, within(1e-4));
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
            List<SequenceModel.StepResult> steps = Steps.run(model, data, 5, 2, 1e-3);
            assertThat(steps).hasSize(6).allMatch(SequenceModel.StepResult::applied);
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
}
