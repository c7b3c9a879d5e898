package ser.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * GRU layers on libtorch's fused {@code torch.gru} kernel, one direction per call.
 *
 * <p>DJL's {@code GRU} block with {@code optBidirectional(true)} passes all weights and then all
 * biases, where libtorch wants {@code w_ih, w_hh, b_ih, b_hh} per layer and direction, and fails.
 * It would also run the backward direction over the padding of short sequences. So a
 * bidirectional layer is two unidirectional calls: forward on the batch as is (post-padding
 * cannot reach a valid frame going forward), backward on a copy in which only each sequence's
 * valid prefix is reversed ({@link PaddedBatch#reverseIndex()}), its output reversed back the
 * same way. Output at padded frames is left as the kernel computed it; every later layer masks
 * padded frames.
 */
final class MaskedGru {

    private MaskedGru() {
    }

    /**
     * One direction over {@code x [B, T, in]} from a zero state; {@code torch.nn.GRU} equations
     * and layouts: {@code wih [3H, in]}, {@code whh [3H, H]}, biases {@code [3H]}, gates r, z, n.
     *
     * @return {@code [B, T, H]}
     */
    static NDArray unidirectional(NDArray x, NDArray wih, NDArray whh, NDArray bih, NDArray bhh, boolean training) {
        long batch = x.getShape().get(0);
        long units = whh.getShape().get(1);
        NDArray h0 = x.getManager().zeros(new Shape(1, batch, units));
        NDList out = x.getNDArrayInternal().gru(x, h0, new NDList(wih, whh, bih, bhh),
                true, 1, 0.0, training, false, true);
        return out.get(0);
    }

    /**
     * Forward and backward directions concatenated on the last axis ({@code [B, T, 2H]}), the
     * backward direction reading each sequence's valid frames only, last to first.
     *
     * @param reverseIndex {@link PaddedBatch#reverseIndex()}, or null if no sequence is padded
     * @param fwd {@code w_ih, w_hh, b_ih, b_hh} of the forward direction
     * @param bwd the same for the backward direction
     */
    static NDArray bidirectional(NDArray x, NDArray reverseIndex, NDArray[] fwd, NDArray[] bwd, boolean training) {
        NDArray forward = unidirectional(x, fwd[0], fwd[1], fwd[2], fwd[3], training);
        NDArray reversed = reverseValid(x, reverseIndex);
        NDArray backward = reverseValid(unidirectional(reversed, bwd[0], bwd[1], bwd[2], bwd[3], training), reverseIndex);
        return forward.concat(backward, 2);
    }

    /**
     * Reverses the valid prefix of every sequence in {@code x [B, T, W]}; padding stays put.
     * A null {@code reverseIndex} means no padding: the whole time axis is flipped.
     */
    static NDArray reverseValid(NDArray x, NDArray reverseIndex) {
        if (reverseIndex == null) {
            return x.flip(1);
        }
        Shape s = x.getShape();
        return x.reshape(s.get(0) * s.get(1), s.get(2)).get(reverseIndex).reshape(s);
    }
}
