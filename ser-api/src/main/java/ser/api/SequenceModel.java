package ser.api;

import java.util.List;
import java.util.Map;

/**
 * A sequence classifier built by one backend from an {@link ArchitectureSpec}: the operations a
 * training protocol needs, step by step, in the way DJL's {@code EasyTrain} lets engines supply
 * operations while the loop is written once. Epochs, shuffling, batching, early stopping, the
 * learning-rate schedule, divergence handling, augmentation and class weights are the caller's;
 * the model owns its weights, its optimizer state (Adam, see {@link OptimizerSpec}) and its
 * dropout randomness (seeded from {@link ModelContext#seed()}).
 *
 * <p>Not thread-safe; two models must be able to live, and train, in one JVM.
 */
public interface SequenceModel extends AutoCloseable {

    /** The provider name of the backend that built it, e.g. {@code djl}. */
    String backend();

    /** The engine under the backend with its version, e.g. {@code PyTorch 2.5.1}, for reports. */
    String engineVersion();

    /**
     * One optimizer step on one batch in training mode (dropout, batch statistics, running
     * statistics updated): loss = mean over the batch of {@code weight_i * crossEntropy_i} plus
     * the dense L2 penalty, gradients clipped to {@link OptimizerSpec#clipNorm()}, one Adam
     * update at {@code learningRate}. If the loss or the global gradient norm is not finite the
     * step is skipped: weights, optimizer state and running statistics stay as they were.
     */
    StepResult trainStep(TrainingBatch batch, double learningRate);

    /**
     * Mean cross-entropy (unweighted) plus the L2 penalty, and accuracy, of {@code inputs} in
     * inference mode; the backend chooses how to batch them.
     */
    Evaluation evaluate(List<float[][]> inputs, int[] labels);

    /**
     * Class probabilities for each sequence ({@code [n][classes]}, rows sum to 1), in
     * inference mode (no dropout, batch-norm running statistics).
     */
    float[][] predict(List<float[][]> inputs);

    /**
     * A copy of all parameters and batch-norm statistics by canonical name (see
     * {@link ParameterNames}), as float32 arrays in the canonical (PyTorch) layout: the weights
     * file, a best-epoch snapshot, and what another backend built from the same spec loads to
     * give the same predictions. Optimizer state is not part of it.
     */
    Map<String, float[]> parameters();

    /** Shapes of {@link #parameters()} by canonical name, in the same order. */
    Map<String, long[]> parameterShapes();

    /**
     * Replaces parameters by canonical name; an unknown name or a wrong size is an
     * {@link IllegalArgumentException} and changes nothing.
     */
    void setParameters(Map<String, float[]> parameters);

    @Override
    void close();

    /**
     * @param loss    the step's loss (see {@link #trainStep}); may be non-finite
     * @param correct sequences of the batch whose arg-max prediction was their label
     * @param applied false when the step was skipped for a non-finite loss or gradient
     */
    record StepResult(double loss, int correct, boolean applied) {
    }

    /** @param loss mean cross-entropy plus L2 penalty; @param accuracy share predicted right */
    record Evaluation(double loss, double accuracy) {
    }
}
