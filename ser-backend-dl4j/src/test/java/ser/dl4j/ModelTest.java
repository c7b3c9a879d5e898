package ser.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import ser.api.ArchitectureSpec;
import ser.api.ParameterNames;
import ser.api.SequenceDataset;
import ser.api.SequenceModel;
import ser.api.SequenceModelProvider;
import ser.api.Steps;
import ser.api.TrainingBatch;

class ModelTest {

    @Test
    void providerIsFoundByServiceLoader() {
        SequenceModelProvider found = null;
        for (SequenceModelProvider p : ServiceLoader.load(SequenceModelProvider.class)) {
            if (p.name().equals("dl4j")) {
                found = p;
            }
        }
        assertThat(found).isNotNull();
        assertThat(found.description()).isNotBlank();
        try (SequenceModel model = found.create(Fixtures.context(Fixtures.tinySpec(), 3, 1, 1))) {
            assertThat(model.backend()).isEqualTo("dl4j");
        }
    }

    /** The default spec: every canonical name, with PyTorch shapes, and nothing else. */
    @Test
    void parametersFollowCanonicalNamesAndShapes() {
        int f = 60;
        Map<String, long[]> expected = new LinkedHashMap<>();
        for (int i = 1; i <= 3; i++) {
            int in = i == 1 ? f : 256;
            for (boolean bwd : new boolean[] {false, true}) {
                expected.put(ParameterNames.gru(i, bwd, "weight_ih"), new long[] {384, in});
                expected.put(ParameterNames.gru(i, bwd, "weight_hh"), new long[] {384, 128});
                expected.put(ParameterNames.gru(i, bwd, "bias_ih"), new long[] {384});
                expected.put(ParameterNames.gru(i, bwd, "bias_hh"), new long[] {384});
            }
            for (String stat : new String[] {"gamma", "beta", "mean", "var"}) {
                expected.put(ParameterNames.gruBatchNorm(i, stat), new long[] {256});
            }
        }
        for (String p : new String[] {"q", "k", "v"}) {
            expected.put("mha." + p + ".weight", new long[] {256, 256});
            expected.put("mha." + p + ".bias", new long[] {256});
        }
        expected.put("mha.o.weight", new long[] {256, 256});
        expected.put("mha.o.bias", new long[] {256});
        expected.put("pool.w.weight", new long[] {128, 256});
        expected.put("pool.w.bias", new long[] {128});
        expected.put("pool.v.weight", new long[] {1, 128});
        int[][] dense = {{128, 256}, {64, 128}};
        for (int j = 1; j <= 2; j++) {
            expected.put(ParameterNames.dense(j, "weight"), new long[] {dense[j - 1][0], dense[j - 1][1]});
            expected.put(ParameterNames.dense(j, "bias"), new long[] {dense[j - 1][0]});
            for (String stat : new String[] {"gamma", "beta", "mean", "var"}) {
                expected.put(ParameterNames.denseBatchNorm(j, stat), new long[] {dense[j - 1][0]});
            }
        }
        expected.put("out.weight", new long[] {8, 64});
        expected.put("out.bias", new long[] {8});

        try (Dl4jSequenceModel model = new Dl4jSequenceModel(Fixtures.context(Fixtures.defaultSpec(8), f, 3, 1))) {
            Map<String, long[]> shapes = model.parameterShapes();
            assertThat(shapes.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            expected.forEach((name, shape) -> assertThat(shapes.get(name)).as(name).containsExactly(shape));
            Map<String, float[]> params = model.parameters();
            expected.forEach((name, shape) -> {
                long n = 1;
                for (long d : shape) {
                    n *= d;
                }
                assertThat(params.get(name)).as(name).hasSize((int) n);
            });
            // initial batch norm: gamma 1, running variance 1, beta and running mean 0
            assertThat(params.get("gru2.bn.gamma")).containsOnly(1f);
            assertThat(params.get("dense1.bn.var")).containsOnly(1f);
            assertThat(params.get("dense1.bn.mean")).containsOnly(0f);
        }
    }

    @Test
    void setParametersReplacesByNameAndRejectsUnknownOrWrongSize() {
        try (Dl4jSequenceModel model = new Dl4jSequenceModel(Fixtures.context(Fixtures.tinySpec(), 3, 1, 1))) {
            float[] bias = new float[3];
            bias[1] = 0.5f;
            model.setParameters(Map.of("out.bias", bias));
            assertThat(model.parameters().get("out.bias")).containsExactly(0f, 0.5f, 0f);
            assertThatThrownBy(() -> model.setParameters(Map.of("nope.weight", new float[1])))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope.weight");
            assertThatThrownBy(() -> model.setParameters(Map.of("out.bias", new float[4])))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out.bias").hasMessageContaining("3");
        }
    }

    /** Weights taken out with parameters() and put into a fresh model give identical predictions. */
    @Test
    void parametersRoundTripIntoAnotherModel() {
        Random rnd = new Random(4);
        List<float[][]> inputs = Fixtures.sequences(rnd, 5, 1, 9, 3);
        try (Dl4jSequenceModel a = new Dl4jSequenceModel(Fixtures.context(Fixtures.tinySpec(), 3, 1, 1));
             Dl4jSequenceModel b = new Dl4jSequenceModel(Fixtures.context(Fixtures.tinySpec(), 3, 2, 1))) {
            Map<String, float[]> p = a.parameters();
            p.get("gru1.bn.mean")[0] = 0.3f;
            p.get("gru1.bn.var")[1] = 2.0f;
            a.setParameters(p);
            b.setParameters(p);
            assertThat(b.predict(inputs)).isDeepEqualTo(a.predict(inputs));
        }
    }

    /** A sequence's prediction does not depend on the batch it is in or on its padding. */
    @Test
    void paddingInvariance() {
        Random rnd = new Random(5);
        List<float[][]> inputs = Fixtures.sequences(rnd, 7, 1, 12, 3);
        inputs.add(new float[][] {{0.5f, -1f, 2f}});    // T = 1
        ArchitectureSpec spec = Fixtures.tinySpec();
        try (Dl4jSequenceModel model = new Dl4jSequenceModel(Fixtures.context(spec, 3, 9, 1))) {
            // non-trivial running statistics
            Map<String, float[]> p = model.parameters();
            for (String name : p.keySet()) {
                if (name.endsWith(".mean") || name.endsWith(".var")) {
                    float[] v = p.get(name);
                    for (int i = 0; i < v.length; i++) {
                        v[i] = name.endsWith(".var") ? 0.5f + rnd.nextFloat() : rnd.nextFloat() - 0.5f;
                    }
                }
            }
            model.setParameters(p);
            float[][] together = model.predict(inputs);
            for (int i = 0; i < inputs.size(); i++) {
                float[][] alone = model.predict(java.util.Collections.singletonList(inputs.get(i)));
                for (int c = 0; c < spec.classes(); c++) {
                    assertThat(together[i][c]).as("sequence %d class %d", i, c).isCloseTo(alone[0][c], within(1e-5f));
                }
            }
            for (float[] row : together) {
                double sum = 0;
                for (float v : row) {
                    sum += v;
                    assertThat(v).isBetween(0f, 1f);
                }
                assertThat(sum).isCloseTo(1.0, within(1e-6));
            }
        }
    }

    /**
     * Arrays inside an ND4J workspace (training steps and prediction batches use them) give the
     * same numbers as plain arrays: same probabilities and the same gradients.
     */
    @Test
    void workspaceGivesSameResults() {
        Random rnd = new Random(6);
        List<float[][]> inputs = Fixtures.sequences(rnd, 4, 2, 8, 3);
        int[] labels = {0, 1, 2, 1};
        int[] idx = {0, 1, 2, 3};
        try (Dl4jSequenceModel model = new Dl4jSequenceModel(Fixtures.context(Fixtures.tinySpec(), 3, 2, 1))) {
            Network net = model.network();
            Network.Mode mode = new Network.Mode(true, null, 0.0);
            Batch plain = Batch.of(inputs, idx, labels, 3, net.dtype());
            double[][] probsPlain = net.forward(plain.x(), plain.seq(), Network.Mode.INFERENCE).toDoubleMatrix();
            double[][] probsWs;
            try (var ws = Workspaces.open("test-ws")) {
                Batch b = Batch.of(inputs, idx, labels, 3, net.dtype());
                probsWs = net.forward(b.x(), b.seq(), Network.Mode.INFERENCE).toDoubleMatrix();
            }
            assertThat(probsWs).isDeepEqualTo(probsPlain);
            ArchitectureSpec noDrop = new ArchitectureSpec(3, 2, true, true, List.of(2), List.of(0.0, 0.0), 2, 2, 3,
                    List.of(4), 0.01, true, 0.0, 3);
            try (Dl4jSequenceModel m2 = new Dl4jSequenceModel(Fixtures.context(noDrop, 3, 2, 1))) {
                Network n2 = m2.network();
                Batch b1 = Batch.of(inputs, idx, labels, 3, n2.dtype());
                n2.forward(b1.x(), b1.seq(), mode);
                n2.backward(b1.labels());
                INDArray g1 = n2.store().grads().dup();
                for (int rep = 0; rep < 2; rep++) {
                    try (var ws = Workspaces.open("test-ws")) {
                        Batch b2 = Batch.of(inputs, idx, labels, 3, n2.dtype());
                        n2.forward(b2.x(), b2.seq(), mode);
                        n2.backward(b2.labels());
                    }
                    assertThat(n2.store().grads().sub(g1).amaxNumber().doubleValue()).isLessThan(1e-6);
                }
            }
            Workspaces.destroy("test-ws");
        }
        assertThat(Nd4j.getWorkspaceManager().anyWorkspaceActiveForCurrentThread()).isFalse();
    }

    /** 16 tiny random sequences with arbitrary labels are memorized to 100% training accuracy. */
    @Test
    void overfitsSixteenTinySequences() {
        ArchitectureSpec spec = new ArchitectureSpec(16, 1, true, true, List.of(), List.of(0.0), 2, 4, 8,
                List.of(16), 0.0, true, 0.0, 4);
        Random rnd = new Random(7);
        List<float[][]> inputs = Fixtures.sequences(rnd, 16, 3, 10, 4);
        int[] labels = new int[16];
        for (int i = 0; i < 16; i++) {
            labels[i] = rnd.nextInt(4);
        }
        SequenceDataset train = new SequenceDataset(inputs, labels, 4);
        try (Dl4jSequenceModel model = new Dl4jSequenceModel(Fixtures.context(spec, 4, 3, 1))) {
            List<SequenceModel.StepResult> steps = Steps.run(model, train, 8, 120, 0.01);
            assertThat(steps).allMatch(SequenceModel.StepResult::applied);
            assertThat(Steps.accuracy(model, train)).isEqualTo(1.0);
            assertThat(model.evaluate(train.inputs(), train.labels()).accuracy()).isEqualTo(1.0);
        }
    }

    /**
     * Same seed: identical steps and identical predictions; dropout on, 2 threads with the GRU
     * directions in parallel.
     */
    @Test
    void sameSeedSameStepsAndPredictions() {
        SequenceDataset train = Fixtures.separable(11, 12, 3, 3, 2, 9);
        SequenceDataset val = Fixtures.separable(12, 6, 3, 3, 2, 9);
        List<Object> runs = new ArrayList<>();
        List<float[][]> preds = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            long seed = run < 2 ? 5 : 6;
            try (Dl4jSequenceModel model = new Dl4jSequenceModel(Fixtures.parallelContext(Fixtures.tinySpec(), 3, seed))) {
                runs.add(Steps.run(model, train, 4, 3, 0.01));
                preds.add(model.predict(val.inputs()));
            }
        }
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
        assertThat(preds.get(1)).isDeepEqualTo(preds.get(0));
        assertThat(runs.get(2)).isNotEqualTo(runs.get(0));
    }

