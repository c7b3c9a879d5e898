package ser.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.LinkedHashMap;
import java.util.Map;

import ser.api.OptimizerSpec;

/**
 * Adam as Keras computes it ({@link OptimizerSpec}: bias correction folded into the step size),
 * with global gradient-norm clipping before the update. A step whose gradients are not all finite
 * is skipped: weights, moments and the step count stay as they were. State lives in the model's
 * manager for the model's life.
 */
final class Adam implements AutoCloseable {

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double clipNorm;
    private final Map<String, NDArray> weights;
    private final Map<String, NDArray[]> moments = new LinkedHashMap<>();
    private long step;

    Adam(Map<String, NDArray> weights, OptimizerSpec spec) {
        this.beta1 = spec.beta1();
        this.beta2 = spec.beta2();
        this.epsilon = spec.epsilon();
        this.clipNorm = spec.clipNorm();
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
     * Gradients are first scaled by {@code clip / max(norm, clip)} ({@link OptimizerSpec#clipNorm()}).
     *
     * @return the global gradient norm before clipping; not finite when the step was skipped
     */
    double update(double learningRate) {
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
            float lr = (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step)));
            for (Map.Entry<String, NDArray> e : weights.entrySet()) {
                NDArray w = e.getValue();
                NDArray g = grads.get(e.getKey());
                if (scale != 1f) {
                    g = g.mul(scale);
                }
                NDArray[] mv = moments.get(e.getKey());
                mv[0].muli((float) beta1).addi(g.mul((float) (1 - beta1)));
                mv[1].muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
                w.subi(mv[0].div(mv[1].sqrt().addi((float) epsilon)).muli(lr));
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
