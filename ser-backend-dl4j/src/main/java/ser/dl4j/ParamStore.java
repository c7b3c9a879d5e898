package ser.dl4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Every tensor of a network by canonical name (see {@link ser.api.ParameterNames}), in PyTorch
 * layout. Trainable tensors are views into one flat parameter vector with a parallel flat gradient
 * vector, so that the optimizer, the gradient norm and snapshots are a handful of whole-vector
 * operations; batch-norm running statistics live in a second flat vector ({@code state}).
 *
 * <p>Two phases: layers {@link #declare} their tensors while the network is being built, then
 * {@link #allocate} creates the flat vectors and layers fetch their views.
 */
final class ParamStore {

    /** One declared tensor. */
    record Entry(String name, long[] shape, boolean trainable, long offset, long length) {
    }

    private final DataType dtype;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private long trainableLength;
    private long stateLength;
    private INDArray params;
    private INDArray grads;
    private INDArray state;
    private final Map<String, INDArray> views = new LinkedHashMap<>();
    private final Map<String, INDArray> gradViews = new LinkedHashMap<>();

    ParamStore(DataType dtype) {
        this.dtype = dtype;
    }

    DataType dtype() {
        return dtype;
    }

    /** Declares a tensor; trainable ones get a gradient, the others are running statistics. */
    void declare(String name, boolean trainable, long... shape) {
        if (params != null) {
            throw new IllegalStateException("store already allocated");
        }
        if (entries.containsKey(name)) {
            throw new IllegalStateException("duplicate parameter " + name);
        }
        long length = 1;
        for (long d : shape) {
            length *= d;
        }
        long offset = trainable ? trainableLength : stateLength;
        if (trainable) {
            trainableLength += length;
        } else {
            stateLength += length;
        }
        entries.put(name, new Entry(name, shape.clone(), trainable, offset, length));
    }

    void allocate() {
        try (var outside = Workspaces.outside()) {
            allocateOutside();
        }
    }

    private void allocateOutside() {
        params = Nd4j.create(dtype, Math.max(1, trainableLength));
        grads = Nd4j.create(dtype, Math.max(1, trainableLength));
        state = Nd4j.create(dtype, Math.max(1, stateLength));
        for (Entry e : entries.values()) {
            INDArray flat = e.trainable ? params : state;
            views.put(e.name, view(flat, e));
            if (e.trainable) {
                gradViews.put(e.name, view(grads, e));
            }
        }
    }

    private static INDArray view(INDArray flat, Entry e) {
        INDArray v = flat.get(NDArrayIndex.interval(e.offset, e.offset + e.length));
        return v.reshape('c', e.shape);
    }

    INDArray get(String name) {
        INDArray v = views.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return v;
    }

    INDArray grad(String name) {
        INDArray v = gradViews.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no gradient for " + name);
        }
        return v;
    }

    Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }

    List<String> names() {
        return new ArrayList<>(entries.keySet());
    }

    /** Flat trainable parameters (the optimizer's vector). */
    INDArray params() {
        return params;
    }

    /** Flat gradients, parallel to {@link #params()}. */
    INDArray grads() {
        return grads;
    }

    /** Flat running statistics. */
    INDArray state() {
        return state;
    }

    long trainableCount() {
        return trainableLength;
    }
}