    /** The GRU directions on two threads compute exactly what one thread computes. */
    @Test
    void parallelDirectionsGiveTheSameResults() {
        SequenceDataset train = Fixtures.separable(15, 8, 3, 3, 2, 9);
        try (Dl4jSequenceModel one = new Dl4jSequenceModel(Fixtures.context(Fixtures.tinySpec(), 3, 3, 2));
             Dl4jSequenceModel two = new Dl4jSequenceModel(Fixtures.parallelContext(Fixtures.tinySpec(), 3, 3))) {
            assertThat(Steps.run(two, train, 4, 2, 0.01)).isEqualTo(Steps.run(one, train, 4, 2, 0.01));
            assertThat(two.evaluate(train.inputs(), train.labels())).isEqualTo(one.evaluate(train.inputs(), train.labels()));
            assertThat(two.predict(train.inputs())).isDeepEqualTo(one.predict(train.inputs()));
        }
    }

    /** Per-sample weights scale each sequence's cross-entropy (Keras's sample weights). */
    @Test
    void sampleWeightsScaleEachSequencesLoss() {
        SequenceDataset data = Fixtures.separable(16, 4, 3, 3, 2, 6);
        double[] losses = new double[2];
        float[][] weights = {{1, 1, 1, 1}, {2, 2, 2, 2}};
        double l2 = 0;
        for (int k = 0; k < 2; k++) {
            try (Dl4jSequenceModel model = new Dl4jSequenceModel(Fixtures.context(Fixtures.tinySpec(), 3, 13, 1))) {
                float[] w = model.parameters().get("dense1.weight");
                l2 = 0;
                for (float v : w) {
                    l2 += v * v;
                }
                l2 *= Fixtures.tinySpec().denseL2();
                losses[k] = model.trainStep(new TrainingBatch(data.inputs(), data.labels(), weights[k]), 0).loss();
            }
        }
        assertThat(losses[1]).isCloseTo(2 * losses[0] - l2, within(1e-5));
    }

