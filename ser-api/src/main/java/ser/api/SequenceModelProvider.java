package ser.api;

/**
 * Service-provider interface for training backends, found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/ser.api.SequenceModelProvider}), in the shape of DJL's
 * {@code EngineProvider}: a stateless factory named by config ({@code ser.train.backend}).
 * Backend-specific settings live under {@code ser.backends.<name>} in the backend's
 * {@code reference.conf}.
 *
 * <p>There is no backend-specific file format: a saved model is its
 * {@linkplain SequenceModel#parameters() canonical parameters}, written once by the runner, so
 * loading is {@link #create} followed by {@link SequenceModel#setParameters}, on any backend.
 */
public interface SequenceModelProvider {

    /** Unique name, e.g. {@code djl} or {@code dl4j}. */
    String name();

    /** One line for {@code ser plugins}. */
    String description();

    /** A new model, initialized from {@link ModelContext#seed()}. */
    SequenceModel create(ModelContext context);
}
