package ser.pipeline.extract;

/**
 * All configured extractors' output for one clip.
 *
 * @param frames          {@code [T][frameColumns]}: the sequence a model sees
 * @param utteranceVector {@code [utteranceColumns]}: functionals and utterance-level values
 */
public record Extraction(float[][] frames, float[] utteranceVector) {
}
