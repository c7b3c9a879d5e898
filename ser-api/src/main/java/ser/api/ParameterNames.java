package ser.api;

/**
 * Canonical parameter names and layouts shared by all backends, so that identical weights can be
 * loaded into either and compared. Every array is float32, row-major, in PyTorch's layout:
 * a linear layer's {@code weight} is {@code [out, in]}, its {@code bias} {@code [out]}.
 *
 * <ul>
 * <li>{@code gru<i>.<dir>.weight_ih} {@code [3H, in]}, {@code gru<i>.<dir>.weight_hh}
 * {@code [3H, H]}, {@code gru<i>.<dir>.bias_ih} {@code [3H]}, {@code gru<i>.<dir>.bias_hh}
 * {@code [3H]}: GRU layer {@code i} (1-based), {@code dir} = {@code fwd} or {@code bwd}; gate
 * blocks in the order reset, update, new, exactly as {@code torch.nn.GRU}.</li>
 * <li>{@code gru<i>.bn.gamma|beta|mean|var} {@code [width]}: batch norm after GRU layer i.</li>
 * <li>{@code mha.q|k|v.weight} {@code [heads*keyDim, D]} and {@code .bias}; {@code mha.o.weight}
 * {@code [D, heads*keyDim]} and {@code .bias}: self-attention; head {@code h} uses rows
 * {@code h*keyDim .. (h+1)*keyDim-1}; scores are scaled by {@code 1/sqrt(keyDim)}.</li>
 * <li>{@code pool.w.weight} {@code [U, D]}, {@code pool.w.bias} {@code [U]},
 * {@code pool.v.weight} {@code [1, U]}: additive attention pooling.</li>
 * <li>{@code dense<j>.weight|bias}, {@code dense<j>.bn.gamma|beta|mean|var}: dense layer j
 * (1-based).</li>
 * <li>{@code out.weight} {@code [classes, in]}, {@code out.bias}: the softmax layer.</li>
 * </ul>
 *
 * <p>Batch norm everywhere: epsilon {@value #BATCH_NORM_EPSILON}, running statistics updated as
 * {@code running = momentum * running + (1 - momentum) * batch} with momentum
 * {@value #BATCH_NORM_MOMENTUM} (Keras's defaults), statistics over the non-padded frames of a
 * batch, the running variance updated with the biased batch variance (as Keras does); inference
 * uses the running statistics. Adam follows Keras (see {@link OptimizerSpec}); the L2
 * penalty covers the hidden dense kernels, not the output layer; dropout is inverted; padded
 * attention keys get -1e9 before the softmax.
 */
public final class ParameterNames {

    public static final double BATCH_NORM_EPSILON = 1e-3;
    public static final double BATCH_NORM_MOMENTUM = 0.99;

    private ParameterNames() {
    }

    public static String gru(int layer, boolean backward, String tensor) {
        return "gru" + layer + "." + (backward ? "bwd" : "fwd") + "." + tensor;
    }

    public static String gruBatchNorm(int layer, String stat) {
        return "gru" + layer + ".bn." + stat;
    }

    public static String dense(int layer, String tensor) {
        return "dense" + layer + "." + tensor;
    }

    public static String denseBatchNorm(int layer, String stat) {
        return "dense" + layer + ".bn." + stat;
    }
}
