package ser.dl4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One direction of a GRU layer with PyTorch's equations and layout:
 * <pre>
 *   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
 *   z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
 *   n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
 *   h' = (1 - z) * n + z * h
 * </pre>
 * The input projection of all frames is one matrix product (ND4J). The recurrence then costs,
 * per time step, one BLAS {@code gemm} for {@code W_hh h} and one fused Java loop over the gates,
 * both on the rows of the sequences still running (see {@link Seq}), reading and writing the
 * arrays' native memory directly ({@link Mem}). The backward pass is written by hand the same
 * way: a fused loop for the gate gradients and one {@code gemm} for the recurrent gradient per
 * step; the weight and input gradients of all steps are then a few large matrix products.
 *
 * <p>Each pass has three phases so that the two directions of a layer can run their recurrences
 * on two threads: {@code prepare} (allocates every array; on the calling thread, which may hold an
 * ND4J workspace), {@code recur} (BLAS and Java loops on memory allocated before, no ND4J
 * allocation: safe on any thread) and, for the backward pass, {@code finish} (large products).
 *
 * <p>Input must be zero on padded rows; output is zero there. The backward direction is this
 * class applied to {@link Seq#reverse reversed} input.
 */
final class GruDirection {

    private final int units;
    private final INDArray wIh;
    private final INDArray wHh;
    private final INDArray bIh;
    private final INDArray bHh;
    private final INDArray gWIh;
    private final INDArray gWHh;
    private final INDArray gBIh;
    private final INDArray gBHh;

    // forward cache
    private Seq seq;
    private INDArray x;
    private Mem g;        // [T*B, 3H]: W_ih x + b_ih
    private Mem wHhCopy;  // [3H, H], dense copy of weight_hh for direct BLAS calls
    private INDArray hAllArr;
    private Mem hAll;     // [(T+1)*B, H]: block 0 = h_{-1} = 0, block t+1 = h_t
    private Mem gates;    // [T*B, 3H]: r | z | n
    private Mem hpN;      // [T*B, H]: W_hn h_{t-1} + b_hn
    private Mem hp;       // [B, 3H]: W_hh h_{t-1} of one step
    private double[] biasHh;
    // backward state
    private Mem dH;
    private INDArray dgxArr;
    private INDArray dghArr;

    GruDirection(ParamStore store, String prefix, int inputs, int units) {
        this.units = units;
        this.wIh = store.get(prefix + "weight_ih");
        this.wHh = store.get(prefix + "weight_hh");
        this.bIh = store.get(prefix + "bias_ih");
        this.bHh = store.get(prefix + "bias_hh");
        this.gWIh = store.grad(prefix + "weight_ih");
        this.gWHh = store.grad(prefix + "weight_hh");
        this.gBIh = store.grad(prefix + "bias_ih");
        this.gBHh = store.grad(prefix + "bias_hh");
    }

    static void declare(ParamStore store, String prefix, int inputs, int units) {
        store.declare(prefix + "weight_ih", true, 3L * units, inputs);
        store.declare(prefix + "weight_hh", true, 3L * units, units);
        store.declare(prefix + "bias_ih", true, 3L * units);
        store.declare(prefix + "bias_hh", true, 3L * units);
    }

    private static INDArray rows(INDArray a, long from, long to) {
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    private static double sigmoid(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }

    private static double tanh(double v) {
        return 1.0 - 2.0 / (Math.exp(2.0 * v) + 1.0);
    }

    /** {@code x [T*B, in]} (zero on padding) → {@code h [T*B, H]} (zero on padding), all phases. */
    INDArray forward(INDArray input, Seq s) {
        forwardPrepare(input, s);
        forwardRecur();
        return output();
    }

    /** Input projection and every array of the forward pass. */
    void forwardPrepare(INDArray input, Seq s) {
        this.seq = s;
        this.x = input;
        int b = s.batch;
        int h = units;
        long tb = (long) s.steps * b;
        var dtype = input.dataType();
        INDArray gArr = Nd4j.gemm(input, wIh, false, true);   // [T*B, 3H]
        gArr.addiRowVector(bIh);
        g = Mem.of(gArr);
        hAllArr = Nd4j.create(dtype, (long) (s.steps + 1) * b, h);
        hAll = Mem.of(hAllArr);
        gates = Mem.of(Nd4j.create(dtype, tb, 3L * h));
        hpN = Mem.of(Nd4j.create(dtype, tb, h));
        hp = Mem.of(Nd4j.create(dtype, b, 3L * h));
        wHhCopy = Mem.of(wHh.dup('c'));
        biasHh = bHh.toDoubleVector();
    }

    /** The recurrence: one gemm and one fused loop per step, on the running sequences only. */
    void forwardRecur() {
        Seq s = seq;
        int b = s.batch;
        int h = units;
        int h3 = 3 * h;
        double[] bias = biasHh;
        // one step's rows on the Java heap: bulk-copied from/to native memory once per step
        double[] gS = new double[b * h3];
        double[] hpS = new double[b * h3];
        double[] gateS = new double[b * h3];
        double[] hpnS = new double[b * h];
        double[] hPrevS = new double[b * h];
        double[] hNewS = new double[b * h];
        for (int t = 0; t < s.steps; t++) {
            int active = s.active(t);
            int row0 = t * b;
            if (t > 0) {
                Mem.gemm(active, h3, h, hAll, (long) row0 * h, h, wHhCopy, 0, h, true, 0.0, hp, 0, h3);
                hp.read(0, hpS, active * h3);
            }
            g.read(row0 * h3, gS, active * h3);
            for (int r = 0; r < active; r++) {
                int k3 = r * h3;
                int k = r * h;
                for (int j = 0; j < h; j++) {
                    double hpR = bias[j];
                    double hpZ = bias[h + j];
                    double hpNj = bias[2 * h + j];
                    if (t > 0) {
                        hpR += hpS[k3 + j];
                        hpZ += hpS[k3 + h + j];
                        hpNj += hpS[k3 + 2 * h + j];
                    }
                    double rg = sigmoid(gS[k3 + j] + hpR);
                    double zg = sigmoid(gS[k3 + h + j] + hpZ);
                    double ng = tanh(gS[k3 + 2 * h + j] + rg * hpNj);
                    gateS[k3 + j] = rg;
                    gateS[k3 + h + j] = zg;
                    gateS[k3 + 2 * h + j] = ng;
                    hpnS[k + j] = hpNj;
                    hNewS[k + j] = (1 - zg) * ng + zg * hPrevS[k + j];
                }
            }
            gates.write(row0 * h3, gateS, active * h3);
            hpN.write(row0 * h, hpnS, active * h);
            hAll.write((row0 + b) * h, hNewS, active * h);
            double[] swap = hPrevS;
            hPrevS = hNewS;
            hNewS = swap;
        }
        g = null;
    }

    /** {@code h [T*B, H]}, a view of the forward state. */
    INDArray output() {
        return rows(hAllArr, seq.batch, (long) (seq.steps + 1) * seq.batch);
    }

    /**
     * Adds this direction's parameter gradients for output gradient {@code dOut [T*B, H]} (zero on
     * padding) and returns the input gradient {@code [T*B, in]}, all phases.
     */
    INDArray backward(INDArray dOut) {
        backwardPrepare(dOut);
        backwardRecur();
        return backwardFinish();
    }

    void backwardPrepare(INDArray dOut) {
        long tb = (long) seq.steps * seq.batch;
        var dtype = dOut.dataType();
        dH = Mem.of(dOut.dup('c'));                            // receives the recurrent gemm
        dgxArr = Nd4j.create(dtype, tb, 3L * units);           // d(pre-activations), input side: r | z | n
        dghArr = Nd4j.create(dtype, tb, 3L * units);           // recurrent side: r | z | r * dn
    }

    void backwardRecur() {
        Seq s = seq;
        int b = s.batch;
        int h = units;
        int h3 = 3 * h;
        Mem dgx = Mem.of(dgxArr);
        Mem dgh = Mem.of(dghArr);
        double[] dhS = new double[b * h];
        double[] carry = new double[b * h];                    // dh_t * z_t, the direct path to h_{t-1}
        double[] gateS = new double[b * h3];
        double[] hpnS = new double[b * h];
        double[] hPrevS = new double[b * h];
        double[] dgxS = new double[b * h3];
        double[] dghS = new double[b * h3];
        for (int t = s.steps - 1; t >= 0; t--) {
            int active = s.active(t);
            int row0 = t * b;
            dH.read(row0 * h, dhS, active * h);
            gates.read(row0 * h3, gateS, active * h3);
            hpN.read(row0 * h, hpnS, active * h);
            if (t > 0) {
                hAll.read(row0 * h, hPrevS, active * h);
            }
            for (int r = 0; r < active; r++) {
                int k3 = r * h3;
                int k = r * h;
                for (int j = 0; j < h; j++) {
                    double dh = dhS[k + j] + carry[k + j];
                    double rg = gateS[k3 + j];
                    double zg = gateS[k3 + h + j];
                    double ng = gateS[k3 + 2 * h + j];
                    double hPrev = t > 0 ? hPrevS[k + j] : 0.0;
                    double dn = dh * (1 - zg) * (1 - ng * ng);
                    double dz = dh * (hPrev - ng) * zg * (1 - zg);
                    double dr = dn * hpnS[k + j] * rg * (1 - rg);
                    dgxS[k3 + j] = dr;
                    dgxS[k3 + h + j] = dz;
                    dgxS[k3 + 2 * h + j] = dn;
                    dghS[k3 + j] = dr;
                    dghS[k3 + h + j] = dz;
                    dghS[k3 + 2 * h + j] = dn * rg;
                    carry[k + j] = dh * zg;
                }
            }
            dgx.write(row0 * h3, dgxS, active * h3);
            dgh.write(row0 * h3, dghS, active * h3);
            if (t > 0) {
                // dh_{t-1} += dG_h[t] W_hh
                Mem.gemm(active, h, h3, dgh, (long) row0 * h3, h3, wHhCopy, 0, h, false, 1.0, dH, (long) (row0 - b) * h, h);
            }
        }
    }

    /** Weight gradients of all steps and the input gradient, as large products. */
    INDArray backwardFinish() {
        long tb = (long) seq.steps * seq.batch;
        INDArray hPrevAll = rows(hAllArr, 0, tb);
        Nd4j.gemm(dghArr, hPrevAll, gWHh, true, false, 1.0, 1.0);
        gBHh.addi(Ops.columnSums(dghArr));
        Nd4j.gemm(dgxArr, x, gWIh, true, false, 1.0, 1.0);
        gBIh.addi(Ops.columnSums(dgxArr));
        INDArray dx = Nd4j.gemm(dgxArr, wIh, false, false);
        release();
        return dx;
    }

    /** Drops the caches. */
    void release() {
        x = null;
        g = null;
        hAll = null;
        hAllArr = null;
        gates = null;
        hpN = null;
        hp = null;
        wHhCopy = null;
        dH = null;
        dgxArr = null;
        dghArr = null;
    }
}
