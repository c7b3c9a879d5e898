package ser.dl4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import ser.api.ParameterNames;

/**
 * Batch norm over the rows of {@code [N, width]}; with a row mask the statistics are taken over
 * the valid rows only and padded rows stay zero. Biased batch variance (as Keras) both for
 * normalizing and for the running variance; {@code running = m * running + (1 - m) * batch}.
 */
final class BatchNorm {

    private final INDArray gamma;
    private final INDArray beta;
    private final INDArray mean;
    private final INDArray var;
    private final INDArray gGamma;
    private final INDArray gBeta;
    private final double eps = ParameterNames.BATCH_NORM_EPSILON;
    private final double momentum = ParameterNames.BATCH_NORM_MOMENTUM;

    private INDArray xHat;
    private INDArray invStd;
    private INDArray mask;
    private double count;

    BatchNorm(ParamStore store, String gammaName, String betaName, String meanName, String varName) {
        gamma = store.get(gammaName);
        beta = store.get(betaName);
        mean = store.get(meanName);
        var = store.get(varName);
        gGamma = store.grad(gammaName);
        gBeta = store.grad(betaName);
    }

    static void declare(ParamStore store, String gammaName, String betaName, String meanName, String varName, int width) {
        store.declare(gammaName, true, width);
        store.declare(betaName, true, width);
        store.declare(meanName, false, width);
        store.declare(varName, false, width);
    }

    /** Sets gamma 1, beta 0, running mean 0, running variance 1. */
    void init() {
        gamma.assign(1.0);
        beta.assign(0.0);
        mean.assign(0.0);
        var.assign(1.0);
    }

    /**
     * @param x         {@code [N, width]}, zero on padded rows
     * @param rowMask   {@code [N, 1]} or null (all rows valid)
     * @param validRows number of valid rows
     */
    INDArray forward(INDArray x, INDArray rowMask, long validRows, boolean training) {
        if (!training) {
            INDArray y = x.subRowVector(mean);
            y.muliRowVector(Transforms.pow(var.add(eps), -0.5, false).muli(gamma));
            y.addiRowVector(beta);
            if (rowMask != null) {
                y.muliColumnVector(rowMask);
            }
            return y;
        }
        this.mask = rowMask;
        this.count = validRows;
        // masked sum as one product: mask^T x
        INDArray batchMean = (rowMask == null ? Ops.columnSums(x) : Nd4j.gemm(rowMask, x, true, false).reshape(x.size(1))).divi(count);
        INDArray xc = x.subRowVector(batchMean);
        if (rowMask != null) {
            xc.muliColumnVector(rowMask);
        }
        INDArray batchVar = Ops.columnSums(xc.mul(xc)).divi(count);
        invStd = Transforms.pow(batchVar.add(eps), -0.5, false);
        xHat = xc.muliRowVector(invStd);
        INDArray y = xHat.mulRowVector(gamma).addiRowVector(beta);
        if (rowMask != null) {
            y.muliColumnVector(rowMask);
        }
        mean.muli(momentum).addi(batchMean.muli(1 - momentum));
        var.muli(momentum).addi(batchVar.muli(1 - momentum));
        return y;
    }

    /** {@code dy [N, width]} → {@code dx}; adds gamma and beta gradients. */
    INDArray backward(INDArray dy) {
        if (mask != null) {
            dy = dy.mulColumnVector(mask);
        }
        INDArray dBeta = Ops.columnSums(dy);
        INDArray dGamma = Ops.columnSums(dy.mul(xHat));
        gBeta.addi(dBeta);
        gGamma.addi(dGamma);
        // dx = invStd/N * (N*dxhat - sum(dxhat) - xhat*sum(dxhat*xhat)), dxhat = dy*gamma
        INDArray dx = dy.mulRowVector(gamma).muli(count);
        dx.subiRowVector(dBeta.mul(gamma));
        dx.subi(xHat.mulRowVector(dGamma.mul(gamma)));
        dx.muliRowVector(invStd.div(count));
        if (mask != null) {
            dx.muliColumnVector(mask);
        }
        xHat = null;
        return dx;
    }
}
