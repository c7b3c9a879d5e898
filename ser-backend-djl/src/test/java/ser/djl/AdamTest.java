package ser.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.LinkedHashMap;
import java.util.Map;

import ser.api.OptimizerSpec;

import org.junit.jupiter.api.Test;

/** Keras's Adam update with global gradient-norm clipping, against Java arithmetic. */
class AdamTest {

    /** Keras's defaults, clipping at norm 1. */
    private static final OptimizerSpec SPEC = new OptimizerSpec(0.9, 0.999, 1e-7, 1.0);

    @Test
    void clipsByTheGlobalNormThenAppliesAdam() {
        double[] w = {0.5, -1.0, 2.0};
        double[][] grads = {{3.0, -4.0, 12.0}, {0.1, 0.2, -0.2}}; // norms 13 (clipped to 1) and 0.3 (kept)
        double lr = 0.01;
        double clip = SPEC.clipNorm();
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager(Device.cpu())) {
            NDArray a = m.create(new float[] {(float) w[0], (float) w[1]});
            NDArray b = m.create(new float[] {(float) w[2]});
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            Map<String, NDArray> weights = new LinkedHashMap<>();
            weights.put("a", a);
            weights.put("b", b);
            double[] mean = new double[3];
            double[] var = new double[3];
            try (Adam adam = new Adam(weights, SPEC)) {
                for (int step = 1; step <= 2; step++) {
                    double[] g = grads[step - 1];
                    double norm;
                    try (NDScope scope = new NDScope()) {
                        scope.suppressNotUsedWarning();
                        try (GradMode ignored = GradMode.enabled()) {
                            NDArray loss = a.mul(m.create(new float[] {(float) g[0], (float) g[1]})).sum()
                                    .add(b.mul(m.create(new float[] {(float) g[2]})).sum());
                            JniUtils.backward((PtNDArray) loss, (PtNDArray) m.ones(loss.getShape()), false, false);
                        }
                        norm = adam.update(lr);
                    }
                    double expectedNorm = Math.sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
                    assertThat(norm).isCloseTo(expectedNorm, within(1e-5));
                    double scale = expectedNorm > clip ? clip / expectedNorm : 1;
                    double lrT = lr * Math.sqrt(1 - Math.pow(SPEC.beta2(), step)) / (1 - Math.pow(SPEC.beta1(), step));
                    for (int i = 0; i < 3; i++) {
                        double gi = g[i] * scale;
                        mean[i] = SPEC.beta1() * mean[i] + (1 - SPEC.beta1()) * gi;
                        var[i] = SPEC.beta2() * var[i] + (1 - SPEC.beta2()) * gi * gi;
                        w[i] -= lrT * mean[i] / (Math.sqrt(var[i]) + SPEC.epsilon());
                    }
                    float[] av = a.toFloatArray();
                    float[] bv = b.toFloatArray();
                    assertThat((double) av[0]).isCloseTo(w[0], within(1e-6));
                    assertThat((double) av[1]).isCloseTo(w[1], within(1e-6));
                    assertThat((double) bv[0]).isCloseTo(w[2], within(1e-6));
                    assertThat(a.getGradient().toFloatArray()).containsOnly(0f);
                }
            }
        }
    }

    @Test
    void skipsAStepWhoseGradientIsNotFinite() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager(Device.cpu())) {
            NDArray a = m.create(new float[] {0.5f, -1.0f});
            a.setRequiresGradient(true);
            Map<String, NDArray> weights = new LinkedHashMap<>();
            weights.put("a", a);
            try (Adam adam = new Adam(weights, SPEC)) {
                double skippedNorm = step(m, a, adam, new float[] {Float.NaN, 1f});
                assertThat(skippedNorm).isNaN();
                assertThat(a.toFloatArray()).containsExactly(0.5f, -1.0f);
                assertThat(a.getGradient().toFloatArray()).containsOnly(0f);
                assertThat(step(m, a, adam, new float[] {Float.POSITIVE_INFINITY, 1f})).isInfinite();
                assertThat(a.toFloatArray()).containsExactly(0.5f, -1.0f);
                // The next finite step is Adam's first: moments and step count were left alone.
                double norm = step(m, a, adam, new float[] {0.3f, -0.4f});
                assertThat(norm).isCloseTo(0.5, within(1e-6));
                double lr = 0.01 * Math.sqrt(1 - SPEC.beta2()) / (1 - SPEC.beta1());
                float[] av = a.toFloatArray();
                double[] g = {0.3, -0.4};
                double[] w = {0.5, -1.0};
                for (int i = 0; i < 2; i++) {
                    double mean = (1 - SPEC.beta1()) * g[i];
                    double var = (1 - SPEC.beta2()) * g[i] * g[i];
                    assertThat((double) av[i]).isCloseTo(w[i] - lr * mean / (Math.sqrt(var) + SPEC.epsilon()), within(1e-6));
                }
            }
        }
    }

    /** Backward of {@code sum(a * g)} (so the gradient is {@code g}), then one update at lr 0.01, clip 1. */
    private static double step(NDManager m, NDArray a, Adam adam, float[] g) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            try (GradMode ignored = GradMode.enabled()) {
                NDArray loss = a.mul(m.create(g)).sum();
                JniUtils.backward((PtNDArray) loss, (PtNDArray) m.ones(loss.getShape()), false, false);
            }
            return adam.update(0.01);
        }
    }
}
