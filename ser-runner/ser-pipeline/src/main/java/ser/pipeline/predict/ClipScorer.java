package ser.pipeline.predict;

import ser.api.AudioClip;

/**
 * Class probabilities (by {@link ser.api.Emotion} index) for decoded audio at the model's rate.
 * Implementations hold a model, and a {@link ser.api.SequenceModel} is not thread-safe: one
 * scorer serves one thread at a time (a server keeps a pool of them).
 */
@FunctionalInterface
public interface ClipScorer {

    /**
     * @param where named in error messages ({@link ser.pipeline.BadInputException}), e.g. a file
     *              name or "request body"
     */
    float[] probabilities(AudioClip clip, String where);
}
