package ser.dl4j;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import ser.api.ArchitectureSpec;
import ser.api.ParameterNames;

/**
 * The classifier of {@link ArchitectureSpec} as a compact computation on ND4J arrays with a
 * hand-written backward pass for every block. Not thread-safe: forward caches live in the blocks.
 */
final class Network {

    private final ArchitectureSpec spec;
    private final int features;
    private final ParamStore store;
    private final List<GruLayer> grus = new ArrayList<>();
    private final List<BatchNorm> gruNorms = new ArrayList<>();
    private final SelfAttention attention;
    private final AttentionPooling pooling;
    private final List<Dense> dense = new ArrayList<>();
    private final List<BatchNorm> denseNorms = new ArrayList<>();
    private final Dense out;

    // forward cache (training)
    private Seq seq;
    private final List<INDArray> gruDropMasks = new ArrayList<>();
    private final List<INDArray> denseDropMasks = new ArrayList<>();
    private final List<INDArray> denseActs = new ArrayList<>();
    private INDArray probs;

    /** Mode of one forward pass: {@code rng == null} means inference. */
    record Mode(boolean training, Random rng, double noiseStd) {
        static final Mode INFERENCE = new Mode(false, null, 0);
    }

    Network(ArchitectureSpec spec, int features, DataType dtype, ExecutorService executor) {
        this.spec = spec;
        this.features = features;
        this.store = new ParamStore(dtype);
        int width = features;
        for (int i = 1; i <= spec.gruLayers(); i++) {
            GruLayer.declare(store, i, width, spec.gruUnits(), spec.bidirectional());
            width = spec.gruOutputWidth();
            if (spec.gruBatchNorm()) {
                BatchNorm.declare(store, bn(i, "gamma", true), bn(i, "beta", true), bn(i, "mean", true), bn(i, "var", true), width);
            }
        }
        if (spec.attentionHeads() > 0) {
            SelfAttention.declare(store, width, spec.attentionHeads(), spec.attentionKeyDim());
        }
        AttentionPooling.declare(store, width, spec.poolingUnits());
        for (int j = 1; j <= spec.denseUnits().size(); j++) {
            int units = spec.denseUnits().get(j - 1);
            Dense.declare(store, ParameterNames.dense(j, "weight"), ParameterNames.dense(j, "bias"), units, width);
            width = units;
            if (spec.denseBatchNorm()) {
                BatchNorm.declare(store, bn(j, "gamma", false), bn(j, "beta", false), bn(j, "mean", false), bn(j, "var", false), width);
            }
        }
        Dense.declare(store, "out.weight", "out.bias", spec.classes(), width);
        store.allocate();

        width = features;
        for (int i = 1; i <= spec.gruLayers(); i++) {
            grus.add(new GruLayer(store, i, width, spec.gruUnits(), spec.bidirectional(), executor));
            width = spec.gruOutputWidth();
            if (spec.gruBatchNorm()) {
                gruNorms.add(new BatchNorm(store, bn(i, "gamma", true), bn(i, "beta", true), bn(i, "mean", true), bn(i, "var", true)));
            }
        }
        attention = spec.attentionHeads() > 0 ? new SelfAttention(store, spec.attentionHeads(), spec.attentionKeyDim()) : null;
        pooling = new AttentionPooling(store);
        for (int j = 1; j <= spec.denseUnits().size(); j++) {
            dense.add(new Dense(store, ParameterNames.dense(j, "weight"), ParameterNames.dense(j, "bias")));
            if (spec.denseBatchNorm()) {
                denseNorms.add(new BatchNorm(store, bn(j, "gamma", false), bn(j, "beta", false), bn(j, "mean", false), bn(j, "var", false)));
            }
        }
        out = new Dense(store, "out.weight", "out.bias");
    }

    private static String bn(int layer, String stat, boolean gru) {
        return gru ? ParameterNames.gruBatchNorm(layer, stat) : ParameterNames.denseBatchNorm(layer, stat);
    }

