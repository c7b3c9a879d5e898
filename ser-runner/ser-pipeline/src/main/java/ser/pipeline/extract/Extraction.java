package ser.pipeline.extract;

/**
 * All configured extractors' output for one clip.
 *
 * @param frames          {@code [T][frameColumns]}: the sequence a model sees
 * @param utteranceVector {@code [utteranceColumns]}: functionals and utterance-level values;
 *                        null in a frames-only extraction ({@link #framesOnly})
 */
public record Extraction(float[][] frames, float[] utteranceVector) {

    public Extraction {
        if (frames == null) {
            throw new IllegalArgumentException("an extraction needs its frames");
        }
    }

    /**
     * The frames alone, as {@link FeaturePipeline#extractFrames} computes them for a model that
     * reads only the sequence; its {@link #utteranceVector()} fails.
     */
    public static Extraction framesOnly(float[][] frames) {
        return new Extraction(frames, null);
    }

    /** False for a frames-only extraction. */
    public boolean hasUtteranceVector() {
        return utteranceVector != null;
    }

    /**
     * @throws IllegalStateException for a frames-only extraction: what reads the utterance vector
     *                               must extract with {@link FeaturePipeline#extract}
     */
    @Override
    public float[] utteranceVector() {
        if (utteranceVector == null) {
            throw new IllegalStateException("frames-only extraction has no utterance vector (functionals and "
                    + "utterance-level values were not computed; use FeaturePipeline.extract)");
        }
        return utteranceVector;
    }
}
