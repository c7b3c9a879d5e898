package ser.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import ser.api.ArchitectureSpec;

/**
 * Finite-difference checks (double precision, central differences) of every hand-written
 * backward pass, each block alone on masked (padded) batches and the whole tiny network.
 */
class GradientCheckTest {

    private static final DataType D = DataType.DOUBLE;
    private static final double EPS = 1e-6;
    /** Largest relative error accepted, {@code |a - n| / max(|a| + |n|, FLOOR)}. */
    private static final double TOLERANCE = 1e-5;
    /**
     * Floor of the denominator: gradients that are exactly zero in theory (e.g. the key bias of
     * attention, which shifts every score of a query equally) come out as round-off of about
     * 1e-10 from central differences; the floor keeps them from counting as relative errors of 1.
     */
    private static final double FLOOR = 1e-3;

    /** Lengths 4, 3, 1 (sorted): padding at the end of two sequences, and a T=1 sequence. */
    private static final int[] LENGTHS = {4, 3, 1};

    private static Seq seq() {
        return new Seq(LENGTHS, D);
    }

    private static INDArray random(Random rnd, double scale, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (rnd.nextDouble() * 2 - 1) * scale;
        }
        return Nd4j.createFromArray(v).reshape('c', shape);
    }

    /** Random sequence input, zero on padded rows. */
    private static INDArray input(Random rnd, Seq s, int width) {
        return random(rnd, 1.0, (long) s.steps * s.batch, width).muliColumnVector(s.mask());
    }

    private static void randomize(ParamStore store, Random rnd, double scale) {
        INDArray p = store.params();
        for (long i = 0; i < p.length(); i++) {
            p.putScalar(i, (rnd.nextDouble() * 2 - 1) * scale);
        }
    }

    /** Result of one check: largest relative error over parameters and over inputs. */
    record Errors(double params, double inputs, int checked) {
    }

    private static double rel(double a, double n) {
        return Math.abs(a - n) / Math.max(Math.abs(a) + Math.abs(n), FLOOR);
    }

    /**
     * Largest relative error between {@code analytic} and central differences of {@code loss}
     * over every element of {@code values}, which is perturbed in place (and restored).
     */
    private static double maxRelativeError(INDArray values, INDArray analytic, DoubleSupplier loss) {
        double max = 0;
        for (long i = 0; i < values.length(); i++) {
            double orig = values.getDouble(i);
            values.putScalar(i, orig + EPS);
            double plus = loss.getAsDouble();
            values.putScalar(i, orig - EPS);
            double minus = loss.getAsDouble();
            values.putScalar(i, orig);
            max = Math.max(max, rel(analytic.getDouble(i), (plus - minus) / (2 * EPS)));
        }
        return max;
    }

    /**
     * Checks a block with the scalar loss {@code sum(forward(x) * c)}: analytic gradients from
     * {@code backward(c)} against central differences for every parameter and input element.
     */
    private static Errors check(ParamStore store, INDArray x, UnaryOperator<INDArray> forward,
                                UnaryOperator<INDArray> backward, INDArray c) {
        store.grads().assign(0);
        forward.apply(x);
        INDArray dx = backward.apply(c.dup());
        INDArray grads = store.grads().dup();
        INDArray p = store.params();
        DoubleSupplier loss = () -> forward.apply(x).mul(c).sumNumber().doubleValue();
        double maxP = maxRelativeError(p, grads, loss);
        INDArray flatX = x.reshape(x.length());
        double maxX = maxRelativeError(flatX, dx.reshape(dx.length()), loss);
        return new Errors(maxP, maxX, (int) (p.length() + flatX.length()));
    }

    private static void report(String what, Errors e) {
        System.out.printf("gradient check %-28s max rel error: params %.2e, inputs %s (%d values)%n",
                what, e.params(), Double.isNaN(e.inputs()) ? "not checked" : String.format("%.2e", e.inputs()), e.checked());
        assertThat(e.params()).as(what + " parameters").isLessThan(TOLERANCE);
        if (!Double.isNaN(e.inputs())) {
            assertThat(e.inputs()).as(what + " inputs").isLessThan(TOLERANCE);
        }
    }

    @Test
    void bidirectionalGruWithMasking() {
        Random rnd = new Random(1);
        Seq s = seq();
        int in = 3;
        int units = 2;
        ParamStore store = new ParamStore(D);
        GruLayer.declare(store, 1, in, units, true);
        store.allocate();
        randomize(store, rnd, 0.8);
        GruLayer gru = new GruLayer(store, 1, in, units, true, null);
        INDArray x = input(rnd, s, in);
        INDArray c = random(rnd, 1.0, (long) s.steps * s.batch, 2L * units);
        report("GRU bidirectional (masked)", check(store, x, v -> gru.forward(v, s), gru::backward, c));
    }

    @Test
    void forwardGruDirectionWithMasking() {
        Random rnd = new Random(2);
        Seq s = seq();
        ParamStore store = new ParamStore(D);
        GruLayer.declare(store, 1, 2, 3, false);
        store.allocate();
        randomize(store, rnd, 0.8);
        GruLayer gru = new GruLayer(store, 1, 2, 3, false, null);
        INDArray x = input(rnd, s, 2);
        INDArray c = random(rnd, 1.0, (long) s.steps * s.batch, 3);
        report("GRU forward (masked)", check(store, x, v -> gru.forward(v, s), gru::backward, c));
    }

    @Test
    void maskedBatchNorm() {
        Random rnd = new Random(3);
        Seq s = seq();
        ParamStore store = new ParamStore(D);
        BatchNorm.declare(store, "g", "b", "m", "v", 3);
        store.allocate();
        randomize(store, rnd, 1.0);
        BatchNorm bn = new BatchNorm(store, "g", "b", "m", "v");
        INDArray x = input(rnd, s, 3);
        INDArray c = random(rnd, 1.0, (long) s.steps * s.batch, 3);
        report("batch norm (masked)", check(store, x, v -> bn.forward(v, s.mask(), s.validFrames(), true), bn::backward, c));
    }

    @Test
    void selfAttentionWithKeyMasking() {
        Random rnd = new Random(4);
        Seq s = seq();
        ParamStore store = new ParamStore(D);
        SelfAttention.declare(store, 4, 2, 3);
        store.allocate();
        randomize(store, rnd, 0.7);
        SelfAttention mha = new SelfAttention(store, 2, 3);
        INDArray x = input(rnd, s, 4);
        INDArray c = random(rnd, 1.0, (long) s.steps * s.batch, 4);
        report("self-attention (key mask)", check(store, x, v -> mha.forward(v, s, true), mha::backward, c));
    }

    @Test
    void maskedAttentionPooling() {
        Random rnd = new Random(5);
        Seq s = seq();
        ParamStore store = new ParamStore(D);
        AttentionPooling.declare(store, 3, 4);
        store.allocate();
        randomize(store, rnd, 0.9);
        AttentionPooling pool = new AttentionPooling(store);
        INDArray x = input(rnd, s, 3);
        INDArray c = random(rnd, 1.0, s.batch, 3);
        report("attention pooling (masked)", check(store, x, v -> pool.forward(v, s, true), pool::backward, c));
    }

    @Test
    void dense() {
        Random rnd = new Random(6);
        ParamStore store = new ParamStore(D);
        Dense.declare(store, "w", "b", 3, 4);
        store.allocate();
        randomize(store, rnd, 1.0);
        Dense layer = new Dense(store, "w", "b");
        INDArray x = random(rnd, 1.0, 5, 4);
        INDArray c = random(rnd, 1.0, 5, 3);
        report("dense", check(store, x, v -> layer.forward(v, true), dy -> layer.backward(dy, true), c));
    }

    /**
     * The whole tiny network with every block, masking, dropout (the same masks in every
     * evaluation: the generator is re-seeded), softmax cross-entropy and the L2 term.
     */
    @Test
    void wholeTinyNetwork() {
        ArchitectureSpec spec = Fixtures.tinySpec();
        int features = 3;
        try (Dl4jSequenceModel model = new Dl4jSequenceModel(Fixtures.context(spec, features, 11, 1), D)) {
            Network net = model.network();
            Random rnd = new Random(7);
            // random, not initial, batch-norm affine parameters so that gamma/beta matter
            randomize(net.store(), rnd, 0.6);
            Seq s = seq();
            INDArray x = input(rnd, s, features);
            int[] labels = {2, 0, 1};
            UnaryOperator<INDArray> forward = v -> net.forward(v, s,
                    new Network.Mode(true, Nd4j.getRandomFactory().getNewRandomInstance(99), 0.0));
            // analytic
            net.store().grads().assign(0);
            INDArray probs = forward.apply(x);
            double loss = net.loss(probs, labels);
            INDArray dx = net.backward(labels);
            INDArray grads = net.store().grads().dup();
            INDArray p = net.store().params();
            DoubleSupplier numeric = () -> net.loss(forward.apply(x), labels);
            double maxP = maxRelativeError(p, grads, numeric);
            double maxX = maxRelativeError(x.reshape(x.length()), dx.reshape(dx.length()), numeric);
            int count = (int) (p.length() + x.length());
            assertThat(loss).isFinite();
            report("whole tiny network", new Errors(maxP, maxX, count));
        }
    }

    @Test
    void unidirectionalNetworkWithoutOptionalBlocks() {
        ArchitectureSpec spec = new ArchitectureSpec(3, 1, false, false, List.of(), List.of(0.0), 0, 0, 2,
                List.of(), 0.0, false, 0.0, 2);
        try (Dl4jSequenceModel model = new Dl4jSequenceModel(Fixtures.context(spec, 2, 5, 1), D)) {
            Network net = model.network();
            Random rnd = new Random(8);
            randomize(net.store(), rnd, 0.8);
            Seq s = seq();
            INDArray x = input(rnd, s, 2);
            int[] labels = {1, 0, 1};
            UnaryOperator<INDArray> forward = v -> net.forward(v, s, new Network.Mode(true, null, 0.0));
            net.store().grads().assign(0);
            net.forward(x, s, new Network.Mode(true, null, 0.0));
            net.backward(labels);
            INDArray grads = net.store().grads().dup();
            INDArray p = net.store().params();
            double maxP = maxRelativeError(p, grads, () -> net.loss(forward.apply(x), labels));
            report("minimal network (1 GRU)", new Errors(maxP, Double.NaN, (int) p.length()));
        }
    }
}
