package ser.pipeline.linear;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ser.api.SequenceModel;
import ser.api.TrainingBatch;

/**
 * The {@code linear} backend's model: {@code softmax(W·x̄ + b)}, where {@code x̄} is the mean frame
 * of a sequence (the utterance vector itself under {@code ser.train.input = utterance}).
 * Parameters: {@code out.weight [classes, F]} and {@code out.bias [classes]}, as the BiGRU's
 * softmax layer.
 *
 * <p>How it fits the step-level SPI: the objective has one exact optimum, found by full-batch
 * L-BFGS, so an SGD step would only approximate it. {@link #trainStep} therefore collects its
 * batch (and reports the loss and accuracy of the current weights on it); the collected samples
 * are solved to convergence, warm-started, as soon as the weights are next read
 * ({@link #parameters}, {@link #evaluate}, {@link #predict}), which the training loop does at the
 * end of every epoch. One epoch is thus one exact fit on the whole training part, whatever the
 * batch size; later epochs start at the optimum and stop at once (their shuffled batches are the
 * same samples), so {@code ser.train.epochs = 1} is enough. The samples carry the loop's class
 * weights ({@code ser.train.class-weights}); augmentation noise, if configured, is part of the
 * collected samples, so set {@code ser.train.noise-std = 0} for scikit-learn's optimum.
 */
final class LinearModel implements SequenceModel {

    static final String WEIGHT = "out.weight";
    static final String BIAS = "out.bias";

    private final int features;
    private final int classes;
    private final LinearSettings settings;
    private SoftmaxRegression model;
    /** Samples seen by trainStep since the last solve. */
    private final List<double[]> pendingX = new ArrayList<>();
    private final List<Integer> pendingY = new ArrayList<>();
    private final List<Double> pendingW = new ArrayList<>();
    /** Samples of the last solve: the n of the penalty {@code ||W||² / (2·C·n)}. */
    private int trainedOn;

    LinearModel(int features, int classes, LinearSettings settings) {
        this.features = features;
        this.classes = classes;
        this.settings = settings;
        this.model = new SoftmaxRegression(new double[classes][features], new double[classes]);
    }

    @Override
    public String backend() {
        return LinearModelProvider.NAME;
    }

    @Override
    public String engineVersion() {
        return "pure Java L-BFGS";
    }

    @Override
    public StepResult trainStep(TrainingBatch batch, double learningRate) {
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < batch.size(); i++) {
            double[] x = meanFrame(batch.inputs().get(i));
            int y = batch.labels()[i];
            double[] p = model.probabilities(x);
            loss += batch.weights()[i] * -Math.log(Math.max(p[y], Double.MIN_NORMAL));
            if (argmax(p) == y) {
                correct++;
            }
            pendingX.add(x);
            pendingY.add(y);
            pendingW.add((double) batch.weights()[i]);
        }
        return new StepResult(loss / batch.size() + model.penalty(lambda()), correct, true);
    }

    /** Solves on the samples collected since the last solve, if any. */
    private void settle() {
        if (pendingX.isEmpty()) {
            return;
        }
        double[][] x = pendingX.toArray(new double[0][]);
        int[] y = pendingY.stream().mapToInt(Integer::intValue).toArray();
        double[] w = pendingW.stream().mapToDouble(Double::doubleValue).toArray();
        pendingX.clear();
        pendingY.clear();
        pendingW.clear();
        model = SoftmaxRegression.fit(x, y, w, classes, settings.c(), settings.options(), model).model();
        trainedOn = x.length;
    }

    private double lambda() {
        return trainedOn == 0 ? 0 : 1.0 / (settings.c() * trainedOn);
    }

    @Override
    public Evaluation evaluate(List<float[][]> inputs, int[] labels) {
        settle();
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < inputs.size(); i++) {
            double[] p = model.probabilities(meanFrame(inputs.get(i)));
            loss -= Math.log(Math.max(p[labels[i]], Double.MIN_NORMAL));
            if (argmax(p) == labels[i]) {
                correct++;
            }
        }
        int n = Math.max(1, inputs.size());
        return new Evaluation(loss / n + model.penalty(lambda()), (double) correct / n);
    }

    @Override
    public float[][] predict(List<float[][]> inputs) {
        settle();
        float[][] out = new float[inputs.size()][];
        for (int i = 0; i < out.length; i++) {
            double[] p = model.probabilities(meanFrame(inputs.get(i)));
            out[i] = new float[classes];
            for (int c = 0; c < classes; c++) {
                out[i][c] = (float) p[c];
            }
        }
        return out;
    }

    @Override
    public Map<String, float[]> parameters() {
        settle();
        float[] w = new float[classes * features];
        float[] b = new float[classes];
        for (int c = 0; c < classes; c++) {
            for (int f = 0; f < features; f++) {
                w[c * features + f] = (float) model.weights()[c][f];
            }
            b[c] = (float) model.intercepts()[c];
        }
        Map<String, float[]> p = new LinkedHashMap<>();
        p.put(WEIGHT, w);
        p.put(BIAS, b);
        return p;
    }

    @Override
    public Map<String, long[]> parameterShapes() {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put(WEIGHT, new long[] {classes, features});
        s.put(BIAS, new long[] {classes});
        return s;
    }

    @Override
    public void setParameters(Map<String, float[]> parameters) {
        for (String name : parameters.keySet()) {
            if (!name.equals(WEIGHT) && !name.equals(BIAS)) {
                throw new IllegalArgumentException("unknown parameter " + name + " (the linear model has " + WEIGHT + ", " + BIAS + ")");
            }
        }
        float[] w = parameters.get(WEIGHT);
        float[] b = parameters.get(BIAS);
        if (w != null && w.length != classes * features || b != null && b.length != classes) {
            throw new IllegalArgumentException("linear model parameters must be " + WEIGHT + " [" + classes + ", " + features + "] and "
                    + BIAS + " [" + classes + "]");
        }
        settle();
        double[][] weights = new double[classes][];
        double[] bias = model.intercepts().clone();
        for (int c = 0; c < classes; c++) {
            weights[c] = model.weights()[c].clone();
            for (int f = 0; w != null && f < features; f++) {
                weights[c][f] = w[c * features + f];
            }
            if (b != null) {
                bias[c] = b[c];
            }
        }
        model = new SoftmaxRegression(weights, bias);
    }

    @Override
    public void close() {
        pendingX.clear();
    }

    static double[] meanFrame(float[][] sequence) {
        int width = sequence[0].length;
        double[] m = new double[width];
        for (float[] frame : sequence) {
            for (int f = 0; f < width; f++) {
                m[f] += frame[f];
            }
        }
        for (int f = 0; f < width; f++) {
            m[f] /= sequence.length;
        }
        return m;
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}
