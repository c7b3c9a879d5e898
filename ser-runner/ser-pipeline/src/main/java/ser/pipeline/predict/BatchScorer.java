package ser.pipeline.predict;

import java.util.List;
import ser.api.AudioClip;

/**
 * A {@link ClipScorer} whose two halves can be called apart, so that one model call scores the
 * inputs of many clips: a model's cost per call is mostly fixed (engine calls, not arithmetic),
 * and a sequence's result does not depend on the batch it is in (within float rounding, about
 * 1e-7). {@link #input} may run on any thread; {@link #probabilities(List)} holds the model, so
 * one thread at a time.
 */
public interface BatchScorer extends ClipScorer {

    /** The model's input for one clip: its features, shaped and normalized as the model was trained. */
    float[][] input(AudioClip clip, String where);

    /** Probabilities of each input (by {@link ser.api.Emotion} index), in order, in one model call. */
    float[][] probabilities(List<float[][]> inputs);

    @Override
    default float[] probabilities(AudioClip clip, String where) {
        return probabilities(List.<float[][]>of(input(clip, where)))[0];
    }
}
