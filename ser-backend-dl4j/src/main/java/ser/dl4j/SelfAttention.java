package ser.dl4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multi-head self-attention (query = key = value = x) with padded frames masked as keys:
 * per head {@code softmax(Q_h K_h^T / sqrt(d) + mask) V_h}, heads concatenated, projected back to
 * x's width by {@code mha.o}. Output rows of padded frames are zero.
 */
final class SelfAttention {

    private final int heads;
    private final int keyDim;
    private final double scale;
    private final Dense q;
    private final Dense k;
    private final Dense v;
    private final Dense o;

    private Seq seq;
    private INDArray q4;
    private INDArray k4;
    private INDArray v4;
    private INDArray attn;

    SelfAttention(ParamStore store, int heads, int keyDim) {
        this.heads = heads;
        this.keyDim = keyDim;
        this.scale = 1.0 / Math.sqrt(keyDim);
        q = new Dense(store, "mha.q.weight", "mha.q.bias");
        k = new Dense(store, "mha.k.weight", "mha.k.bias");
        v = new Dense(store, "mha.v.weight", "mha.v.bias");
        o = new Dense(store, "mha.o.weight", "mha.o.bias");
    }

    static void declare(ParamStore store, int width, int heads, int keyDim) {
        int inner = heads * keyDim;
        for (String p : new String[] {"q", "k", "v"}) {
            Dense.declare(store, "mha." + p + ".weight", "mha." + p + ".bias", inner, width);
        }
        Dense.declare(store, "mha.o.weight", "mha.o.bias", width, inner);
    }

    Dense[] projections() {
        return new Dense[] {q, k, v, o};
    }

    /** {@code [T*B, HK]} → {@code [B, heads, T, K]} (a copy in c order). */
    private INDArray toHeads(INDArray a, Seq s) {
        return a.reshape('c', s.steps, s.batch, heads, keyDim).permute(1, 2, 0, 3).dup('c');
    }

    /** {@code [B, heads, T, K]} → {@code [T*B, HK]}. */
    private INDArray fromHeads(INDArray a, Seq s) {
        return a.permute(2, 0, 1, 3).dup('c').reshape('c', (long) s.steps * s.batch, (long) heads * keyDim);
    }

    INDArray forward(INDArray x, Seq s, boolean training) {
        seq = s;
        INDArray qh = toHeads(q.forward(x, training), s);
        INDArray kh = toHeads(k.forward(x, training), s);
        INDArray vh = toHeads(v.forward(x, training), s);
        INDArray scores = Nd4j.matmul(qh, kh, false, true, false).muli(scale);   // [B, h, T, T]
        if (s.hasPadding()) {
            scores.addi(s.keyBias());
        }
        INDArray a = Nd4j.exec(new SoftMax(scores, scores, 3))[0];
        INDArray ctx = fromHeads(Nd4j.matmul(a, vh), s);
        INDArray y = o.forward(ctx, training);
        if (s.hasPadding()) {
            y.muliColumnVector(s.mask());
        }
        if (training) {
            q4 = qh;
            k4 = kh;
            v4 = vh;
            attn = a;
        }
        return y;
    }

    INDArray backward(INDArray dy) {
        Seq s = seq;
        if (s.hasPadding()) {
            dy = dy.mulColumnVector(s.mask());   // padded output rows were zeroed
        }
        INDArray dCtx = o.backward(dy, true);
        INDArray dCtxH = toHeads(dCtx, s);
        INDArray dA = Nd4j.matmul(dCtxH, v4, false, true, false);          // [B, h, T, T]
        INDArray dV = Nd4j.matmul(attn, dCtxH, true, false, false);        // [B, h, T, K]
        // softmax backward: dS = A * (dA - sum(dA * A))
        INDArray rowDot = dA.mul(attn).sum(true, 3);
        INDArray dS = dA.subi(rowDot).muli(attn).muli(scale);
        INDArray dQ = Nd4j.matmul(dS, k4);
        INDArray dK = Nd4j.matmul(dS, q4, true, false, false);
        q4 = null;
        k4 = null;
        v4 = null;
        attn = null;
        INDArray dx = q.backward(fromHeads(dQ, s), true);
        dx.addi(k.backward(fromHeads(dK, s), true));
        dx.addi(v.backward(fromHeads(dV, s), true));
        return dx;
    }
}
