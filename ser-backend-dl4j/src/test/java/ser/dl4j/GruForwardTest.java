package ser.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GRU against a case worked out by hand: 1 input feature, 2 units, 2 steps, fixed weights in
 * PyTorch layout (gate blocks reset, update, new).
 */
class GruForwardTest {

    // weight_ih [6, 1]: r = (0.5, -0.3), z = (0.2, 0.4), n = (-0.6, 0.7)
    private static final double[] W_IH = {0.5, -0.3, 0.2, 0.4, -0.6, 0.7};
    // weight_hh [6, 2], rows r0 r1 z0 z1 n0 n1
    private static final double[] W_HH = {0.1, 0.2, -0.2, 0.1, 0.3, -0.1, 0.05, 0.2, 0.4, -0.3, 0.25, 0.15};
    private static final double[] B_IH = {0.1, 0.0, -0.1, 0.2, 0.05, -0.05};
    private static final double[] B_HH = {0.0, 0.1, 0.05, -0.1, 0.2, 0.1};
    private static final double[] X = {1.0, -0.5};

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /**
     * Step 1 of the forward direction by hand (h0 = 0, so W_hh h0 + b_hh = b_hh):
     * <pre>
     * r = sigmoid(W_ir x + b_ir + b_hr) = sigmoid(0.5 + 0.1 + 0.0, -0.3 + 0.0 + 0.1) = sigmoid(0.6, -0.2)
     *   = (0.645656, 0.450166)
     * z = sigmoid(0.2 - 0.1 + 0.05, 0.4 + 0.2 - 0.1) = sigmoid(0.15, 0.5) = (0.537430, 0.622459)
     * n = tanh(W_in x + b_in + r * b_hn) = tanh(-0.6 + 0.05 + 0.645656*0.2, 0.7 - 0.05 + 0.450166*0.1)
     *   = tanh(-0.420869, 0.695017) = (-0.397679, 0.601190)
     * h1 = (1 - z) * n + z * 0 = (0.462570 * -0.397679, 0.377541 * 0.601190) = (-0.183947, 0.226976)
     * </pre>
     */
    @Test
    void stepOneByHand() {
        double r0 = sigmoid(0.5 * 1.0 + 0.1 + 0.0);
        double r1 = sigmoid(-0.3 * 1.0 + 0.0 + 0.1);
        double z0 = sigmoid(0.2 - 0.1 + 0.05);
        double z1 = sigmoid(0.4 + 0.2 - 0.1);
        double n0 = Math.tanh(-0.6 + 0.05 + r0 * 0.2);
        double n1 = Math.tanh(0.7 - 0.05 + r1 * 0.1);
        assertThat((1 - z0) * n0).isCloseTo(-0.183947, within(1e-6));
        assertThat((1 - z1) * n1).isCloseTo(0.226976, within(1e-6));
    }

    /**
     * Step 2 from h1 = (-0.183947, 0.226976) with x = -0.5, written out unit by unit:
     * <pre>
     * a_g = W_hg h1 + b_hg for each gate g (row j of W_hh times h1):
     *   a_r = (0.1 h1_0 + 0.2 h1_1 + 0.0, -0.2 h1_0 + 0.1 h1_1 + 0.1)
     *   a_z = (0.3 h1_0 - 0.1 h1_1 + 0.05, 0.05 h1_0 + 0.2 h1_1 - 0.1)
     *   a_n = (0.4 h1_0 - 0.3 h1_1 + 0.2, 0.25 h1_0 + 0.15 h1_1 + 0.1)
     * r = sigmoid(W_ir x + b_ir + a_r), z = sigmoid(W_iz x + b_iz + a_z)
     * n = tanh(W_in x + b_in + r * a_n), h2 = (1 - z) * n + z * h1
     * </pre>
     */
    @Test
    void stepTwoByHand() {
        double h10 = EXPECTED_FWD[0][0];
        double h11 = EXPECTED_FWD[0][1];
        double x = -0.5;
        double ar0 = 0.1 * h10 + 0.2 * h11 + 0.0;
        double ar1 = -0.2 * h10 + 0.1 * h11 + 0.1;
        double az0 = 0.3 * h10 - 0.1 * h11 + 0.05;
        double az1 = 0.05 * h10 + 0.2 * h11 - 0.1;
        double an0 = 0.4 * h10 - 0.3 * h11 + 0.2;
        double an1 = 0.25 * h10 + 0.15 * h11 + 0.1;
        double r0 = sigmoid(0.5 * x + 0.1 + ar0);
        double r1 = sigmoid(-0.3 * x + 0.0 + ar1);
        double z0 = sigmoid(0.2 * x - 0.1 + az0);
        double z1 = sigmoid(0.4 * x + 0.2 + az1);
        double n0 = Math.tanh(-0.6 * x + 0.05 + r0 * an0);
        double n1 = Math.tanh(0.7 * x - 0.05 + r1 * an1);
        assertThat((1 - z0) * n0 + z0 * h10).isCloseTo(EXPECTED_FWD[1][0], within(1e-12));
        assertThat((1 - z1) * n1 + z1 * h11).isCloseTo(EXPECTED_FWD[1][1], within(1e-12));
    }

