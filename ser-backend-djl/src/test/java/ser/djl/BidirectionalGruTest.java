package ser.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The bidirectional GRU against plain Java arithmetic of the torch.nn.GRU equations: 2 steps, 2
 * units, 2 features, fixed weights, a batch of a full sequence and one padded to 1 frame.
 */
class BidirectionalGruTest {

    // Gate blocks (rows) in PyTorch order: reset, update, new. [3H = 6][in = 2]
    private static final float[][] FWD_WIH = {{0.5f, -0.3f}, {0.2f, 0.8f}, {-0.6f, 0.1f}, {0.3f, 0.3f}, {0.9f, -0.4f}, {-0.2f, 0.7f}};
    private static final float[][] FWD_WHH = {{0.1f, 0.4f}, {-0.5f, 0.2f}, {0.3f, -0.1f}, {0.6f, 0.2f}, {-0.3f, 0.8f}, {0.4f, -0.6f}};
    private static final float[] FWD_BIH = {0.1f, -0.2f, 0.05f, 0.3f, -0.1f, 0.2f};
    private static final float[] FWD_BHH = {-0.05f, 0.1f, 0.2f, -0.3f, 0.15f, 0.1f};
    private static final float[][] BWD_WIH = {{-0.4f, 0.6f}, {0.7f, 0.1f}, {0.2f, -0.8f}, {-0.1f, 0.5f}, {0.3f, 0.9f}, {-0.7f, -0.2f}};
    private static final float[][] BWD_WHH = {{0.2f, -0.3f}, {0.5f, 0.1f}, {-0.4f, 0.6f}, {0.1f, 0.7f}, {0.8f, -0.2f}, {-0.5f, 0.3f}};
    private static final float[] BWD_BIH = {0.2f, 0.1f, -0.1f, 0.05f, 0.3f, -0.2f};
    private static final float[] BWD_BHH = {0.1f, -0.15f, 0.05f, 0.2f, -0.25f, 0.3f};

    private static final float[][] SEQ_A = {{1.0f, -0.5f}, {0.3f, 0.8f}};
    private static final float[][] SEQ_B = {{-0.7f, 0.4f}};

    @Test
    void matchesHandComputedGruEquationsAndIgnoresPadding() {
        double[][] fwdA = new double[2][];
        fwdA[0] = step(FWD_WIH, FWD_WHH, FWD_BIH, FWD_BHH, SEQ_A[0], new double[2]);
        fwdA[1] = step(FWD_WIH, FWD_WHH, FWD_BIH, FWD_BHH, SEQ_A[1], fwdA[0]);
        double[][] bwdA = new double[2][];
        bwdA[1] = step(BWD_WIH, BWD_WHH, BWD_BIH, BWD_BHH, SEQ_A[1], new double[2]);
        bwdA[0] = step(BWD_WIH, BWD_WHH, BWD_BIH, BWD_BHH, SEQ_A[0], bwdA[1]);
        double[] fwdB = step(FWD_WIH, FWD_WHH, FWD_BIH, FWD_BHH, SEQ_B[0], new double[2]);
        // The backward direction of the 1-frame sequence starts at its own last frame, not at padding.
        double[] bwdB = step(BWD_WIH, BWD_WHH, BWD_BIH, BWD_BHH, SEQ_B[0], new double[2]);

        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager(Device.cpu());
                GradMode ignored = GradMode.disabled()) {
            PaddedBatch batch = PaddedBatch.of(m, List.of(SEQ_A, SEQ_B), 2, 0, null, 0);
            NDArray[] fwd = {matrix(m, FWD_WIH), matrix(m, FWD_WHH), m.create(FWD_BIH), m.create(FWD_BHH)};
            NDArray[] bwd = {matrix(m, BWD_WIH), matrix(m, BWD_WHH), m.create(BWD_BIH), m.create(BWD_BHH)};
            NDArray out = MaskedGru.bidirectional(batch.x(), batch.reverseIndex(), fwd, bwd, false);
            assertThat(out.getShape()).isEqualTo(new Shape(2, 2, 4));
            float[] o = out.toFloatArray();
            for (int t = 0; t < 2; t++) {
                for (int u = 0; u < 2; u++) {
                    assertThat((double) o[(t * 4) + u]).as("A fwd t%d u%d", t, u).isCloseTo(fwdA[t][u], within(1e-6));
                    assertThat((double) o[(t * 4) + 2 + u]).as("A bwd t%d u%d", t, u).isCloseTo(bwdA[t][u], within(1e-6));
                }
            }
            for (int u = 0; u < 2; u++) {
                assertThat((double) o[8 + u]).as("B fwd u%d", u).isCloseTo(fwdB[u], within(1e-6));
                assertThat((double) o[8 + 2 + u]).as("B bwd u%d", u).isCloseTo(bwdB[u], within(1e-6));
            }
            // Sanity: the padded backward state differs from what running over the padding would give.
            double[] bwdBOverPadding = step(BWD_WIH, BWD_WHH, BWD_BIH, BWD_BHH, SEQ_B[0],
                    step(BWD_WIH, BWD_WHH, BWD_BIH, BWD_BHH, new float[2], new double[2]));
            assertThat(Math.abs(bwdBOverPadding[0] - bwdB[0]) + Math.abs(bwdBOverPadding[1] - bwdB[1])).isGreaterThan(1e-3);
        }
    }

    /** One torch.nn.GRU step: r, z, n gates; n = tanh(W_in x + b_in + r * (W_hn h + b_hn)). */
    private static double[] step(float[][] wih, float[][] whh, float[] bih, float[] bhh, float[] x, double[] h) {
        int units = h.length;
        double[] next = new double[units];
        for (int u = 0; u < units; u++) {
            double r = sigmoid(dot(wih[u], x) + bih[u] + dot(whh[u], h) + bhh[u]);
            double z = sigmoid(dot(wih[units + u], x) + bih[units + u] + dot(whh[units + u], h) + bhh[units + u]);
            double n = Math.tanh(dot(wih[2 * units + u], x) + bih[2 * units + u]
                    + r * (dot(whh[2 * units + u], h) + bhh[2 * units + u]));
            next[u] = (1 - z) * n + z * h[u];
        }
        return next;
    }

    private static double dot(float[] w, float[] x) {
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            s += w[i] * x[i];
        }
        return s;
    }

    private static double dot(float[] w, double[] x) {
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            s += w[i] * x[i];
        }
        return s;
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private static NDArray matrix(NDManager m, float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * rows[0].length, rows[0].length);
        }
        return m.create(flat, new Shape(rows.length, rows[0].length));
    }
}