    ParamStore store() {
        return store;
    }

    ArchitectureSpec spec() {
        return spec;
    }

    int features() {
        return features;
    }

    DataType dtype() {
        return store.dtype();
    }

    /**
     * Keras-style initialization, seeded: Glorot-uniform kernels, orthogonal recurrent kernels
     * (per direction, the {@code [3H, H]} matrix has orthonormal columns), zero biases, batch norm
     * gamma 1, beta 0, running mean 0, running variance 1.
     */
    void initialize(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        store.params().assign(0.0);
        store.state().assign(0.0);
        for (ParamStore.Entry e : store.entries().values()) {
            String name = e.name();
            INDArray p = store.get(name);
            if (name.endsWith("weight_hh")) {
                p.assign(orthogonal((int) e.shape()[0], (int) e.shape()[1], rnd));
            } else if (name.endsWith("weight") || name.endsWith("weight_ih")) {
                int fanOut = (int) e.shape()[0];
                int fanIn = (int) e.shape()[1];
                double limit = Math.sqrt(6.0 / (fanIn + fanOut));
                double[] vals = new double[fanOut * fanIn];
                for (int i = 0; i < vals.length; i++) {
                    vals[i] = (rnd.nextDouble() * 2 - 1) * limit;
                }
                p.assign(Nd4j.createFromArray(vals).reshape(fanOut, fanIn).castTo(dtype()));
            } else if (name.endsWith(".gamma") || name.endsWith(".var")) {
                p.assign(1.0);
            }
        }
    }

