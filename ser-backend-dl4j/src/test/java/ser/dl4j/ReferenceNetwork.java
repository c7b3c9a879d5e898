package ser.dl4j;

import java.util.Map;

import ser.api.ArchitectureSpec;
import ser.api.ParameterNames;

/**
 * A plain, one-sequence-at-a-time, double-precision implementation of {@link ArchitectureSpec}'s
 * javadoc in inference mode, reading the weights by canonical name in PyTorch layout (no padding,
 * no batching, no ND4J): the yardstick for the backend's forward pass.
 */
final class ReferenceNetwork {

    private final Map<String, float[]> p;
    private final ArchitectureSpec spec;

    ReferenceNetwork(Map<String, float[]> parameters, ArchitectureSpec spec) {
        this.p = parameters;
        this.spec = spec;
    }

    /** {@code y = W x + b}, W {@code [out, in]} row-major. */
    private double[] linear(String weight, String bias, double[] x, int out) {
        float[] w = p.get(weight);
        float[] b = bias == null ? null : p.get(bias);
        int in = x.length;
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double s = b == null ? 0 : b[o];
            for (int i = 0; i < in; i++) {
                s += w[o * in + i] * x[i];
            }
            y[o] = s;
        }
        return y;
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private double[][] gru(double[][] x, int layer, boolean backward) {
        int h = spec.gruUnits();
        String pre = ParameterNames.gru(layer, backward, "");
        double[] state = new double[h];
        double[][] out = new double[x.length][];
        for (int s = 0; s < x.length; s++) {
            int t = backward ? x.length - 1 - s : s;
            double[] gi = linear(pre + "weight_ih", pre + "bias_ih", x[t], 3 * h);
            double[] gh = linear(pre + "weight_hh", pre + "bias_hh", state, 3 * h);
            double[] next = new double[h];
            for (int j = 0; j < h; j++) {
                double r = sigmoid(gi[j] + gh[j]);
                double z = sigmoid(gi[h + j] + gh[h + j]);
                double n = Math.tanh(gi[2 * h + j] + r * gh[2 * h + j]);
                next[j] = (1 - z) * n + z * state[j];
            }
            state = next;
            out[t] = next;
        }
        return out;
    }

    private double[] batchNorm(double[] x, String gamma, String beta, String mean, String var) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (x[i] - p.get(mean)[i]) / Math.sqrt(p.get(var)[i] + ParameterNames.BATCH_NORM_EPSILON)
                    * p.get(gamma)[i] + p.get(beta)[i];
        }
        return y;
    }

    private static double[] softmax(double[] e) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : e) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] a = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            a[i] = Math.exp(e[i] - max);
            sum += a[i];
        }
        for (int i = 0; i < e.length; i++) {
            a[i] /= sum;
        }
        return a;
    }

    private double[][] attention(double[][] x) {
        int heads = spec.attentionHeads();
        int k = spec.attentionKeyDim();
        int d = x[0].length;
        int steps = x.length;
        double[][] q = new double[steps][];
        double[][] kk = new double[steps][];
        double[][] v = new double[steps][];
        for (int t = 0; t < steps; t++) {
            q[t] = linear("mha.q.weight", "mha.q.bias", x[t], heads * k);
            kk[t] = linear("mha.k.weight", "mha.k.bias", x[t], heads * k);
            v[t] = linear("mha.v.weight", "mha.v.bias", x[t], heads * k);
        }
        double[][] out = new double[steps][];
        for (int t = 0; t < steps; t++) {
            double[] ctx = new double[heads * k];
            for (int hd = 0; hd < heads; hd++) {
                double[] scores = new double[steps];
                for (int u = 0; u < steps; u++) {
                    double s = 0;
                    for (int c = 0; c < k; c++) {
                        s += q[t][hd * k + c] * kk[u][hd * k + c];
                    }
                    scores[u] = s / Math.sqrt(k);
                }
                double[] a = softmax(scores);
                for (int u = 0; u < steps; u++) {
                    for (int c = 0; c < k; c++) {
                        ctx[hd * k + c] += a[u] * v[u][hd * k + c];
                    }
                }
            }
            out[t] = linear("mha.o.weight", "mha.o.bias", ctx, d);
        }
        return out;
    }

    private double[] pool(double[][] x) {
        int u = spec.poolingUnits();
        double[] e = new double[x.length];
        for (int t = 0; t < x.length; t++) {
            double[] hidden = linear("pool.w.weight", "pool.w.bias", x[t], u);
            for (int i = 0; i < u; i++) {
                hidden[i] = Math.tanh(hidden[i]);
            }
            e[t] = linear("pool.v.weight", null, hidden, 1)[0];
        }
        double[] a = softmax(e);
        double[] out = new double[x[0].length];
        for (int t = 0; t < x.length; t++) {
            for (int i = 0; i < out.length; i++) {
                out[i] += a[t] * x[t][i];
            }
        }
        return out;
    }

    double[] predict(float[][] input) {
        double[][] x = new double[input.length][];
        for (int t = 0; t < input.length; t++) {
            x[t] = new double[input[t].length];
            for (int f = 0; f < input[t].length; f++) {
                x[t][f] = input[t][f];
            }
        }
        for (int i = 1; i <= spec.gruLayers(); i++) {
            double[][] fwd = gru(x, i, false);
            double[][] bwd = spec.bidirectional() ? gru(x, i, true) : null;
            double[][] h = new double[x.length][];
            for (int t = 0; t < x.length; t++) {
                int w = spec.gruOutputWidth();
                h[t] = new double[w];
                System.arraycopy(fwd[t], 0, h[t], 0, spec.gruUnits());
                if (bwd != null) {
                    System.arraycopy(bwd[t], 0, h[t], spec.gruUnits(), spec.gruUnits());
                }
                if (spec.gruBatchNorm()) {
                    h[t] = batchNorm(h[t], ParameterNames.gruBatchNorm(i, "gamma"), ParameterNames.gruBatchNorm(i, "beta"),
                            ParameterNames.gruBatchNorm(i, "mean"), ParameterNames.gruBatchNorm(i, "var"));
                }
                if (spec.residualLayers().contains(i)) {
                    for (int c = 0; c < w; c++) {
                        h[t][c] += x[t][c];
                    }
                }
            }
            x = h;
        }
        if (spec.attentionHeads() > 0) {
            x = attention(x);
        }
        double[] v = pool(x);
        for (int j = 1; j <= spec.denseUnits().size(); j++) {
            v = linear(ParameterNames.dense(j, "weight"), ParameterNames.dense(j, "bias"), v, spec.denseUnits().get(j - 1));
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.max(0, v[i]);
            }
            if (spec.denseBatchNorm()) {
                v = batchNorm(v, ParameterNames.denseBatchNorm(j, "gamma"), ParameterNames.denseBatchNorm(j, "beta"),
                        ParameterNames.denseBatchNorm(j, "mean"), ParameterNames.denseBatchNorm(j, "var"));
            }
        }
        return softmax(linear("out.weight", "out.bias", v, spec.classes()));
    }
}
