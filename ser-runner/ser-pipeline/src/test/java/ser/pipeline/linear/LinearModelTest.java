package ser.pipeline.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import ser.api.SequenceDataset;
import ser.api.SequenceModel;
import ser.api.TrainingResult;
import ser.api.TrainingSpec;
import ser.pipeline.train.TrainingLoop;

/** The linear backend through the runner's training loop: small batches, one exact optimum. */
class LinearModelTest {

    private static final int F = 3;
    private static final int CLASSES = 4;
    private static final LinearSettings SETTINGS = new LinearSettings(0.5, 2000, 1e-10);

    private record Data(List<float[][]> inputs, int[] labels) {
    }

    private static Data data(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<float[][]> inputs = new ArrayList<>();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int y = i % 3 == 0 ? 0 : i % 3 == 1 ? 1 : (i % 2 == 0 ? 2 : 3);
            labels[i] = y;
            float[][] seq = new float[1 + r.nextInt(3)][F];
            for (float[] frame : seq) {
                for (int f = 0; f < F; f++) {
                    frame[f] = (float) ((f == y % F ? 1.5 : 0) + r.nextGaussian());
                }
            }
            inputs.add(seq);
        }
        return new Data(inputs, labels);
    }

    @Test
    void oneEpochOfSmallBatchesReachesTheFullBatchOptimum() {
        Data d = data(60, 7);
        LinearModel model = new LinearModel(F, CLASSES, SETTINGS);
        TrainingSpec spec = new TrainingSpec(8, 3, 0.1, 2, 1, 0, 0, false, TrainingSpec.ClassWeights.BALANCED);
        TrainingResult result = new TrainingLoop(spec, 1, List.of()).fit(model, new SequenceDataset(d.inputs(), d.labels(), F), null,
                null);
        assertThat(result.history()).hasSize(3);
        assertThat(result.history().get(1).loss()).as("epoch 2 starts at the optimum").isLessThan(result.history().get(0).loss());

        double[][] x = new double[60][];
        double[] w = new double[60];
        int[] counts = new int[CLASSES];
        for (int y : d.labels()) {
            counts[y]++;
        }
        for (int i = 0; i < 60; i++) {
            x[i] = LinearModel.meanFrame(d.inputs().get(i));
            w[i] = 60.0 / (CLASSES * counts[d.labels()[i]]);
        }
        SoftmaxRegression direct = SoftmaxRegression.fit(x, d.labels(), w, CLASSES, SETTINGS.c(), SETTINGS.options(), null).model();
        float[] weight = model.parameters().get(LinearModel.WEIGHT);
        for (int c = 0; c < CLASSES; c++) {
            for (int f = 0; f < F; f++) {
                assertThat((double) weight[c * F + f]).isCloseTo(direct.weights()[c][f], within(1e-5));
            }
        }
        float[][] p = model.predict(d.inputs().subList(0, 5));
        for (int i = 0; i < 5; i++) {
            double[] q = direct.probabilities(x[i]);
            for (int c = 0; c < CLASSES; c++) {
                assertThat((double) p[i][c]).isCloseTo(q[c], within(1e-5));
            }
        }
        SequenceModel.Evaluation e = model.evaluate(d.inputs(), d.labels());
        assertThat(e.accuracy()).as("separable-ish data").isGreaterThan(0.5);
    }

    @Test
    void parametersRoundTripThroughTheProvider() {
        Data d = data(40, 3);
        LinearModel trained = new LinearModel(F, 8, SETTINGS);
        new TrainingLoop(new TrainingSpec(40, 1, 0.1, 1, 1, 0, 0, false, TrainingSpec.ClassWeights.NONE), 1, List.of())
                .fit(trained, new SequenceDataset(d.inputs(), d.labels(), F), null, null);
        Map<String, float[]> params = trained.parameters();
        SequenceModel loaded = new LinearModelProvider().create(new ser.api.ModelContext(
                ser.pipeline.train.TrainSettings.architecture(ser.pipeline.train.TestSupport.config()), F, 1, 1,
                ConfigFactory.parseString("c = 0.5, max-iterations = 10, tolerance = 1e-6")));
        loaded.setParameters(params);
        assertThat(loaded.parameterShapes().get(LinearModel.WEIGHT)).containsExactly(8, F);
        assertThat(loaded.predict(d.inputs()).length).isEqualTo(40);
        assertThatThrownBy(() -> loaded.setParameters(Map.of("gru1.fwd.weight_ih", new float[1])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown parameter");
        float[][] expected = trained.predict(d.inputs());
        float[][] actual = loaded.predict(d.inputs());
        for (int i = 0; i < expected.length; i++) {
            for (int c = 0; c < 8; c++) {
                assertThat(actual[i][c]).as("float32 weights").isCloseTo(expected[i][c], within(1e-6f));
            }
        }
        LinearModel same = new LinearModel(F, CLASSES, SETTINGS);
        assertThatThrownBy(() -> same.setParameters(params)).hasMessageContaining("out.weight [4, 3]");
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> LinearSettings.of(ConfigFactory.parseString("c = 0, max-iterations = 10, tolerance = 1e-6")))
                .hasMessageContaining("ser.backends.linear.c");
        assertThatThrownBy(() -> LinearSettings.of(ConfigFactory.parseString("c = 1")))
                .hasMessageContaining("ser.backends.linear");
    }
}
