package ser.api;

import com.typesafe.config.Config;

/**
 * Service-provider interface for corpus naming conventions, found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/ser.api.CorpusAdapterProvider}).
 * Settings live under {@code ser.corpora.<name>}.
 */
public interface CorpusAdapterProvider {

    /** Unique corpus name, e.g. {@code ravdess}. */
    String name();

    /** One line for {@code ser plugins}. */
    String description();

    /**
     * Order in which adapters are asked about a file; a lower value is asked first. Strict
     * conventions (fixed field counts and codes) come before loose ones (folder layouts).
     */
    default int priority() {
        return 100;
    }

    CorpusAdapter create(Config settings);
}
