package ser.pipeline.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ser.api.ModelContext;
import ser.api.SequenceModel;
import ser.api.SequenceModelProvider;
import ser.api.TrainingBatch;

/**
 * Test-only backend {@code test-centroid}: softmax regression on mean-pooled frames, started at
 * zero and trained by plain gradient descent on each batch (weighted mean cross-entropy, no
 * penalty, no clipping). No randomness of its own: fast and deterministic; the
 * {@link TrainingLoop} around it is the real one. {@link Other} is the same model under another
 * name, for "another backend" tests.
 */
public class CentroidModelProvider implements SequenceModelProvider {

    public static final String NAME = "test-centroid";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "test only: softmax regression on mean-pooled frames";
    }

    @Override
    public SequenceModel create(ModelContext context) {
        return new Model(name(), context.featureCount(), context.architecture().classes());
    }

    /** The same model named {@code test-other}. */
    public static final class Other extends CentroidModelProvider {
        @Override
        public String name() {
            return "test-other";
        }
    }

    public static final class Model implements SequenceModel {
        public final String backend;
        public final int features;
        public final int classes;
        public final double[][] w;
        public final double[] b;
        boolean closed;

        public Model(String backend, int features, int classes) {
            this.backend = backend;
            this.features = features;
            this.classes = classes;
            this.w = new double[classes][features];
            this.b = new double[classes];
        }

        @Override
        public String backend() {
            return backend;
        }

        @Override
        public String engineVersion() {
            return "plain Java";
        }

        public static double[] pool(float[][] seq) {
            double[] x = new double[seq[0].length];
            for (float[] frame : seq) {
                for (int j = 0; j < x.length; j++) {
                    x[j] += frame[j];
                }
            }
            for (int j = 0; j < x.length; j++) {
                x[j] /= seq.length;
            }
            return x;
        }

        double[] probabilities(double[] x) {
            double[] z = new double[classes];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double s = b[c];
                for (int j = 0; j < features; j++) {
                    s += w[c][j] * x[j];
                }
                z[c] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                z[c] = Math.exp(z[c] - max);
                sum += z[c];
            }
            for (int c = 0; c < classes; c++) {
                z[c] /= sum;
            }
            return z;
        }

        private static int argMax(double[] p) {
            int best = 0;
            for (int c = 1; c < p.length; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            return best;
        }

        @Override
        public StepResult trainStep(TrainingBatch batch, double learningRate) {
            int n = batch.size();
            double[][] gw = new double[classes][features];
            double[] gb = new double[classes];
            double loss = 0;
            int correct = 0;
            for (int i = 0; i < n; i++) {
                double[] x = pool(batch.inputs().get(i));
                double[] p = probabilities(x);
                int y = batch.labels()[i];
                double weight = batch.weights()[i];
                loss -= weight * Math.log(Math.max(1e-12, p[y]));
                correct += argMax(p) == y ? 1 : 0;
                for (int c = 0; c < classes; c++) {
                    double d = weight * (p[c] - (y == c ? 1 : 0));
                    gb[c] += d;
                    for (int j = 0; j < features; j++) {
                        gw[c][j] += d * x[j];
                    }
                }
            }
            if (!Double.isFinite(loss)) {
                return new StepResult(loss / n, correct, false);
            }
            for (int c = 0; c < classes; c++) {
                b[c] -= learningRate * gb[c] / n;
                for (int j = 0; j < features; j++) {
                    w[c][j] -= learningRate * gw[c][j] / n;
                }
            }
            return new StepResult(loss / n, correct, true);
        }

        @Override
        public Evaluation evaluate(List<float[][]> inputs, int[] labels) {
            double loss = 0;
            int correct = 0;
            for (int i = 0; i < inputs.size(); i++) {
                double[] p = probabilities(pool(inputs.get(i)));
                loss -= Math.log(Math.max(1e-12, p[labels[i]]));
                correct += argMax(p) == labels[i] ? 1 : 0;
            }
            return new Evaluation(loss / inputs.size(), correct / (double) inputs.size());
        }

        @Override
        public float[][] predict(List<float[][]> inputs) {
            if (closed) {
                throw new IllegalStateException("model is closed");
            }
            float[][] out = new float[inputs.size()][];
            for (int i = 0; i < inputs.size(); i++) {
                double[] p = probabilities(pool(inputs.get(i)));
                out[i] = new float[classes];
                for (int c = 0; c < classes; c++) {
                    out[i][c] = (float) p[c];
                }
            }
            return out;
        }

        @Override
        public Map<String, float[]> parameters() {
            Map<String, float[]> p = new LinkedHashMap<>();
            float[] weight = new float[classes * features];
            float[] bias = new float[classes];
            for (int c = 0; c < classes; c++) {
                for (int j = 0; j < features; j++) {
                    weight[c * features + j] = (float) w[c][j];
                }
                bias[c] = (float) b[c];
            }
            p.put("out.weight", weight);
            p.put("out.bias", bias);
            return p;
        }

        @Override
        public Map<String, long[]> parameterShapes() {
            Map<String, long[]> shapes = new LinkedHashMap<>();
            shapes.put("out.weight", new long[] {classes, features});
            shapes.put("out.bias", new long[] {classes});
            return shapes;
        }

        @Override
        public void setParameters(Map<String, float[]> parameters) {
            Map<String, long[]> shapes = parameterShapes();
            parameters.forEach((name, values) -> {
                if (!shapes.containsKey(name) || values.length != (name.equals("out.bias") ? classes : classes * features)) {
                    throw new IllegalArgumentException("unknown parameter or wrong size: " + name);
                }
            });
            float[] weight = parameters.get("out.weight");
            float[] bias = parameters.get("out.bias");
            for (int c = 0; c < classes; c++) {
                for (int j = 0; j < features && weight != null; j++) {
                    w[c][j] = weight[c * features + j];
                }
                if (bias != null) {
                    b[c] = bias[c];
                }
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
