package ser.api;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Service-provider interface for training backends, found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/ser.api.SequenceModelProvider}), in the shape of DJL's
 * {@code EngineProvider}: a stateless factory named by config ({@code ser.train.backend}).
 * Backend-specific settings live under {@code ser.backends.<name>} in the backend's
 * {@code reference.conf}.
 */
public interface SequenceModelProvider {

    /** Unique name, e.g. {@code djl} or {@code dl4j}. */
    String name();

    /** One line for {@code ser plugins}. */
    String description();

    /** A new, randomly initialized model (initialization seeded by {@code seed}). */
    SequenceModel create(ModelContext context);

    /** Rebuilds a model saved by {@link SequenceModel#save} from the same backend. */
    SequenceModel load(Path dir, ModelContext context) throws IOException;
}
