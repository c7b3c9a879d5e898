package ser.dl4j;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import ser.api.ParameterNames;

/**
 * A (bi)directional GRU layer: the forward direction on the input, the backward direction on the
 * input with each sequence's valid prefix reversed (its output reversed back), outputs
 * concatenated {@code [fwd | bwd]}. With an executor the two recurrences run on two threads;
 * every ND4J allocation stays on the calling thread (and so in its workspace, if any).
 */
final class GruLayer {

    private final GruDirection fwd;
    private final GruDirection bwd;
    private final int units;
    private final ExecutorService executor;
    private Seq seq;

    GruLayer(ParamStore store, int layer, int inputs, int units, boolean bidirectional, ExecutorService executor) {
        this.units = units;
        this.executor = executor;
        this.fwd = new GruDirection(store, ParameterNames.gru(layer, false, ""), inputs, units);
        this.bwd = bidirectional ? new GruDirection(store, ParameterNames.gru(layer, true, ""), inputs, units) : null;
    }

    static void declare(ParamStore store, int layer, int inputs, int units, boolean bidirectional) {
        GruDirection.declare(store, ParameterNames.gru(layer, false, ""), inputs, units);
        if (bidirectional) {
            GruDirection.declare(store, ParameterNames.gru(layer, true, ""), inputs, units);
        }
    }

    int outputWidth() {
        return bwd == null ? units : 2 * units;
    }

    INDArray forward(INDArray x, Seq s) {
        this.seq = s;
        if (bwd == null) {
            return fwd.forward(x, s);
        }
        fwd.forwardPrepare(x, s);
        bwd.forwardPrepare(s.reverse(x), s);
        both(fwd::forwardRecur, bwd::forwardRecur);
        return Nd4j.hstack(fwd.output(), s.reverse(bwd.output()));
    }

    INDArray backward(INDArray dy) {
        Seq s = seq;
        if (bwd == null) {
            return fwd.backward(dy);
        }
        fwd.backwardPrepare(dy.get(NDArrayIndex.all(), NDArrayIndex.interval(0, units)));
        bwd.backwardPrepare(s.reverse(dy.get(NDArrayIndex.all(), NDArrayIndex.interval(units, 2L * units))));
        both(fwd::backwardRecur, bwd::backwardRecur);
        INDArray dx = fwd.backwardFinish();
        return dx.addi(s.reverse(bwd.backwardFinish()));
    }

    /** Runs {@code a} here and {@code b} on the executor (or both here without one). */
    private void both(Runnable a, Runnable b) {
        if (executor == null) {
            a.run();
            b.run();
            return;
        }
        Future<?> second = executor.submit(b);
        try {
            a.run();
        } finally {
            try {
                second.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running the backward GRU direction", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }
}
