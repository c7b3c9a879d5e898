package ser.dl4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Fully connected {@code y = x W^T + b} with PyTorch's {@code [out, in]} weight. */
final class Dense {

    private final INDArray w;
    private final INDArray bias;
    private final INDArray gW;
    private final INDArray gBias;
    private INDArray x;

    Dense(ParamStore store, String weightName, String biasName) {
        w = store.get(weightName);
        gW = store.grad(weightName);
        if (biasName != null) {
            bias = store.get(biasName);
            gBias = store.grad(biasName);
        } else {
            bias = null;
            gBias = null;
        }
    }

    static void declare(ParamStore store, String weightName, String biasName, int out, int in) {
        store.declare(weightName, true, out, in);
        if (biasName != null) {
            store.declare(biasName, true, out);
        }
    }

    INDArray weight() {
        return w;
    }

    INDArray weightGrad() {
        return gW;
    }

    /** {@code [N, in]} → {@code [N, out]}; keeps {@code x} for the backward pass if training. */
    INDArray forward(INDArray input, boolean training) {
        x = training ? input : null;
        INDArray y = Nd4j.gemm(input, w, false, true);
        if (bias != null) {
            y.addiRowVector(bias);
        }
        return y;
    }

    /** Adds weight/bias gradients and returns {@code dx} (null if {@code needInput} is false). */
    INDArray backward(INDArray dy, boolean needInput) {
        Nd4j.gemm(dy, x, gW, true, false, 1.0, 1.0);
        if (gBias != null) {
            gBias.addi(Ops.columnSums(dy));
        }
        x = null;
        return needInput ? Nd4j.gemm(dy, w, false, false) : null;
    }
}
