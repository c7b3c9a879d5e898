package ser.api;

import java.util.List;

/**
 * A configured feature extractor. Instances may keep scratch buffers, so they are used by one
 * thread at a time; the runner asks the provider for one instance per worker thread.
 */
public interface FeatureExtractor {

    /**
     * Names of the frame-track columns, without the extractor prefix (the runner adds it): an
     * extractor named {@code mfcc} says {@code 1}, and the column is {@code mfcc_1}.
     */
    List<String> columns();

    /**
     * Names of the utterance-level values {@link FeatureTrack#utterance()} will hold, in order.
     * Fixed per configured instance so that every row of {@code nppdp.csv} has the same columns.
     */
    default List<String> utteranceColumns() {
        return List.of();
    }

    /**
     * Computes the features of {@code clip}. The track must have exactly
     * {@code grid.frameCount(clip.length())} rows and {@link #columns()} columns, and its
     * utterance map exactly the keys of {@link #utteranceColumns()}; no value may be NaN or
     * infinite (silence must give a defined value).
     */
    FeatureTrack extract(AudioClip clip);

    /**
     * The frame track of {@code clip} only, for a caller that does not read the utterance-level
     * values (prediction with a model that reads the frame sequence). The frames must be exactly
     * {@link #extract}'s, with the same checks (row count, columns, no NaN or infinite value);
     * the utterance map may be empty, or hold what {@code extract} would (the caller ignores it).
     *
     * <p>The default is {@link #extract}. Override it when the utterance-level values cost work
     * of their own (e.g. a statistic over the whole utterance that the frames do not need), and
     * test that both methods give the same frames.
     */
    default FeatureTrack extractFrames(AudioClip clip) {
        return extract(clip);
    }
}
