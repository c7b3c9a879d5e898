package ser.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A sequence classifier built by one backend from an {@link ArchitectureSpec}. Not thread-safe;
 * two models must be able to live in one JVM.
 */
public interface SequenceModel extends AutoCloseable {

    /** The provider name of the backend that built it, e.g. {@code djl}. */
    String backend();

    /**
     * Trains on {@code train}, choosing the epoch by the loss on {@code validation} (early
     * stopping with the best weights restored). The test split never reaches this method.
     */
    TrainingResult fit(SequenceDataset train, SequenceDataset validation, TrainingSpec spec, TrainingListener listener);

    /**
     * Class probabilities for each sequence ({@code [n][classes]}, rows sum to 1), in
     * inference mode (no dropout, batch-norm running statistics, no noise).
     */
    float[][] predict(List<float[][]> inputs);

    /**
     * All parameters and batch-norm statistics by canonical name (see {@link ParameterNames}),
     * as float32 arrays in the canonical (PyTorch) layout. Loading the same map into a model of
     * the other backend built from the same spec must give the same predictions.
     */
    Map<String, float[]> parameters();

    /** Replaces parameters by canonical name; an unknown name or a wrong size is an error. */
    void setParameters(Map<String, float[]> parameters);

    /** Writes the weights (and whatever the backend needs to rebuild itself) into {@code dir}. */
    void save(Path dir) throws IOException;

    @Override
    void close();
}