    private INDArray orthogonal(int rows, int cols, SplittableRandom rnd) {
        double[][] c = new double[cols][rows];   // columns
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                c[j][i] = gaussian(rnd);
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < rows; i++) {
                        dot += c[j][i] * c[k][i];
                    }
                    for (int i = 0; i < rows; i++) {
                        c[j][i] -= dot * c[k][i];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < rows; i++) {
                norm += c[j][i] * c[j][i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < rows; i++) {
                c[j][i] /= norm;
            }
        }
        double[] flat = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                flat[i * cols + j] = c[j][i];
            }
        }
        return Nd4j.createFromArray(flat).reshape(rows, cols).castTo(dtype());
    }

    private static double gaussian(SplittableRandom rnd) {
        double u1 = rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /**
     * Class probabilities {@code [B, classes]} for {@code x [T*B, F]} (zero on padding, rows in
     * {@link Seq} order). In training mode keeps what {@link #backward} needs.
     */
    INDArray forward(INDArray input, Seq s, Mode mode) {
        boolean training = mode.training();
        seq = s;
        gruDropMasks.clear();
        denseDropMasks.clear();
        denseActs.clear();
        INDArray x = input;
        if (training && mode.noiseStd() > 0) {
            INDArray noise = Nd4j.create(dtype(), input.shape());
            Nd4j.randn(0.0, mode.noiseStd(), noise, mode.rng());
            if (s.hasPadding()) {
                noise.muliColumnVector(s.mask());
            }
            x = input.add(noise);
        }
        for (int i = 0; i < grus.size(); i++) {
            INDArray h = grus.get(i).forward(x, s);
            if (spec.gruBatchNorm()) {
                h = gruNorms.get(i).forward(h, s.hasPadding() ? s.mask() : null, s.validFrames(), training);
            }
            if (spec.residualLayers().contains(i + 1)) {
                h = h.add(x);
            }
            double rate = spec.gruDropout().get(i);
            if (training && rate > 0) {
                INDArray m = dropMask(h, rate, mode.rng());
                gruDropMasks.add(m);
                h = h.mul(m);
            } else {
                gruDropMasks.add(null);
            }
            x = h;
        }
        if (attention != null) {
            x = attention.forward(x, s, training);
        }
        INDArray p = pooling.forward(x, s, training);
        for (int j = 0; j < dense.size(); j++) {
            p = Transforms.relu(dense.get(j).forward(p, training), false);
            if (training) {
                denseActs.add(p);
            }
            if (spec.denseBatchNorm()) {
                p = denseNorms.get(j).forward(p, null, p.size(0), training);
            }
            if (training && spec.denseDropout() > 0) {
                INDArray m = dropMask(p, spec.denseDropout(), mode.rng());
                denseDropMasks.add(m);
                p = p.mul(m);
            } else {
                denseDropMasks.add(null);
            }
        }
        INDArray logits = out.forward(p, training);
        INDArray result = Transforms.softmax(logits, false);
        probs = training ? result : null;
        return result;
    }

    private INDArray dropMask(INDArray like, double rate, Random rng) {
        INDArray m = Nd4j.create(dtype(), like.shape());
        Nd4j.getExecutioner().exec(new BernoulliDistribution(m, 1 - rate), rng);
        return m.muli(1.0 / (1 - rate));
    }

    /** Sum of squared dense kernels (the L2 penalty before its factor). */
    double denseSquaredNorm() {
        double sum = 0;
        for (Dense d : dense) {
            sum += d.weight().mul(d.weight()).sumNumber().doubleValue();
        }
        return sum;
    }

    /** Mean cross-entropy of {@code probs} for {@code labels} (Seq order) plus the L2 penalty. */
    double loss(INDArray probabilities, int[] labels) {
        double ce = 0;
        for (int b = 0; b < labels.length; b++) {
            ce -= Math.log(Math.max(probabilities.getDouble(b, labels[b]), 1e-30));
        }
        return ce / labels.length + spec.denseL2() * denseSquaredNorm();
    }

    /**
     * Backward pass of the loss of the last training forward pass: zeroes and fills
     * {@link ParamStore#grads()} (including the L2 term). Returns the input gradient.
     */
    INDArray backward(int[] labels) {
        return backward(labels, null);
    }

    /**
     * As {@link #backward(int[])} for the loss {@code mean_b(weights[b] * ce_b) + L2} (weights in
     * Seq order; null = all 1).
     */
    INDArray backward(int[] labels, double[] weights) {
        store.grads().assign(0.0);
        int batch = labels.length;
        INDArray d = probs.dup();
        for (int b = 0; b < batch; b++) {
            d.putScalar(b, labels[b], d.getDouble(b, labels[b]) - 1.0);
        }
        if (weights != null) {
            d.muliColumnVector(Nd4j.createFromArray(weights).castTo(d.dataType()).reshape(batch, 1));
        }
        d.divi(batch);
        d = out.backward(d, true);
        for (int j = dense.size() - 1; j >= 0; j--) {
            if (denseDropMasks.get(j) != null) {
                d = d.mul(denseDropMasks.get(j));
            }
            if (spec.denseBatchNorm()) {
                d = denseNorms.get(j).backward(d);
            }
            d = d.mul(Transforms.step(denseActs.get(j), true));
            d = dense.get(j).backward(d, true);
        }
        if (spec.denseL2() > 0) {
            for (Dense layer : dense) {
                layer.weightGrad().addi(layer.weight().mul(2 * spec.denseL2()));
            }
        }
        d = pooling.backward(d);
        if (attention != null) {
            d = attention.backward(d);
        }
        Seq s = seq;
        for (int i = grus.size() - 1; i >= 0; i--) {
            INDArray m = gruDropMasks.get(i);
            if (m != null) {
                d = d.mul(m);
            }
            INDArray dResidual = spec.residualLayers().contains(i + 1) ? d : null;
            if (spec.gruBatchNorm()) {
                d = gruNorms.get(i).backward(d);
            }
            d = grus.get(i).backward(d);
            if (dResidual != null) {
                d.addi(dResidual);
            }
        }
        if (s.hasPadding()) {
            d.muliColumnVector(s.mask());
        }
        probs = null;
        gruDropMasks.clear();
        denseDropMasks.clear();
        denseActs.clear();
        return d;
    }
}
