package ser.api;

import com.typesafe.config.Config;

/**
 * What an extractor is built from.
 *
 * @param grid     the shared frame grid (rate, frame length, hop, centring)
 * @param settings the extractor's own block {@code ser.extractors.<name>}, user values over the
 *                 plugin's {@code reference.conf} defaults
 */
public record ExtractorContext(FrameGrid grid, Config settings) {
}
