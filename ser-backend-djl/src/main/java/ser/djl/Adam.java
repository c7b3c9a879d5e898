package ser.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam as Keras computes it ({@code beta1 0.9, beta2 0.999, epsilon 1e-7}, bias correction folded
 * into the step size), with global gradient-norm clipping before the update. A step whose
 * gradients are not all finite is skipped: weights, moments and the step count stay as they were.
 * State lives in the model's manager for one {@code fit} call.
 */
final class Adam implements AutoCloseable {

    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-7;

    private final Map<String, NDArray> weights;
    private final Map<String, NDArray[]> moments = new LinkedHashMap<>();
    private long step;

    Adam(Map<String, NDArray> weights) {
        this.weights = weights;
        for (Map.Entry<String, NDArray> e : weights.entrySet()) {
            NDArray w = e.getValue();
            NDArray m = w.getManager().zeros(w.getShape());
            NDArray v = w.getManager().zeros(w.getShape());
            NDScope.unregister(m, v);
            moments.put(e.getKey(), new NDArray[] {m, v});
        }
    }

    /**
     * Applies one update from the gradients libtorch accumulated on the weights, then zeroes
     * them. If the global gradient norm is not finite (a NaN or infinite gradient, or a norm
     * beyond float range) nothing is updated; the gradients are still zeroed. Call with an open
     * {@link NDScope} (temporaries).
     *
     * @param clipNorm global-norm threshold: gradients are scaled by {@code clip / max(norm, clip)}
     *                 (0 disables)
     * @return the global gradient norm before clipping; not finite when the step was skipped
     */
    double update(double learningRate, double clipNorm) {
        try (GradMode ignored = GradMode.disabled()) {
            Map<String, NDArray> grads = new LinkedHashMap<>();
            NDArray sumSquares = null;
            for (Map.Entry<String, NDArray> e : weights.entrySet()) {
                NDArray g = e.getValue().getGradient();
                grads.put(e.getKey(), g);
                NDArray s = g.square().sum();
                sumSquares = sumSquares == null ? s : sumSquares.add(s);
            }
            double norm = sumSquares == null ? 0 : Math.sqrt(sumSquares.getFloat());
            if (!Double.isFinite(norm)) {
                for (NDArray w : weights.values()) {
                    JniUtils.zeroGrad((PtNDArray) w);
                }
                return norm;
            }
            float scale = clipNorm > 0 && norm > clipNorm ? (float) (clipNorm / norm) : 1f;
            step++;
            float lr = (float) (learningRate * Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step)));
            for (Map.Entry<String, NDArray> e : weights.entrySet()) {
                NDArray w = e.getValue();
                NDArray g = grads.get(e.getKey());
                if (scale != 1f) {
                    g = g.mul(scale);
                }
                NDArray[] mv = moments.get(e.getKey());
                mv[0].muli((float) BETA1).addi(g.mul((float) (1 - BETA1)));
                mv[1].muli((float) BETA2).addi(g.square().muli((float) (1 - BETA2)));
                w.subi(mv[0].div(mv[1].sqrt().addi((float) EPSILON)).muli(lr));
                JniUtils.zeroGrad((PtNDArray) w);
            }
            return norm;
        }
    }

    @Override
    public void close() {
        for (NDArray[] mv : moments.values()) {
            mv[0].close();
            mv[1].close();
        }
    }
}
