package ser.api;

import com.typesafe.config.Config;

/**
 * What a backend builds a model from. The one place seed and threads travel to a backend.
 *
 * @param architecture the shared network description
 * @param featureCount input width F of every frame
 * @param optimizer    Adam and clipping settings for {@link SequenceModel#trainStep}
 * @param seed         seeds weight initialization and dropout masks
 * @param threads      compute threads the backend may use
 * @param settings     the backend's own block {@code ser.backends.<name>}
 */
public record ModelContext(ArchitectureSpec architecture, int featureCount, OptimizerSpec optimizer, long seed, int threads,
        Config settings) {

    public ModelContext {
        if (featureCount <= 0) {
            throw new IllegalArgumentException("feature count must be positive, got " + featureCount);
        }
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        if (optimizer == null) {
            throw new IllegalArgumentException("optimizer settings must not be null");
        }
    }

    /** With the {@linkplain OptimizerSpec#DEFAULT default optimizer} (inference, tests). */
    public ModelContext(ArchitectureSpec architecture, int featureCount, long seed, int threads, Config settings) {
        this(architecture, featureCount, OptimizerSpec.DEFAULT, seed, threads, settings);
    }
}