    /** T = 1 everywhere: training and prediction work. */
    @Test
    void singleFrameSequencesTrainAndPredict() {
        Random rnd = new Random(9);
        List<float[][]> inputs = Fixtures.sequences(rnd, 6, 1, 1, 3);
        SequenceDataset data = new SequenceDataset(inputs, new int[] {0, 1, 2, 0, 1, 2}, 3);
        try (Dl4jSequenceModel model = new Dl4jSequenceModel(Fixtures.context(Fixtures.tinySpec(), 3, 1, 1))) {
            List<SequenceModel.StepResult> steps = Steps.run(model, data, 3, 2, 0.01);
            assertThat(steps).hasSize(4).allMatch(SequenceModel.StepResult::applied);
            assertThat(steps.get(3).loss()).isFinite();
            assertThat(model.predict(inputs)).hasNumberOfRows(6);
        }
    }

    /** Two models of different shapes used alternately in one JVM and thread. */
    @Test
    void twoModelsInOneJvm() {
        Random rnd = new Random(10);
        List<float[][]> in3 = Fixtures.sequences(rnd, 3, 2, 6, 3);
        List<float[][]> in5 = Fixtures.sequences(rnd, 3, 2, 6, 5);
        ArchitectureSpec other = new ArchitectureSpec(4, 1, false, false, List.of(), List.of(0.1), 0, 0, 3,
                List.of(), 0.0, false, 0.0, 2);
        try (Dl4jSequenceModel a = new Dl4jSequenceModel(Fixtures.context(Fixtures.tinySpec(), 3, 1, 1));
             Dl4jSequenceModel b = new Dl4jSequenceModel(Fixtures.context(other, 5, 1, 2))) {
            float[][] a1 = a.predict(in3);
            float[][] b1 = b.predict(in5);
            Steps.run(b, new SequenceDataset(in5, new int[] {0, 1, 0}, 5), 2, 1, 0.01);
            assertThat(a.predict(in3)).isDeepEqualTo(a1);
            assertThat(b.predict(in5)).isNotEqualTo(b1);
            assertThat(b1[0]).hasSize(2);
        }
    }

    @Test
    void rejectsBadInput() {
        try (Dl4jSequenceModel model = new Dl4jSequenceModel(Fixtures.context(Fixtures.tinySpec(), 3, 1, 1))) {
            assertThatThrownBy(() -> model.predict(java.util.Collections.singletonList(new float[0][3])))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no frames");
            assertThatThrownBy(() -> model.predict(java.util.Collections.singletonList(new float[][] {{1f, 2f}})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("features");
            TrainingBatch bad = TrainingBatch.unweighted(java.util.Collections.singletonList(new float[][] {{1f, 2f, 3f}}), new int[] {7});
            assertThatThrownBy(() -> model.trainStep(bad, 0.01))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label 7");
        }
    }
}
