package ser.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import ser.api.ArchitectureSpec;
import ser.api.ParameterNames;

/**
 * The network of {@link ArchitectureSpec}, as named tensors in the canonical layout of
 * {@link ParameterNames} (which is PyTorch's, so no tensor is ever transposed or re-ordered) and a
 * forward pass written with DJL NDArray operations on the PyTorch engine.
 *
 * <p>Masking: GRU layers see zero padding after each sequence and reverse only valid prefixes
 * for the backward direction ({@link MaskedGru}); batch norm after a GRU layer takes its
 * training statistics over valid frames only; self-attention and attention pooling add
 * {@link PaddedBatch#MASKED} to the scores of padded keys. Outputs at padded frames are never read
 * by a masked layer, so a sequence's prediction does not depend on what it is batched with.
 *
 * <p>Memory: autograd keeps some operands of the forward pass (the other factor of a product, the
 * divisor of a quotient) until the backward pass, and reads them through libtorch's pointer, not
 * through DJL. Every such operand must therefore be memory libtorch owns, or stay reachable from
 * Java until the backward pass is over. DJL's {@code NDArray op Number} overloads
 * ({@code div(n)}, {@code mul(x)}, ...) break this: they wrap the number in a tensor over a Java
 * direct buffer and close it right after the op, so a garbage collection before the backward pass
 * frees the buffer and the gradient reads whatever malloc wrote there (this made the demo training
 * diverge to NaN). The recorded forward pass uses {@link #constant} instead; arrays created from
 * Java data (inputs, masks, dropout masks, parameters) stay reachable through the caller's
 * {@code NDScope} or the model.
 */
final class Network implements AutoCloseable {

    private static final float EPS = (float) ParameterNames.BATCH_NORM_EPSILON;
    private static final float MOMENTUM = (float) ParameterNames.BATCH_NORM_MOMENTUM;

    /**
     * Batch-norm running-statistic updates of one training pass, held back until {@link #apply()}:
     * a training step that is skipped (non-finite loss or gradient) must not move them either.
     * Apply before the pass's {@code NDScope} closes (the batch statistics live in it).
     */
    static final class StatisticsUpdate {
        private final List<NDArray[]> pending = new ArrayList<>();

        private void add(NDArray running, NDArray batchValue) {
            pending.add(new NDArray[] {running, batchValue});
        }

        /** {@code running = m * running + (1 - m) * batch} for every batch-norm layer of the pass. */
        void apply() {
            try (GradMode ignored = GradMode.disabled()) {
                for (NDArray[] p : pending) {
                    p[0].muli(MOMENTUM).addi(p[1].mul(1f - MOMENTUM));
                }
            }
            pending.clear();
        }
    }

    /** One tensor: trainable (gradient attached) or a batch-norm running statistic. */
    record Param(String name, Shape shape, boolean trainable, NDArray array) {
    }

    private final ArchitectureSpec spec;
    private final int featureCount;
    private final NDManager manager;
    private final Map<String, Param> params = new LinkedHashMap<>();
    private final List<String> denseKernels = new ArrayList<>();

