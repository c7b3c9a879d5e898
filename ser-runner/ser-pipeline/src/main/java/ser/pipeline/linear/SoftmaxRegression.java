package ser.pipeline.linear;

import java.util.Arrays;

/**
 * Multinomial logistic regression with an L2 penalty on the weights (not on the intercepts), as
 * scikit-learn's {@code LogisticRegression(C=c, class_weight=..., solver="lbfgs")} defines it:
 * it minimizes {@code Σ_i w_i·CE_i + ||W||² / (2c)}, here divided by the sample count n,
 * {@code (1/n)·Σ_i w_i·CE_i + ||W||² / (2·c·n)} (the same minimizer, with gradients on the scale
 * of a mean loss), where {@code CE_i = logsumexp(W x_i + b) - (W x_i + b)_{y_i}}.
 *
 * <p>The intercepts are unpenalized, so adding a constant to all of them changes no probability;
 * they are reported centred (summing to 0), as the solver keeps them from a zero start.
 * A class with no training sample cannot be fitted (its intercept would run to minus infinity):
 * it gets zero weights and an intercept {@value #ABSENT_LOGIT_GAP} below the lowest fitted one,
 * so its probability is ~1e-13 of the least likely fitted class.
 *
 * @param weights    {@code [classes][features]}
 * @param intercepts {@code [classes]}
 */
public record SoftmaxRegression(double[][] weights, double[] intercepts) {

    static final double ABSENT_LOGIT_GAP = 30;

    /** How the optimum was reached. */
    public record Fit(SoftmaxRegression model, int iterations, boolean converged, double objective) {
    }

    public int classes() {
        return intercepts.length;
    }

    public int features() {
        return weights[0].length;
    }

    /**
     * Fits the model to {@code x} with labels {@code y} in {@code 0..classes-1}.
     *
     * @param sampleWeights per-sample loss weights (class weights), or null for all 1
     * @param c             inverse regularization strength, as scikit-learn's {@code C}
     * @param start         warm start (same shape), or null for zeros
     */
    public static Fit fit(double[][] x, int[] y, double[] sampleWeights, int classes, double c, Lbfgs.Options options,
            SoftmaxRegression start) {
        if (x.length == 0 || x.length != y.length || sampleWeights != null && sampleWeights.length != y.length) {
            throw new IllegalArgumentException(x.length + " samples, " + y.length + " labels");
        }
        if (!(c > 0) || Double.isInfinite(c)) {
            throw new IllegalArgumentException("C must be positive and finite, got " + c);
        }
        int features = x[0].length;
        // Solve over the classes present only; map them to 0..k-1.
        int[] present = Arrays.stream(y).distinct().sorted().toArray();
        int k = present.length;
        int[] local = new int[classes];
        Arrays.fill(local, -1);
        for (int j = 0; j < k; j++) {
            local[present[j]] = j;
        }
        int[] yl = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            yl[i] = local[y[i]];
        }
        int stride = features + 1;
        double[] theta = new double[k * stride];
        if (start != null && start.features() == features && start.classes() == classes) {
            for (int j = 0; j < k; j++) {
                System.arraycopy(start.weights[present[j]], 0, theta, j * stride, features);
                theta[j * stride + features] = start.intercepts[present[j]];
            }
        }
        Objective objective = new Objective(x, yl, sampleWeights, k, 1.0 / (c * x.length));
        Lbfgs.Result r = Lbfgs.minimize(objective, theta, options);
        double[][] w = new double[classes][features];
        double[] b = new double[classes];
        double mean = 0;
        for (int j = 0; j < k; j++) {
            mean += r.x()[j * stride + features] / k;
        }
        double lowest = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            System.arraycopy(r.x(), j * stride, w[present[j]], 0, features);
            b[present[j]] = r.x()[j * stride + features] - mean;
            lowest = Math.min(lowest, b[present[j]]);
        }
        for (int cl = 0; cl < classes; cl++) {
            if (local[cl] < 0) {
                b[cl] = lowest - ABSENT_LOGIT_GAP;
            }
        }
        return new Fit(new SoftmaxRegression(w, b), r.iterations(), r.converged(), r.value());
    }

    /** Class probabilities of one sample. */
    public double[] probabilities(double[] x) {
        double[] z = new double[intercepts.length];
        for (int cl = 0; cl < z.length; cl++) {
            z[cl] = intercepts[cl] + Lbfgs.dot(weights[cl], x);
        }
        softmaxInPlace(z);
        return z;
    }

    /** {@code (λ/2)·||W||²}. */
    public double penalty(double lambda) {
        double s = 0;
        for (double[] row : weights) {
            s += Lbfgs.dot(row, row);
        }
        return 0.5 * lambda * s;
    }

    static double softmaxInPlace(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            z[i] = Math.exp(z[i] - max);
            sum += z[i];
        }
        for (int i = 0; i < z.length; i++) {
            z[i] /= sum;
        }
        return max + Math.log(sum);
    }

    /** The mean-scaled objective over the flattened parameters {@code [class][features + intercept]}. */
    private record Objective(double[][] x, int[] y, double[] sampleWeights, int classes, double lambda) implements Lbfgs.Objective {

        @Override
        public double valueAndGradient(double[] theta, double[] gradient) {
            int features = x[0].length;
            int stride = features + 1;
            int n = x.length;
            Arrays.fill(gradient, 0);
            double[] z = new double[classes];
            double loss = 0;
            for (int i = 0; i < n; i++) {
                double[] xi = x[i];
                for (int j = 0; j < classes; j++) {
                    int off = j * stride;
                    double s = theta[off + features];
                    for (int f = 0; f < features; f++) {
                        s += theta[off + f] * xi[f];
                    }
                    z[j] = s;
                }
                double zy = z[y[i]];
                double lse = softmaxInPlace(z);
                double w = sampleWeights == null ? 1.0 : sampleWeights[i];
                loss += w * (lse - zy);
                for (int j = 0; j < classes; j++) {
                    double r = w * (z[j] - (j == y[i] ? 1 : 0));
                    if (r == 0) {
                        continue;
                    }
                    int off = j * stride;
                    for (int f = 0; f < features; f++) {
                        gradient[off + f] += r * xi[f];
                    }
                    gradient[off + features] += r;
                }
            }
            double penalty = 0;
            for (int i = 0; i < gradient.length; i++) {
                gradient[i] /= n;
            }
            for (int j = 0; j < classes; j++) {
                int off = j * stride;
                for (int f = 0; f < features; f++) {
                    double t = theta[off + f];
                    penalty += t * t;
                    gradient[off + f] += lambda * t;
                }
            }
            return loss / n + 0.5 * lambda * penalty;
        }
    }
}