    /**
     * Expected values, forward and backward directions, 2 steps (step 1 and 2 above; the backward
     * direction is the same GRU on (x2, x1)), computed independently in double precision.
     */
    private static final double[][] EXPECTED_FWD = {{-0.18394659376315461, 0.22697559512984208},
        {0.1191181317581282, -0.06332143270313502}};
    /** Backward direction: the GRU run on (x2, x1), outputs re-reversed to time order. */
    private static final double[][] EXPECTED_BWD = {{-0.01613172080786622, 0.125941512792195},
        {0.22342363991237965, -0.1736893256638448}};

    private static GruLayer gru(ParamStore store) {
        for (boolean backward : new boolean[] {false, true}) {
            store.get(ser.api.ParameterNames.gru(1, backward, "weight_ih")).assign(Nd4j.createFromArray(W_IH).reshape(6, 1));
            store.get(ser.api.ParameterNames.gru(1, backward, "weight_hh")).assign(Nd4j.createFromArray(W_HH).reshape(6, 2));
            store.get(ser.api.ParameterNames.gru(1, backward, "bias_ih")).assign(Nd4j.createFromArray(B_IH));
            store.get(ser.api.ParameterNames.gru(1, backward, "bias_hh")).assign(Nd4j.createFromArray(B_HH));
        }
        return new GruLayer(store, 1, 1, 2, true, null);
    }

    private static ParamStore store() {
        ParamStore store = new ParamStore(DataType.DOUBLE);
        GruLayer.declare(store, 1, 1, 2, true);
        store.allocate();
        return store;
    }

    @Test
    void bidirectionalMatchesHandComputation() {
        ParamStore store = store();
        GruLayer layer = gru(store);
        Seq s = new Seq(new int[] {2}, DataType.DOUBLE);
        INDArray y = layer.forward(Nd4j.createFromArray(X).reshape(2, 1), s);
        for (int t = 0; t < 2; t++) {
            for (int j = 0; j < 2; j++) {
                assertThat(y.getDouble(t, j)).as("fwd t=%d unit %d", t, j).isCloseTo(EXPECTED_FWD[t][j], within(1e-12));
                assertThat(y.getDouble(t, 2 + j)).as("bwd t=%d unit %d", t, j).isCloseTo(EXPECTED_BWD[t][j], within(1e-12));
            }
        }
    }

    /** Same sequence padded in a batch behind a longer one: the backward direction reverses only its 2 frames. */
    @Test
    void paddedSequenceReversesOnlyItsValidPrefix() {
        ParamStore store = store();
        GruLayer layer = gru(store);
        Seq s = new Seq(new int[] {3, 2}, DataType.DOUBLE);
        // rows t*B + b: sequence 0 = (0.3, -0.2, 0.9), sequence 1 = (1.0, -0.5, pad)
        INDArray x = Nd4j.createFromArray(0.3, 1.0, -0.2, -0.5, 0.9, 0.0).reshape(6, 1);
        INDArray y = layer.forward(x, s);
        for (int t = 0; t < 2; t++) {
            for (int j = 0; j < 2; j++) {
                assertThat(y.getDouble(t * 2 + 1, j)).isCloseTo(EXPECTED_FWD[t][j], within(1e-12));
                assertThat(y.getDouble(t * 2 + 1, 2 + j)).isCloseTo(EXPECTED_BWD[t][j], within(1e-12));
            }
        }
        for (int j = 0; j < 4; j++) {
            assertThat(y.getDouble(5, j)).as("padded frame output").isZero();
        }
    }

    /** T = 1: both directions see the same single frame. */
    @Test
    void singleFrame() {
        ParamStore store = store();
        GruLayer layer = gru(store);
        Seq s = new Seq(new int[] {1}, DataType.DOUBLE);
        INDArray y = layer.forward(Nd4j.createFromArray(1.0).reshape(1, 1), s);
        for (int j = 0; j < 2; j++) {
            assertThat(y.getDouble(0, j)).isCloseTo(EXPECTED_FWD[0][j], within(1e-12));
            assertThat(y.getDouble(0, 2 + j)).isCloseTo(EXPECTED_FWD[0][j], within(1e-12));
        }
    }
}
