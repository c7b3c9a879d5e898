package ser.runner.extract;

import java.util.List;
import ser.api.FrameGrid;

/**
 * What a feature set's columns mean and how they were made: enough to recompute them for a new
 * file, and a hash that changes whenever any of it changes. A model bundle stores the schema it
 * was trained on; features or audio with another hash are refused, naming both hashes.
 *
 * @param grid             the frame grid (its sample rate is the decoding rate)
 * @param extractors       extractors in column order, with their settings
 * @param frameColumns     columns of each sequence frame: {@code <extractor>_<feature>}
 * @param utteranceColumns columns of nppdp.csv, without {@code emotion_label}
 * @param functionals      functionals of the frame columns in nppdp.csv
 * @param hash             SHA-256 (hex) over all of the above
 */
public record FeatureSchema(
        FrameGrid grid,
        List<ExtractorSetting> extractors,
        List<String> frameColumns,
        List<String> utteranceColumns,
        List<String> functionals,
        String hash) {

    public FeatureSchema {
        extractors = List.copyOf(extractors);
        frameColumns = List.copyOf(frameColumns);
        utteranceColumns = List.copyOf(utteranceColumns);
        functionals = List.copyOf(functionals);
    }
}
