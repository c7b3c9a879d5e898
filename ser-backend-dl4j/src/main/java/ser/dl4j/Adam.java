package ser.dl4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import ser.api.OptimizerSpec;

/**
 * Adam on the flat parameter vector, in Keras's form ({@link OptimizerSpec}):
 * {@code lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t)}, {@code p -= lr_t * m / (sqrt(v) + eps)},
 * after global gradient-norm clipping. A step whose gradient norm is not finite changes nothing.
 */
final class Adam {

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double clipNorm;
    private final INDArray m;
    private final INDArray v;
    private long step;

    Adam(ParamStore store, OptimizerSpec spec) {
        this.beta1 = spec.beta1();
        this.beta2 = spec.beta2();
        this.epsilon = spec.epsilon();
        this.clipNorm = spec.clipNorm();
        this.m = Nd4j.zerosLike(store.params());
        this.v = Nd4j.zerosLike(store.params());
    }

    /**
     * Clips {@code grads} to global norm {@code clipNorm} (0 disables) and applies one update,
     * unless the norm is not finite (then nothing changes).
     *
     * @return the gradient norm before clipping
     */
    double update(INDArray params, INDArray grads, double learningRate) {
        double norm = grads.norm2Number().doubleValue();
        if (!Double.isFinite(norm)) {
            return norm;
        }
        if (clipNorm > 0 && norm > clipNorm) {
            grads.muli(clipNorm / norm);
        }
        step++;
        m.muli(beta1).addi(grads.mul(1 - beta1));
        v.muli(beta2).addi(grads.mul(grads).muli(1 - beta2));
        double lrT = learningRate * Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step));
        INDArray denom = Transforms.sqrt(v, true).addi(epsilon);
        params.subi(m.div(denom).muli(lrT));
        return norm;
    }
}
