package ser.api;

import java.util.List;

/**
 * The classifier, described once and built identically by every backend, so that comparing
 * backends compares implementations, not models. Read from {@code ser.model.architecture}.
 *
 * <p>Network: for each GRU layer {@code i} (1-based): {@code h = GRU_i(x)} (bidirectional if
 * set: forward and reversed outputs concatenated, {@code 2 * units} wide), then batch norm if
 * set, then {@code h = h + x} if {@code i} is in {@code residualLayers} (the layer's input has
 * the same width), then dropout {@code gruDropout[i-1]}; {@code x = h}. Then, if
 * {@code attentionHeads > 0}, multi-head self-attention (query = key = value = x, per-head
 * width {@code attentionKeyDim}, output projected back to x's width, padded frames masked as
 * keys). Then additive attention pooling over time, masked: {@code e_t = v · tanh(W x_t + b)}
 * with {@code poolingUnits} hidden units, {@code a = softmax(e)}, {@code p = Σ a_t x_t}. Then
 * for each dense layer: {@code Dense(units) → ReLU → batch norm (if denseBatchNorm) → dropout
 * denseDropout}, with L2 penalty {@code denseL2 · Σ W²} on its kernel added to the loss. Then
 * {@code Dense(classes)} with softmax.
 *
 * <p>GRU gate equations and parameter layout are PyTorch's ({@code torch.nn.GRU}): gates in the
 * order reset, update, new; {@code n = tanh(W_in x + b_in + r * (W_hn h + b_hn))};
 * {@code h' = (1 - z) * n + z * h}.
 */
public record ArchitectureSpec(
        int gruUnits,
        int gruLayers,
        boolean bidirectional,
        boolean gruBatchNorm,
        List<Integer> residualLayers,
        List<Double> gruDropout,
        int attentionHeads,
        int attentionKeyDim,
        int poolingUnits,
        List<Integer> denseUnits,
        double denseL2,
        boolean denseBatchNorm,
        double denseDropout,
        int classes) {

    public ArchitectureSpec {
        residualLayers = List.copyOf(residualLayers);
        gruDropout = List.copyOf(gruDropout);
        denseUnits = List.copyOf(denseUnits);
        if (gruUnits <= 0 || gruLayers <= 0 || classes <= 1 || poolingUnits <= 0) {
            throw new IllegalArgumentException("architecture sizes must be positive (gru units, gru layers, pooling units, classes > 1)");
        }
        if (gruDropout.size() != gruLayers) {
            throw new IllegalArgumentException("gru dropout needs one value per GRU layer: " + gruLayers + " layers, "
                    + gruDropout.size() + " values");
        }
        for (int layer : residualLayers) {
            if (layer < 2 || layer > gruLayers) {
                throw new IllegalArgumentException("residual layer " + layer + " must be in 2.." + gruLayers
                        + " (layer 1's input is the features, of another width)");
            }
        }
        if (attentionHeads < 0 || (attentionHeads > 0 && attentionKeyDim <= 0)) {
            throw new IllegalArgumentException("attention heads must be >= 0 and key dim > 0 when heads > 0");
        }
        for (int units : denseUnits) {
            if (units <= 0) {
                throw new IllegalArgumentException("dense units must be positive, got " + units);
            }
        }
        checkRate("gru dropout", gruDropout);
        checkRate("dense dropout", List.of(denseDropout));
        if (denseL2 < 0) {
            throw new IllegalArgumentException("dense L2 must be >= 0, got " + denseL2);
        }
    }

    /** Width of a GRU layer's output. */
    public int gruOutputWidth() {
        return bidirectional ? 2 * gruUnits : gruUnits;
    }

    private static void checkRate(String what, List<Double> rates) {
        for (double rate : rates) {
            if (rate < 0 || rate >= 1) {
                throw new IllegalArgumentException(what + " must be in [0, 1), got " + rate);
            }
        }
    }
}
