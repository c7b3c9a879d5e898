package ser.dl4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Additive attention pooling over time, masked: {@code e_t = v . tanh(W x_t + b)},
 * {@code a = softmax_t(e)} over each sequence's valid frames, {@code p = sum_t a_t x_t}.
 */
final class AttentionPooling {

    private final Dense w;
    private final Dense v;
    private Seq seq;
    private INDArray x;
    private INDArray u;
    private INDArray a;

    AttentionPooling(ParamStore store) {
        w = new Dense(store, "pool.w.weight", "pool.w.bias");
        v = new Dense(store, "pool.v.weight", null);
    }

    static void declare(ParamStore store, int width, int units) {
        Dense.declare(store, "pool.w.weight", "pool.w.bias", units, width);
        Dense.declare(store, "pool.v.weight", null, 1, units);
    }

    Dense[] projections() {
        return new Dense[] {w, v};
    }

    /** {@code x [T*B, D]} → {@code p [B, D]}. */
    INDArray forward(INDArray input, Seq s, boolean training) {
        int width = (int) input.size(1);
        INDArray hidden = Transforms.tanh(w.forward(input, training), false);
        INDArray e = v.forward(hidden, training).reshape('c', s.steps, s.batch);
        if (s.hasPadding()) {
            e.addi(s.timeBias());
        }
        INDArray weights = Nd4j.exec(new SoftMax(e, e, 0))[0];           // [T, B]
        INDArray p = Ops.columnSums(input.mulColumnVector(weights.reshape('c', (long) s.steps * s.batch, 1))
                .reshape('c', s.steps, (long) s.batch * width)).reshape('c', s.batch, width);
        if (training) {
            seq = s;
            x = input;
            u = hidden;
            a = weights;
        }
        return p;
    }

    INDArray backward(INDArray dp) {
        Seq s = seq;
        long tb = (long) s.steps * s.batch;
        int width = (int) x.size(1);
        INDArray aCol = a.reshape('c', tb, 1);
        // dp repeated for every frame of its sequence
        INDArray dpRep = Nd4j.create(dp.dataType(), s.steps, s.batch, width);
        dpRep.assign(dp.reshape('c', 1, s.batch, width).broadcast(s.steps, s.batch, width));
        INDArray dpRows = dpRep.reshape('c', tb, width);
        INDArray da = x.mul(dpRows).sum(1).reshape('c', s.steps, s.batch);  // x_t . dp
        INDArray dx = dpRows.muliColumnVector(aCol);
        // softmax over time: de = a * (da - sum_t a da)
        INDArray de = da.subRowVector(Ops.columnSums(a.mul(da))).muli(a);
        INDArray dHidden = v.backward(de.reshape('c', tb, 1), true);
        dHidden.muli(u.mul(u).rsubi(1.0));
        dx.addi(w.backward(dHidden, true));
        x = null;
        u = null;
        a = null;
        return dx;
    }
}
