package ser.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Regression test for the NaN losses of the demo training: the backward pass must read only memory
 * that libtorch owns.
 *
 * <p>DJL's {@code NDArray op Number} overloads ({@code div(n)}, {@code mul(x)}, ...) wrap the number
 * in a 0-d tensor over a Java direct buffer ({@code from_blob}) and close it right after the op. For
 * {@code mul} and {@code div}, autograd keeps that tensor for the backward pass, but nothing on the
 * Java side keeps its buffer: a garbage collection between forward and backward freed it, and the
 * backward pass then read whatever malloc had written there (allocator pointers, so random values,
 * sometimes NaN or infinite). Batch norm divided by the frame count this way, attention scaled its
 * queries, the L2 penalty its sum. The corrupted gradients were usually finite but wrong (clipping
 * hid them); once in a while they were NaN and Adam wrote NaN into the weights.
 */
class BackwardLifetimeTest {

    @Test
    void gradientsDoNotChangeWhenTheJvmCollectsGarbageBetweenForwardAndBackward() throws InterruptedException {
        SplittableRandom rng = new SplittableRandom(12);
        List<float[][]> sequences = new ArrayList<>();
        for (int frames : new int[] {9, 4, 7, 1, 6, 8}) {
            sequences.add(TestData.sequence(rng, frames, TestData.FEATURES));
        }
        int[] labels = {0, 1, 2, 3, 0, 1};
        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(TestData.tinySpec(0.0), 3))) {
            TestData.randomize(model, 4);
            Map<String, float[]> start = model.parameters();
            Map<String, float[]> reference = gradients(model, sequences, labels, start, false);
            for (int run = 0; run < 2; run++) {
                Map<String, float[]> collected = gradients(model, sequences, labels, start, true);
                for (Map.Entry<String, float[]> e : reference.entrySet()) {
                    float[] expected = e.getValue();
                    float[] actual = collected.get(e.getKey());
                    double tolerance = 1e-4 * (1 + maxAbs(expected));
                    for (int i = 0; i < expected.length; i++) {
                        assertThat((double) actual[i]).as("gradient of %s[%d] after a GC (run %d)", e.getKey(), i, run)
                                .isFinite()
                                .isCloseTo(expected[i], org.assertj.core.api.Assertions.within(tolerance));
                    }
                }
            }
        }
    }

    /** Loss gradients of one training-mode pass from {@code start}, optionally collecting garbage before backward. */
    private static Map<String, float[]> gradients(DjlSequenceModel model, List<float[][]> sequences, int[] labels,
            Map<String, float[]> start, boolean collect) throws InterruptedException {
        model.setParameters(start);
        Network network = model.network();
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            PaddedBatch batch = PaddedBatch.of(model.manager(), sequences, TestData.FEATURES, 0, null, 0);
            NDArray loss;
            try (GradMode ignored = GradMode.enabled()) {
                NDArray logits = network.logits(batch, true, new SplittableRandom(1));
                loss = Network.crossEntropy(logits, labels, 4).add(network.l2Penalty());
            }
            if (collect) {
                collectGarbage();
            }
            try (GradMode ignored = GradMode.enabled()) {
                JniUtils.backward((PtNDArray) loss, (PtNDArray) model.manager().ones(loss.getShape()), false, false);
            }
            for (Map.Entry<String, NDArray> e : network.trainable().entrySet()) {
                out.put(e.getKey(), e.getValue().getGradient().toFloatArray());
                JniUtils.zeroGrad((PtNDArray) e.getValue());
            }
        }
        return out;
    }

    /** Full collections, with time for the reference handler to free unreachable direct buffers. */
    private static void collectGarbage() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(30);
        }
    }

    private static double maxAbs(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
