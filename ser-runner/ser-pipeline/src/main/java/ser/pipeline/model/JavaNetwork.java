package ser.pipeline.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ser.api.ArchitectureSpec;
import ser.api.ParameterNames;

/**
 * The network of {@link ArchitectureSpec} in inference mode, in plain Java, on the canonical
 * weights ({@link ParameterNames}) that every backend saves: what predicts under
 * {@code ser.inference = java} (see {@link ModelBundle}), where a model call is a few short
 * sequences.
 *
 * <p>Why not the backends: on the demo model (2 BiGRU layers of 32 units, 75 steps) libtorch
 * spends about 6 ms per call, nearly all of it in per-time-step operator overhead inside its
 * GRU kernel (so 8 sequences cost 10 ms, not 48), and DL4J about 4 ms. The arithmetic is 2.5
 * million multiply-adds per sequence, which plain scalar loops do in about a millisecond
 * (ser-runner/BENCHMARKS.md). Training stays with the backends; this class only reads their
 * weights.
 *
 * <p>Each sequence is computed alone at its own length, so there is no padding and nothing to
 * mask, and a sequence's result cannot depend on the others of a call. Arithmetic is float32 like
 * the backends', in another summation order: results agree with theirs within float rounding.
 *
 * <p>Instances keep scratch buffers: one thread at a time.
 */
public final class JavaNetwork {

    /**
     * {@code y = W x + b}. The JIT does not vectorize these loops, so they are written for scalar
     * throughput: eight outputs at a time in eight independent sums (one dependent chain of adds
     * would wait on each add's latency), with W stored so that those eight outputs' weights for one
     * input are adjacent ({@code [out/8][in][8]}, the last block zero-padded).
     */
    private record Dense(float[] blocked, float[] bias, int in, int out) {