    Network(ArchitectureSpec spec, int featureCount, long seed, NDManager manager) {
        this.spec = spec;
        this.featureCount = featureCount;
        this.manager = manager;
        NativeHeap.retainFreedMemory();
        SplittableRandom rng = new SplittableRandom(seed);
        int units = spec.gruUnits();
        int in = featureCount;
        for (int layer = 1; layer <= spec.gruLayers(); layer++) {
            for (boolean backward : directions()) {
                add(ParameterNames.gru(layer, backward, "weight_ih"), true,
                        Initializers.glorotUniform(rng, 3 * units * in, in, 3 * units), 3 * units, in);
                add(ParameterNames.gru(layer, backward, "weight_hh"), true,
                        Initializers.orthogonalBlocks(rng, 3, units), 3 * units, units);
                add(ParameterNames.gru(layer, backward, "bias_ih"), true, new float[3 * units], 3 * units);
                add(ParameterNames.gru(layer, backward, "bias_hh"), true, new float[3 * units], 3 * units);
            }
            int width = spec.gruOutputWidth();
            if (spec.gruBatchNorm()) {
                addBatchNorm(layer, width, true);
            }
            in = width;
        }
        int d = in;
        if (spec.attentionHeads() > 0) {
            int hk = spec.attentionHeads() * spec.attentionKeyDim();
            for (String p : List.of("q", "k", "v")) {
                add("mha." + p + ".weight", true, Initializers.glorotUniform(rng, hk * d, d, hk), hk, d);
                add("mha." + p + ".bias", true, new float[hk], hk);
            }
            add("mha.o.weight", true, Initializers.glorotUniform(rng, d * hk, hk, d), d, hk);
            add("mha.o.bias", true, new float[d], d);
        }
        int u = spec.poolingUnits();
        add("pool.w.weight", true, Initializers.glorotUniform(rng, u * d, d, u), u, d);
        add("pool.w.bias", true, new float[u], u);
        add("pool.v.weight", true, Initializers.glorotUniform(rng, u, u, 1), 1, u);
        in = d;
        for (int j = 1; j <= spec.denseUnits().size(); j++) {
            int out = spec.denseUnits().get(j - 1);
            add(ParameterNames.dense(j, "weight"), true, Initializers.glorotUniform(rng, out * in, in, out), out, in);
            add(ParameterNames.dense(j, "bias"), true, new float[out], out);
            denseKernels.add(ParameterNames.dense(j, "weight"));
            if (spec.denseBatchNorm()) {
                addBatchNorm(j, out, false);
            }
            in = out;
        }
        add("out.weight", true, Initializers.glorotUniform(rng, spec.classes() * in, in, spec.classes()), spec.classes(), in);
        add("out.bias", true, new float[spec.classes()], spec.classes());
    }

    private boolean[] directions() {
        return spec.bidirectional() ? new boolean[] {false, true} : new boolean[] {false};
    }

    private void addBatchNorm(int layer, int width, boolean gru) {
        float[] ones = new float[width];
        Arrays.fill(ones, 1f);
        add(bn(gru, layer, "gamma"), true, ones, width);
        add(bn(gru, layer, "beta"), true, new float[width], width);
        add(bn(gru, layer, "mean"), false, new float[width], width);
        add(bn(gru, layer, "var"), false, ones.clone(), width);
    }

    private static String bn(boolean gru, int layer, String stat) {
        return gru ? ParameterNames.gruBatchNorm(layer, stat) : ParameterNames.denseBatchNorm(layer, stat);
    }

    private void add(String name, boolean trainable, float[] values, long... dims) {
        Shape shape = new Shape(dims);
        NDArray array = manager.create(values, shape);
        // Owned by the model's manager, never by a caller's NDScope.
        NDScope.unregister(array);
        if (trainable) {
            array.setRequiresGradient(true);
        }
        params.put(name, new Param(name, shape, trainable, array));
    }

    ArchitectureSpec spec() {
        return spec;
    }

    int featureCount() {
        return featureCount;
    }

    /** All tensors in canonical order. */
    Map<String, Param> params() {
        return Collections.unmodifiableMap(params);
    }

