package ser.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ser.api.ArchitectureSpec;
import ser.api.ParameterNames;

/**
 * The whole network in inference mode, recomputed in plain Java from {@code parameters()} and the
 * ArchitectureSpec / ParameterNames text only: what another backend loading the same map must
 * compute.
 */
class ReferenceForwardTest {

    @Test
    void predictMatchesAPlainJavaForwardPass() {
        ArchitectureSpec spec = new ArchitectureSpec(5, 3, true, true, List.of(2, 3), List.of(0.0, 0.2, 0.2), 2, 3, 4,
                List.of(7, 6), 0.01, true, 0.2, 3);
        SplittableRandom rng = new SplittableRandom(3);
        List<float[][]> inputs = List.of(TestData.sequence(rng, 6, TestData.FEATURES),
                TestData.sequence(rng, 2, TestData.FEATURES), TestData.sequence(rng, 1, TestData.FEATURES));
        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(spec, 4))) {
            TestData.randomize(model, 8);
            Map<String, float[]> p = model.parameters();
            float[][] predicted = model.predict(inputs);
            // Attention in blocks of 2 sequences (2 heads x 6 x 6 frames = 72 scores each): 2 + 1.
            model.network().attentionBlockElements(2 * 72);
            float[][] blocked = model.predict(inputs);
            for (int i = 0; i < inputs.size(); i++) {
                double[] expected = forward(spec, p, inputs.get(i));
                for (int c = 0; c < expected.length; c++) {
                    assertThat((double) predicted[i][c]).as("sequence %d class %d", i, c).isCloseTo(expected[c], within(1e-5));
                    assertThat((double) blocked[i][c]).as("blocked, sequence %d class %d", i, c).isCloseTo(expected[c], within(1e-5));
                }
            }
        }
    }

    @Test
    void unidirectionalWithoutAttentionOrBatchNormToo() {
        ArchitectureSpec spec = new ArchitectureSpec(4, 2, false, false, List.of(2), List.of(0.0, 0.0), 0, 0, 3,
                List.of(5), 0.0, false, 0.0, 2);
        SplittableRandom rng = new SplittableRandom(4);
        List<float[][]> inputs = List.of(TestData.sequence(rng, 4, TestData.FEATURES), TestData.sequence(rng, 7, TestData.FEATURES));
        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(spec, 5))) {
            TestData.randomize(model, 9);
            float[][] predicted = model.predict(inputs);
            for (int i = 0; i < inputs.size(); i++) {
                double[] expected = forward(spec, model.parameters(), inputs.get(i));
                for (int c = 0; c < expected.length; c++) {
                    assertThat((double) predicted[i][c]).isCloseTo(expected[c], within(1e-5));
                }
            }
        }
    }

    static double[] forward(ArchitectureSpec spec, Map<String, float[]> p, float[][] input) {
        int t = input.length;
        double[][] x = new double[t][];
        for (int i = 0; i < t; i++) {
            x[i] = new double[input[i].length];
            for (int f = 0; f < input[i].length; f++) {
                x[i][f] = input[i][f];
            }
        }
        int h = spec.gruUnits();
        for (int layer = 1; layer <= spec.gruLayers(); layer++) {
            double[][] fwd = gru(p, layer, false, x, h, false);
            double[][] out = fwd;
            if (spec.bidirectional()) {
                double[][] bwd = gru(p, layer, true, x, h, true);
                out = new double[t][];
                for (int i = 0; i < t; i++) {
                    out[i] = concat(fwd[i], bwd[i]);
                }
            }
            if (spec.gruBatchNorm()) {
                for (int i = 0; i < t; i++) {
                    out[i] = batchNorm(p, "gru" + layer + ".bn.", out[i]);
                }
            }
            if (spec.residualLayers().contains(layer)) {
                for (int i = 0; i < t; i++) {
                    for (int j = 0; j < out[i].length; j++) {
                        out[i][j] += x[i][j];
                    }
                }
            }
            x = out;
        }
        int d = x[0].length;
        if (spec.attentionHeads() > 0) {
            int heads = spec.attentionHeads();
            int k = spec.attentionKeyDim();
            double[][] q = new double[t][];
            double[][] key = new double[t][];
            double[][] v = new double[t][];
            for (int i = 0; i < t; i++) {
                q[i] = linear(p, "mha.q", x[i]);
                key[i] = linear(p, "mha.k", x[i]);
                v[i] = linear(p, "mha.v", x[i]);
            }
            double[][] out = new double[t][];
            for (int i = 0; i < t; i++) {
                double[] context = new double[heads * k];
                for (int head = 0; head < heads; head++) {
                    double[] scores = new double[t];
                    for (int j = 0; j < t; j++) {
                        double s = 0;
                        for (int c = 0; c < k; c++) {
                            s += q[i][head * k + c] * key[j][head * k + c];
                        }
                        scores[j] = s / Math.sqrt(k);
                    }
                    double[] a = softmax(scores);
                    for (int j = 0; j < t; j++) {
                        for (int c = 0; c < k; c++) {
                            context[head * k + c] += a[j] * v[j][head * k + c];
                        }
                    }
                }
                out[i] = linear(p, "mha.o", context);
            }
            x = out;
        }
        double[] e = new double[t];
        for (int i = 0; i < t; i++) {
            double[] hidden = linear(p, "pool.w", x[i]);
            for (int u = 0; u < hidden.length; u++) {
                hidden[u] = Math.tanh(hidden[u]);
            }
            e[i] = matVec(p.get("pool.v.weight"), hidden, 1)[0];
        }
        double[] a = softmax(e);
        double[] pooled = new double[d];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < d; j++) {
                pooled[j] += a[i] * x[i][j];
            }
        }
        for (int j = 1; j <= spec.denseUnits().size(); j++) {
            pooled = linear(p, "dense" + j, pooled);
            for (int u = 0; u < pooled.length; u++) {
                pooled[u] = Math.max(0, pooled[u]);
            }
            if (spec.denseBatchNorm()) {
                pooled = batchNorm(p, "dense" + j + ".bn.", pooled);
            }
        }
        return softmax(linear(p, "out", pooled));
    }

    private static double[][] gru(Map<String, float[]> p, int layer, boolean backward, double[][] x, int h, boolean reverse) {
        float[] wih = p.get(ParameterNames.gru(layer, backward, "weight_ih"));
        float[] whh = p.get(ParameterNames.gru(layer, backward, "weight_hh"));
        float[] bih = p.get(ParameterNames.gru(layer, backward, "bias_ih"));
        float[] bhh = p.get(ParameterNames.gru(layer, backward, "bias_hh"));
        int t = x.length;
        double[][] out = new double[t][];
        double[] state = new double[h];
        for (int s = 0; s < t; s++) {
            int i = reverse ? t - 1 - s : s;
            double[] gi = matVec(wih, x[i], 3 * h);
            double[] gh = matVec(whh, state, 3 * h);
            double[] next = new double[h];
            for (int u = 0; u < h; u++) {
                double r = sigmoid(gi[u] + bih[u] + gh[u] + bhh[u]);
                double z = sigmoid(gi[h + u] + bih[h + u] + gh[h + u] + bhh[h + u]);
                double n = Math.tanh(gi[2 * h + u] + bih[2 * h + u] + r * (gh[2 * h + u] + bhh[2 * h + u]));
                next[u] = (1 - z) * n + z * state[u];
            }
            state = next;
            out[i] = next;
        }
        return out;
    }

    private static double[] batchNorm(Map<String, float[]> p, String prefix, double[] x) {
        float[] gamma = p.get(prefix + "gamma");
        float[] beta = p.get(prefix + "beta");
        float[] mean = p.get(prefix + "mean");
        float[] var = p.get(prefix + "var");
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (x[i] - mean[i]) / Math.sqrt(var[i] + ParameterNames.BATCH_NORM_EPSILON) * gamma[i] + beta[i];
        }
        return out;
    }

    private static double[] linear(Map<String, float[]> p, String prefix, double[] x) {
        float[] bias = p.get(prefix + ".bias");
        double[] out = matVec(p.get(prefix + ".weight"), x, bias.length);
        for (int i = 0; i < out.length; i++) {
            out[i] += bias[i];
        }
        return out;
    }

    /** {@code w [rows, x.length]} row-major times x. */
    private static double[] matVec(float[] w, double[] x, int rows) {
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int c = 0; c < x.length; c++) {
                s += w[r * x.length + c] * x[c];
            }
            out[r] = s;
        }
        return out;
    }

    private static double[] softmax(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            max = Math.max(max, d);
        }
        double sum = 0;
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.exp(v[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < v.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = new double[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }
}
