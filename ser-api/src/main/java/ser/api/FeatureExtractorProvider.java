package ser.api;

/**
 * Service-provider interface for feature extractors, found with {@link java.util.ServiceLoader}
 * (list the implementation in {@code META-INF/services/ser.api.FeatureExtractorProvider}).
 * A provider is a stateless factory: it reads its settings and builds configured extractors.
 *
 * <p>A plugin jar ships its defaults in its own {@code reference.conf} under
 * {@code ser.extractors.<name>}; the runner rejects keys a user sets there that the defaults do
 * not declare.
 */
public interface FeatureExtractorProvider {

    /** Unique name, also the config block {@code ser.extractors.<name>} and the column prefix. */
    String name();

    /** One line for {@code ser plugins}. */
    String description();

    /**
     * Builds an extractor. Invalid settings throw {@link IllegalArgumentException} naming the
     * key; the runner calls this before any work starts.
     */
    FeatureExtractor create(ExtractorContext context);
}