    /** The tensors the optimizer updates, in canonical order. */
    Map<String, NDArray> trainable() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        params.values().stream().filter(Param::trainable).forEach(p -> out.put(p.name(), p.array()));
        return out;
    }

    private NDArray p(String name) {
        return params.get(name).array();
    }

    // ---------------------------------------------------------------- parameters as Java arrays

    Map<String, float[]> values() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Param p : params.values()) {
            out.put(p.name(), p.array().toFloatArray());
        }
        return out;
    }

    /** Checks every name and size first, then copies; nothing changes if any entry is wrong. */
    void setValues(Map<String, float[]> values) {
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            Param p = params.get(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException("unknown parameter '" + e.getKey() + "' (this model has: "
                        + String.join(", ", params.keySet()) + ")");
            }
            if (e.getValue() == null || e.getValue().length != p.shape().size()) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' needs " + p.shape().size()
                        + " values (shape " + p.shape() + "), got " + (e.getValue() == null ? "null" : e.getValue().length));
            }
        }
        try (GradMode ignored = GradMode.disabled(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (Map.Entry<String, float[]> e : values.entrySet()) {
                params.get(e.getKey()).array().set(FloatBuffer.wrap(e.getValue()));
            }
        }
    }

    // ---------------------------------------------------------------- forward pass

    /**
     * Logits {@code [B, classes]}. In training mode batch norm uses (masked) batch statistics and
     * updates its running statistics, and dropout masks are drawn from {@code dropout}.
     */
    NDArray logits(PaddedBatch batch, boolean training, SplittableRandom dropout) {
        if (!training) {
            return forward(batch, false, null, null);
        }
        StatisticsUpdate statistics = new StatisticsUpdate();
        NDArray logits = forward(batch, true, dropout, statistics);
        statistics.apply();
        return logits;
    }

    /**
     * Training-mode logits whose running-statistic updates are collected into {@code statistics}
     * instead of being applied.
     */
    NDArray trainingLogits(PaddedBatch batch, SplittableRandom dropout, StatisticsUpdate statistics) {
        return forward(batch, true, dropout, statistics);
    }

    private NDArray forward(PaddedBatch batch, boolean training, SplittableRandom dropout, StatisticsUpdate statistics) {
        NDArray x = batch.x();
        // Without padding, the masks are all ones and the valid-prefix reversal is a plain flip:
        // skipping them saves full-size passes (and a scatter in the backward pass) per layer.
        NDArray frameMask = batch.padded() ? batch.mask() : null;
        NDArray reverseIndex = batch.padded() ? batch.reverseIndex() : null;
        for (int layer = 1; layer <= spec.gruLayers(); layer++) {
            NDArray h;
            if (spec.bidirectional()) {
                h = MaskedGru.bidirectional(x, reverseIndex, gruParams(layer, false), gruParams(layer, true), training);
            } else {
                NDArray[] w = gruParams(layer, false);
                h = MaskedGru.unidirectional(x, w[0], w[1], w[2], w[3], training);
            }
            if (spec.gruBatchNorm()) {
                h = batchNorm(h, true, layer, frameMask, batch.validFrames(), statistics);
            }
            if (spec.residualLayers().contains(layer)) {
                h = h.add(x);
            }
            x = dropout(h, spec.gruDropout().get(layer - 1), training, dropout);
        }
        if (spec.attentionHeads() > 0) {
            x = selfAttention(x, batch.keyBias());
        }
        NDArray pooled = attentionPooling(x, batch.keyBias());
        for (int j = 1; j <= spec.denseUnits().size(); j++) {
            pooled = linear(pooled, ParameterNames.dense(j, "weight"), ParameterNames.dense(j, "bias"));
            pooled = Activation.relu(pooled);
            if (spec.denseBatchNorm()) {
                pooled = batchNorm(pooled, false, j, null, batch.size(), statistics);
            }
            pooled = dropout(pooled, spec.denseDropout(), training, dropout);
        }
        return linear(pooled, "out.weight", "out.bias");
    }

    private NDArray[] gruParams(int layer, boolean backward) {
        return new NDArray[] {
            p(ParameterNames.gru(layer, backward, "weight_ih")),
            p(ParameterNames.gru(layer, backward, "weight_hh")),
            p(ParameterNames.gru(layer, backward, "bias_ih")),
            p(ParameterNames.gru(layer, backward, "bias_hh"))};
    }

    private NDArray linear(NDArray x, String weight, String bias) {
        return Linear.linear(x, p(weight), bias == null ? null : p(bias)).singletonOrThrow();
    }

    /**
     * Batch norm over the last axis. Training ({@code statistics} not null): statistics over all
     * leading axes, restricted to {@code mask} (or all rows if null), biased variance as Keras;
     * the running statistics are to move by {@code running = m * running + (1 - m) * batch}
     * (queued in {@code statistics}). Inference: running statistics.
     */
    private NDArray batchNorm(NDArray h, boolean gru, int layer, NDArray mask, int count, StatisticsUpdate statistics) {
        NDArray gamma = p(bn(gru, layer, "gamma"));
        NDArray beta = p(bn(gru, layer, "beta"));
        NDArray runningMean = p(bn(gru, layer, "mean"));
        NDArray runningVar = p(bn(gru, layer, "var"));
        NDArray epsilon = constant(h, EPS);
        if (statistics == null) {
            NDArray scale = gamma.div(runningVar.add(epsilon).sqrt());
            NDArray shift = beta.sub(runningMean.mul(scale));
            return h.mul(scale).add(shift);
        }
        int[] axes = new int[h.getShape().dimension() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i;
        }
        NDArray n = constant(h, count);
        NDArray mean = (mask == null ? h : h.mul(mask)).sum(axes).div(n);
        NDArray centered = h.sub(mean);
        NDArray squares = centered.square();
        NDArray var = (mask == null ? squares : squares.mul(mask)).sum(axes).div(n);
        statistics.add(runningMean, mean.stopGradient());
        statistics.add(runningVar, var.stopGradient());
        return centered.mul(gamma.div(var.add(epsilon).sqrt())).add(beta);
    }

    /**
     * A float32 scalar in memory libtorch allocates (so autograd may keep it past this call), on
     * {@code like}'s manager. Use it, never an {@code NDArray op Number} overload, for constants in
     * the recorded forward pass (see the class comment).
     */
    static NDArray constant(NDArray like, float value) {
        return like.getManager().full(new Shape(), value);
    }

    /** Inverted dropout with a mask drawn in Java from the seeded stream. */
    private NDArray dropout(NDArray h, double rate, boolean training, SplittableRandom rng) {
        if (!training || rate <= 0) {
            return h;
        }
        int n = Math.toIntExact(h.size());
        float keep = (float) (1.0 / (1.0 - rate));
        float[] mask = new float[n];
        for (int i = 0; i < n; i++) {
            mask[i] = rng.nextDouble() < rate ? 0f : keep;
        }
        return h.mul(h.getManager().create(mask, h.getShape()));
    }

    /**
     * Score elements ({@code sequences x heads x T x T}) per attention block. Attention is computed
     * for a few sequences at a time: blocks of a few MB stay in cache and their memory is recycled,
     * where one {@code [32, 4, 300, 300]} tensor (46 MB) per intermediate made the attention cost
     * as much as all GRU layers together (measured 4x less CPU for the attention core).
     */
    static final long ATTENTION_BLOCK_ELEMENTS = 1L << 21;

    private long attentionBlockElements = ATTENTION_BLOCK_ELEMENTS;

    /** Tests: force small attention blocks on short sequences. */
    void attentionBlockElements(long elements) {
        this.attentionBlockElements = elements;
    }

    /**
     * Multi-head self-attention: per-head projections of width keyDim, queries scaled by
     * 1/sqrt(keyDim), padded keys masked, heads concatenated and projected back to x's width.
     */
    private NDArray selfAttention(NDArray x, NDArray keyBias) {
        Shape s = x.getShape();
        long b = s.get(0);
        long t = s.get(1);
        int heads = spec.attentionHeads();
        int k = spec.attentionKeyDim();
        NDArray q = splitHeads(linear(x, "mha.q.weight", "mha.q.bias").mul(constant(x, (float) (1.0 / Math.sqrt(k)))), b, t,
                heads, k);
        NDArray key = splitHeads(linear(x, "mha.k.weight", "mha.k.bias"), b, t, heads, k);
        NDArray value = splitHeads(linear(x, "mha.v.weight", "mha.v.bias"), b, t, heads, k);
        long block = Math.max(1, attentionBlockElements / ((long) heads * t * t));
        NDArray context;
        if (block >= b) {
            context = attend(q, key, value, keyBias);
        } else {
            long[] cuts = new long[(int) ((b - 1) / block)];
            for (int i = 0; i < cuts.length; i++) {
                cuts[i] = (i + 1) * block;
            }
            NDList qs = q.split(cuts, 0);
            NDList ks = key.split(cuts, 0);
            NDList vs = value.split(cuts, 0);
            NDList biases = keyBias.split(cuts, 0);
            NDList parts = new NDList(qs.size());
            for (int i = 0; i < qs.size(); i++) {
                parts.add(attend(qs.get(i), ks.get(i), vs.get(i), biases.get(i)));
            }
            context = NDArrays.concat(parts, 0);
        }
        return linear(context.transpose(0, 2, 1, 3).reshape(b, t, (long) heads * k), "mha.o.weight", "mha.o.bias");
    }

    /** softmax(q kᵀ + mask) v for {@code [b, heads, T, k]} blocks. */
    private static NDArray attend(NDArray q, NDArray key, NDArray value, NDArray keyBias) {
        long b = q.getShape().get(0);
        long t = q.getShape().get(2);
        // In place: matmul keeps its inputs for the backward pass, not its output.
        NDArray scores = q.matMul(key.transpose(0, 1, 3, 2)).addi(keyBias.reshape(b, 1, 1, t));
        return scores.softmax(-1).matMul(value);
    }

    private static NDArray splitHeads(NDArray x, long b, long t, int heads, int k) {
        return x.reshape(b, t, heads, k).transpose(0, 2, 1, 3);
    }

    /** e_t = v · tanh(W x_t + b), a = softmax over valid t, p = Σ a_t x_t. */
    private NDArray attentionPooling(NDArray x, NDArray keyBias) {
        Shape s = x.getShape();
        long b = s.get(0);
        long t = s.get(1);
        NDArray hidden = linear(x, "pool.w.weight", "pool.w.bias").tanh();
        NDArray scores = linear(hidden, "pool.v.weight", null).reshape(b, t).add(keyBias);
        NDArray weights = scores.softmax(1);
        return weights.reshape(b, 1, t).matMul(x).reshape(b, s.get(2));
    }

    // ---------------------------------------------------------------- loss

    /** Mean cross-entropy of {@code logits} against class indices. */
    static NDArray crossEntropy(NDArray logits, int[] labels, int classes) {
        return crossEntropy(logits, labels, null, classes);
    }

    /**
     * Mean over the batch of {@code weights[i] * crossEntropy_i} (Keras's sample weights); null
     * weights are all 1.
     */
    static NDArray crossEntropy(NDArray logits, int[] labels, float[] weights, int classes) {
        float[] oneHot = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " outside 0.." + (classes - 1));
            }
            oneHot[i * classes + labels[i]] = weights == null ? 1f : weights[i];
        }
        NDArray target = logits.getManager().create(oneHot, new Shape(labels.length, classes));
        return logits.logSoftmax(1).mul(target).sum(new int[] {1}).mean().neg();
    }

    /** {@code denseL2 · Σ W²} over the hidden dense kernels, or null when there is none. */
    NDArray l2Penalty() {
        if (spec.denseL2() <= 0 || denseKernels.isEmpty()) {
            return null;
        }
        NDArray sum = null;
        for (String name : denseKernels) {
            NDArray s = p(name).square().sum();
            sum = sum == null ? s : sum.add(s);
        }
        return sum.mul(constant(sum, (float) spec.denseL2()));
    }

    @Override
    public void close() {
        for (Param p : params.values()) {
            p.array().close();
        }
    }
}
