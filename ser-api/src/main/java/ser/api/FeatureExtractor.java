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
}
