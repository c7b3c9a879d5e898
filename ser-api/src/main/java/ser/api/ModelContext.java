package ser.api;

import com.typesafe.config.Config;

/**
 * What a backend builds a model from.
 *
 * @param architecture the shared network description
 * @param featureCount input width F of every frame
 * @param seed         seeds weight initialization
 * @param threads      compute threads the backend may use
 * @param settings     the backend's own block {@code ser.backends.<name>}
 */
public record ModelContext(ArchitectureSpec architecture, int featureCount, long seed, int threads, Config settings) {

    public ModelContext {
        if (featureCount <= 0) {
            throw new IllegalArgumentException("feature count must be positive, got " + featureCount);
        }
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
    }
}