        static Dense of(Map<String, float[]> p, String weight, String bias, int out) {
            float[] w = p.get(weight);
            int in = w.length / out;
            float[] b = p.get(bias);
            int padded = (out + 7) / 8 * 8;
            float[] blocked = new float[padded * in];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    blocked[(o / 8) * in * 8 + i * 8 + o % 8] = w[o * in + i];
                }
            }
            return new Dense(blocked, java.util.Arrays.copyOf(b, padded), in, out);
        }

        /** {@code y[yOff..yOff+out) = W x[xOff..xOff+in) + b}. */
        void apply(float[] x, int xOff, float[] y, int yOff) {
            final float[] w = blocked;
            final int n = in;
            for (int o = 0; o < out; o += 8) {
                float s0 = bias[o];
                float s1 = bias[o + 1];
                float s2 = bias[o + 2];
                float s3 = bias[o + 3];
                float s4 = bias[o + 4];
                float s5 = bias[o + 5];
                float s6 = bias[o + 6];
                float s7 = bias[o + 7];
                int q = o * n;
                for (int i = 0; i < n; i++, q += 8) {
                    float xi = x[xOff + i];
                    s0 += w[q] * xi;
                    s1 += w[q + 1] * xi;
                    s2 += w[q + 2] * xi;
                    s3 += w[q + 3] * xi;
                    s4 += w[q + 4] * xi;
                    s5 += w[q + 5] * xi;
                    s6 += w[q + 6] * xi;
                    s7 += w[q + 7] * xi;
                }
                store(y, yOff, o, s0, s1, s2, s3, s4, s5, s6, s7);
            }
        }

        /** Outputs {@code o..o+7} that exist (the last block may be partial). */
        private void store(float[] y, int yOff, int o, float s0, float s1, float s2, float s3, float s4, float s5, float s6,
                float s7) {
            int at = yOff + o;
            switch (Math.min(8, out - o)) {
                case 8: y[at + 7] = s7; // fall through
                case 7: y[at + 6] = s6; // fall through
                case 6: y[at + 5] = s5; // fall through
                case 5: y[at + 4] = s4; // fall through
                case 4: y[at + 3] = s3; // fall through
                case 3: y[at + 2] = s2; // fall through
                case 2: y[at + 1] = s1; // fall through
                default: y[at] = s0;
            }
        }
    }

    /** Inference batch norm folded to {@code y = x * scale + shift}. */
    private record Affine(float[] scale, float[] shift) {

        static Affine batchNorm(Map<String, float[]> p, String gamma, String beta, String mean, String var) {
            float[] g = p.get(gamma);
            float[] b = p.get(beta);
            float[] m = p.get(mean);
            float[] v = p.get(var);
            float[] scale = new float[g.length];
            float[] shift = new float[g.length];
            for (int i = 0; i < g.length; i++) {
                // the backends' order: gamma / sqrt(var + eps), then beta - mean * scale
                scale[i] = g[i] / (float) Math.sqrt(v[i] + (float) ParameterNames.BATCH_NORM_EPSILON);
                shift[i] = b[i] - m[i] * scale[i];
            }
            return new Affine(scale, shift);
        }

        void apply(float[] x, int off) {
            for (int i = 0; i < scale.length; i++) {
                x[off + i] = x[off + i] * scale[i] + shift[i];
            }
        }
    }

    /** One direction of one GRU layer. */
    private record Gru(Dense input, Dense hidden, int units) {
    }

    private final ArchitectureSpec spec;
    private final int featureCount;
    private final Gru[][] gru;            // [layer][direction]
    private final Affine[] gruNorm;       // per layer, or null entries
    private final boolean[] residual;
    private final Dense q;
    private final Dense k;
    private final Dense v;
    private final Dense o;
    private final Dense poolW;
    private final float[] poolV;
    private final Dense[] dense;
    private final Affine[] denseNorm;
    private final Dense out;

    // scratch, grown to the longest sequence seen
    private int capacity;
    private float[] xa = new float[0];
    private float[] xb = new float[0];
    private float[] gates = new float[0];
    private float[] qs = new float[0];
    private float[] ks = new float[0];
    private float[] vs = new float[0];
    private float[] ctx = new float[0];
    private float[] scores = new float[0];
    private float[] keysT = new float[0];
    private final float[] gh;
    private final float[] state;

    /**
     * @param p every tensor of {@link #parameterShapes} by canonical name, nothing else
     * @throws IllegalArgumentException naming the first tensor missing, unexpected or of the wrong size
     */
    public JavaNetwork(ArchitectureSpec spec, int featureCount, Map<String, float[]> p) {
        Map<String, long[]> shapes = parameterShapes(spec, featureCount);
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            float[] values = p.get(e.getKey());
            long size = 1;
            for (long d : e.getValue()) {
                size *= d;
            }
            if (values == null || values.length != size) {
                throw new IllegalArgumentException("tensor " + e.getKey() + (values == null ? " is missing" : " has " + values.length
                        + " values, the architecture needs " + size));
            }
        }
        for (String name : p.keySet()) {
            if (!shapes.containsKey(name)) {
                throw new IllegalArgumentException("tensor " + name + " is not part of the architecture");
            }
        }
        this.spec = spec;
        this.featureCount = featureCount;
        int h = spec.gruUnits();
        int dirs = spec.bidirectional() ? 2 : 1;
        this.gru = new Gru[spec.gruLayers()][dirs];
        this.gruNorm = new Affine[spec.gruLayers()];
        this.residual = new boolean[spec.gruLayers()];
        int in = featureCount;
        for (int layer = 1; layer <= spec.gruLayers(); layer++) {
            for (int d = 0; d < dirs; d++) {
                boolean backward = d == 1;
                Dense wi = Dense.of(p, ParameterNames.gru(layer, backward, "weight_ih"), ParameterNames.gru(layer, backward, "bias_ih"),
                        3 * h);
                Dense wh = Dense.of(p, ParameterNames.gru(layer, backward, "weight_hh"), ParameterNames.gru(layer, backward, "bias_hh"),
                        3 * h);
                gru[layer - 1][d] = new Gru(wi, wh, h);
            }
            if (spec.gruBatchNorm()) {
                gruNorm[layer - 1] = Affine.batchNorm(p, ParameterNames.gruBatchNorm(layer, "gamma"),
                        ParameterNames.gruBatchNorm(layer, "beta"), ParameterNames.gruBatchNorm(layer, "mean"),
                        ParameterNames.gruBatchNorm(layer, "var"));
            }
            residual[layer - 1] = spec.residualLayers().contains(layer);
            in = spec.gruOutputWidth();
        }
        int width = in;
        if (spec.attentionHeads() > 0) {
            int hk = spec.attentionHeads() * spec.attentionKeyDim();
            q = Dense.of(p, "mha.q.weight", "mha.q.bias", hk);
            k = Dense.of(p, "mha.k.weight", "mha.k.bias", hk);
            v = Dense.of(p, "mha.v.weight", "mha.v.bias", hk);
            o = Dense.of(p, "mha.o.weight", "mha.o.bias", width);
        } else {
            q = null;
            k = null;
            v = null;
            o = null;
        }
        poolW = Dense.of(p, "pool.w.weight", "pool.w.bias", spec.poolingUnits());
        poolV = p.get("pool.v.weight");
        dense = new Dense[spec.denseUnits().size()];
        denseNorm = new Affine[dense.length];
        for (int j = 1; j <= dense.length; j++) {
            dense[j - 1] = Dense.of(p, ParameterNames.dense(j, "weight"), ParameterNames.dense(j, "bias"), spec.denseUnits().get(j - 1));
            if (spec.denseBatchNorm()) {
                denseNorm[j - 1] = Affine.batchNorm(p, ParameterNames.denseBatchNorm(j, "gamma"), ParameterNames.denseBatchNorm(j, "beta"),
                        ParameterNames.denseBatchNorm(j, "mean"), ParameterNames.denseBatchNorm(j, "var"));
            }
        }
        out = Dense.of(p, "out.weight", "out.bias", spec.classes());
        this.gh = new float[3 * h];
        this.state = new float[h];
    }

    /**
     * The tensors of {@code spec}'s network on {@code featureCount} inputs, by canonical name, in
     * canonical order: what every backend builds for the same spec.
     */
    public static Map<String, long[]> parameterShapes(ArchitectureSpec spec, int featureCount) {
        Map<String, long[]> s = new LinkedHashMap<>();
        int h = spec.gruUnits();
        int in = featureCount;
        for (int layer = 1; layer <= spec.gruLayers(); layer++) {
            for (boolean backward : spec.bidirectional() ? new boolean[] {false, true} : new boolean[] {false}) {
                s.put(ParameterNames.gru(layer, backward, "weight_ih"), new long[] {3L * h, in});
                s.put(ParameterNames.gru(layer, backward, "weight_hh"), new long[] {3L * h, h});
                s.put(ParameterNames.gru(layer, backward, "bias_ih"), new long[] {3L * h});
                s.put(ParameterNames.gru(layer, backward, "bias_hh"), new long[] {3L * h});
            }
            in = spec.gruOutputWidth();
            if (spec.gruBatchNorm()) {
                for (String stat : List.of("gamma", "beta", "mean", "var")) {
                    s.put(ParameterNames.gruBatchNorm(layer, stat), new long[] {in});
                }
            }
        }
        if (spec.attentionHeads() > 0) {
            int hk = spec.attentionHeads() * spec.attentionKeyDim();
            for (String m : List.of("q", "k", "v")) {
                s.put("mha." + m + ".weight", new long[] {hk, in});
                s.put("mha." + m + ".bias", new long[] {hk});
            }
            s.put("mha.o.weight", new long[] {in, hk});
            s.put("mha.o.bias", new long[] {in});
        }
        int u = spec.poolingUnits();
        s.put("pool.w.weight", new long[] {u, in});
        s.put("pool.w.bias", new long[] {u});
        s.put("pool.v.weight", new long[] {1, u});
        for (int j = 1; j <= spec.denseUnits().size(); j++) {
            int out = spec.denseUnits().get(j - 1);
            s.put(ParameterNames.dense(j, "weight"), new long[] {out, in});
            s.put(ParameterNames.dense(j, "bias"), new long[] {out});
            if (spec.denseBatchNorm()) {
                for (String stat : List.of("gamma", "beta", "mean", "var")) {
                    s.put(ParameterNames.denseBatchNorm(j, stat), new long[] {out});
                }
            }
            in = out;
        }
        s.put("out.weight", new long[] {spec.classes(), in});
        s.put("out.bias", new long[] {spec.classes()});
        return s;
    }

    /** Class probabilities of each sequence: the softmax of its {@link #logits}. */
    public float[][] probabilities(List<float[][]> sequences) {
        float[][] out = new float[sequences.size()][];
        for (int i = 0; i < out.length; i++) {
            float[] p = logits(sequences.get(i));
            softmax(p, p.length);
            out[i] = p;
        }
        return out;
    }

    /** {@code v[0..n)} replaced by its softmax (the maximum subtracted first; the sum in double). */
    private static void softmax(float[] v, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, v[i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(v[i] - max);
            v[i] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < n; i++) {
            v[i] *= inv;
        }
    }

    /** Logits of one sequence {@code [T][featureCount]}, T >= 1. */
    public float[] logits(float[][] sequence) {
        int steps = sequence.length;
        if (steps == 0) {
            throw new IllegalArgumentException("a sequence needs at least one frame");
        }
        ensure(steps);
        int width = featureCount;
        float[] x = xa;
        for (int t = 0; t < steps; t++) {
            if (sequence[t].length != featureCount) {
                throw new IllegalArgumentException("frame " + t + " has " + sequence[t].length + " features, the model " + featureCount);
            }
            System.arraycopy(sequence[t], 0, x, t * width, width);
        }
        float[] y = xb;
        int hw = spec.gruOutputWidth();
        for (int layer = 0; layer < gru.length; layer++) {
            for (int d = 0; d < gru[layer].length; d++) {
                direction(gru[layer][d], x, width, steps, d == 1, y, hw, d * spec.gruUnits());
            }
            for (int t = 0; t < steps; t++) {
                if (gruNorm[layer] != null) {
                    gruNorm[layer].apply(y, t * hw);
                }
                if (residual[layer]) {
                    for (int c = 0; c < hw; c++) {
                        y[t * hw + c] += x[t * width + c];
                    }
                }
            }
            float[] swap = x;
            x = y;
            y = swap;
            width = hw;
        }
        if (q != null) {
            attention(x, width, steps, y);
            float[] swap = x;
            x = y;
            y = swap;
        }
        float[] pooled = pool(x, width, steps);
        for (int j = 0; j < dense.length; j++) {
            float[] next = new float[dense[j].out()];
            dense[j].apply(pooled, 0, next, 0);
            for (int i = 0; i < next.length; i++) {
                next[i] = Math.max(0f, next[i]);
            }
            if (denseNorm[j] != null) {
                denseNorm[j].apply(next, 0);
            }
            pooled = next;
        }
        float[] logits = new float[spec.classes()];
        out.apply(pooled, 0, logits, 0);
        return logits;
    }

    private void ensure(int steps) {
        if (steps <= capacity) {
            return;
        }
        int cap = Math.max(steps, capacity * 3 / 2);
        int w = Math.max(featureCount, spec.gruOutputWidth());
        xa = new float[cap * w];
        xb = new float[cap * w];
        gates = new float[cap * 3 * spec.gruUnits()];
        if (q != null) {
            int hk = spec.attentionHeads() * spec.attentionKeyDim();
            qs = new float[cap * hk];
            ks = new float[cap * hk];
            vs = new float[cap * hk];
            ctx = new float[cap * hk];
        }
        scores = new float[cap];
        keysT = new float[cap * Math.max(1, spec.attentionKeyDim())];
        capacity = cap;
    }

    /**
     * One GRU direction over {@code x [steps][width]} from a zero state, written into columns
     * {@code [col, col + H)} of {@code y [steps][yWidth]}; torch.nn.GRU's equations.
     */
    private void direction(Gru g, float[] x, int width, int steps, boolean backward, float[] y, int yWidth, int col) {
        final int h = g.units();
        final int h3 = 3 * h;
        final float[] gi = gates;
        for (int t = 0; t < steps; t++) {
            g.input().apply(x, t * width, gi, t * h3);
        }
        final float[] s = state;
        java.util.Arrays.fill(s, 0f);
        final float[] hh = gh;
        for (int n = 0; n < steps; n++) {
            int t = backward ? steps - 1 - n : n;
            g.hidden().apply(s, 0, hh, 0);
            int base = t * h3;
            int at = t * yWidth + col;
            for (int j = 0; j < h; j++) {
                float r = sigmoid(gi[base + j] + hh[j]);
                float z = sigmoid(gi[base + h + j] + hh[h + j]);
                float c = tanh(gi[base + 2 * h + j] + r * hh[2 * h + j]);
                float next = (1f - z) * c + z * s[j];
                s[j] = next;
                y[at + j] = next;
            }
        }
    }

    private static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }

    private static float tanh(float v) {
        // 1 - 2 / (e^{2v} + 1): one exp (Math.tanh is not an intrinsic); absolute error ~1e-16
        return (float) (1.0 - 2.0 / (Math.exp(2.0 * v) + 1.0));
    }

    /** Multi-head self-attention of {@code x [steps][width]} into {@code y [steps][width]}. */
    private void attention(float[] x, int width, int steps, float[] y) {
        final int heads = spec.attentionHeads();
        final int kd = spec.attentionKeyDim();
        final int hk = heads * kd;
        for (int t = 0; t < steps; t++) {
            q.apply(x, t * width, qs, t * hk);
            k.apply(x, t * width, ks, t * hk);
            v.apply(x, t * width, vs, t * hk);
        }
        final float scale = (float) (1.0 / Math.sqrt(kd));
        for (int i = 0; i < steps * hk; i++) {
            qs[i] *= scale;
        }
        final float[] sc = scores;
        java.util.Arrays.fill(ctx, 0, steps * hk, 0f);
        final float[] kt = keysT;
        for (int hd = 0; hd < heads; hd++) {
            int ho = hd * kd;
            // this head's keys transposed ([kd][steps]): a query's scores are then kd passes of
            // independent multiply-adds over the keys, not one serial sum per key
            for (int u = 0; u < steps; u++) {
                for (int c = 0; c < kd; c++) {
                    kt[c * steps + u] = ks[u * hk + ho + c];
                }
            }
            for (int t = 0; t < steps; t++) {
                java.util.Arrays.fill(sc, 0, steps, 0f);
                for (int c = 0; c < kd; c++) {
                    float qc = qs[t * hk + ho + c];
                    int row = c * steps;
                    for (int u = 0; u < steps; u++) {
                        sc[u] += qc * kt[row + u];
                    }
                }
                softmax(sc, steps);
                int co = t * hk + ho;
                for (int u = 0; u < steps; u++) {
                    float a = sc[u];
                    int vo = u * hk + ho;
                    for (int c = 0; c < kd; c++) {
                        ctx[co + c] += a * vs[vo + c];
                    }
                }
            }
        }
        for (int t = 0; t < steps; t++) {
            o.apply(ctx, t * hk, y, t * width);
        }
    }

    /** Additive attention pooling: {@code e_t = v . tanh(W x_t + b)}, softmax over t, sum of {@code a_t x_t}. */
    private float[] pool(float[] x, int width, int steps) {
        int u = poolW.out();
        float[] hidden = new float[u];
        float[] e = scores;
        for (int t = 0; t < steps; t++) {
            poolW.apply(x, t * width, hidden, 0);
            float s = 0f;
            for (int i = 0; i < u; i++) {
                s += poolV[i] * tanh(hidden[i]);
            }
            e[t] = s;
        }
        softmax(e, steps);
        float[] pooled = new float[width];
        for (int t = 0; t < steps; t++) {
            float a = e[t];
            for (int c = 0; c < width; c++) {
                pooled[c] += a * x[t * width + c];
            }
        }
        return pooled;
    }
}
