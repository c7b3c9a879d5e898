package ser.pipeline.store;

/**
 * One extractor of a feature schema and the exact settings it ran with.
 *
 * @param name     provider name
 * @param settings its settings block {@code ser.extractors.<name>}, rendered as concise JSON
 */
public record ExtractorSetting(String name, String settings) {
}
