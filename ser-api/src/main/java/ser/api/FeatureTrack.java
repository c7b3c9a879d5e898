package ser.api;

import java.util.List;
import java.util.Map;

/**
 * What one extractor computed for one utterance: a frame track on the shared {@link FrameGrid}
 * (rows are frames, columns are {@code columns}) and optional utterance-level values that are
 * not functionals of the track (for example ApEn over the whole envelope, or mean F0 over voiced
 * frames only).
 *
 * @param columns   feature names of the track's columns, without the extractor prefix
 * @param frames    {@code frames[t][c]}, one row per grid frame
 * @param utterance utterance-level values by name, in a stable order
 */
public record FeatureTrack(List<String> columns, float[][] frames, Map<String, Double> utterance) {

    public FeatureTrack {
        columns = List.copyOf(columns);
        utterance = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(utterance));
        for (int t = 0; t < frames.length; t++) {
            if (frames[t].length != columns.size()) {
                throw new IllegalArgumentException("frame " + t + " has " + frames[t].length
                        + " values for " + columns.size() + " columns");
            }
        }
    }

    public FeatureTrack(List<String> columns, float[][] frames) {
        this(columns, frames, Map.of());
    }

    public int frameCount() {
        return frames.length;
    }
}
