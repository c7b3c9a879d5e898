package ser.runner.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ser.api.EpochMetrics;
import ser.api.ModelContext;
import ser.api.SequenceDataset;
import ser.api.SequenceModel;
import ser.api.SequenceModelProvider;
import ser.api.TrainingListener;
import ser.api.TrainingResult;
import ser.api.TrainingSpec;

/**
 * Test-only backend {@code test-centroid}: softmax regression on mean-pooled frames, started at
 * the nearest-centroid solution ({@code W_k = c_k}, {@code b_k = -|c_k|²/2}) and refined by
 * full-batch gradient descent at the spec's learning-rate schedule, with early stopping on the
 * validation loss (best weights restored). No randomness: fast and deterministic.
 * {@link Other} is the same model under another name, for "wrong backend" tests.
 */
public class CentroidModelProvider implements SequenceModelProvider {

    public static final String NAME = "test-centroid";
    static final int MAGIC = 0x5E4C3E17;

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

    @Override
    public SequenceModel load(Path dir, ModelContext context) throws IOException {
        Model model = new Model(name(), context.featureCount(), context.architecture().classes());
        try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve("centroid.bin")))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a centroid model");
            }
            int f = in.readInt();
            int k = in.readInt();
            if (f != model.features || k != model.classes) {
                throw new IOException("saved shape " + k + "x" + f + " differs from " + model.classes + "x" + model.features);
            }
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < f; j++) {
                    model.w[c][j] = in.readDouble();
                }
                model.b[c] = in.readDouble();
            }
        } catch (EOFException e) {
            throw new IOException("centroid.bin is truncated", e);
        }
        return model;
    }

    /** The same model named {@code test-other}. */
    public static final class Other extends CentroidModelProvider {
        @Override
        public String name() {
            return "test-other";
        }
    }

    static final class Model implements SequenceModel {
        final String backend;
        final int features;
        final int classes;
        double[][] w;
        double[] b;
        boolean closed;

        Model(String backend, int features, int classes) {
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

        static double[] pool(float[][] seq) {
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

        /** Loss and accuracy of the current weights on pooled inputs. */
        double[] evaluate(List<double[]> xs, int[] labels) {
            double loss = 0;
            int correct = 0;
            for (int i = 0; i < xs.size(); i++) {
                double[] p = probabilities(xs.get(i));
                loss -= Math.log(Math.max(1e-12, p[labels[i]]));
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (p[c] > p[best]) {
                        best = c;
                    }
                }
                if (best == labels[i]) {
                    correct++;
                }
            }
            return new double[] {loss / xs.size(), correct / (double) xs.size()};
        }

        @Override
        public TrainingResult fit(SequenceDataset train, SequenceDataset validation, TrainingSpec spec, TrainingListener listener) {
            List<double[]> xs = new ArrayList<>();
            train.inputs().forEach(s -> xs.add(pool(s)));
            List<double[]> vs = new ArrayList<>();
            validation.inputs().forEach(s -> vs.add(pool(s)));
            int[] count = new int[classes];
            double[][] centroid = new double[classes][features];
            for (int i = 0; i < xs.size(); i++) {
                int y = train.labels()[i];
                count[y]++;
                for (int j = 0; j < features; j++) {
                    centroid[y][j] += xs.get(i)[j];
                }
            }
            for (int c = 0; c < classes; c++) {
                double norm = 0;
                for (int j = 0; j < features; j++) {
                    centroid[c][j] = count[c] == 0 ? 0 : centroid[c][j] / count[c];
                    norm += centroid[c][j] * centroid[c][j];
                }
                w[c] = centroid[c].clone();
                b[c] = count[c] == 0 ? -1e3 : -norm / 2;
            }
            List<EpochMetrics> history = new ArrayList<>();
            double bestLoss = Double.POSITIVE_INFINITY;
            int bestEpoch = 0;
            double[][] bestW = null;
            double[] bestB = null;
            int since = 0;
            boolean stopped = false;
            int steps = (train.size() + spec.batchSize() - 1) / spec.batchSize();
            for (int epoch = 1; epoch <= spec.maxEpochs(); epoch++) {
                long start = System.nanoTime();
                double lr = spec.learningRateAt(epoch);
                double[][] gw = new double[classes][features];
                double[] gb = new double[classes];
                for (int i = 0; i < xs.size(); i++) {
                    double[] x = xs.get(i);
                    double[] p = probabilities(x);
                    for (int c = 0; c < classes; c++) {
                        double d = p[c] - (train.labels()[i] == c ? 1 : 0);
                        gb[c] += d;
                        for (int j = 0; j < features; j++) {
                            gw[c][j] += d * x[j];
                        }
                    }
                }
                for (int c = 0; c < classes; c++) {
                    b[c] -= lr * gb[c] / xs.size();
                    for (int j = 0; j < features; j++) {
                        w[c][j] -= lr * gw[c][j] / xs.size();
                    }
                }
                double[] tr = evaluate(xs, train.labels());
                double[] va = evaluate(vs, validation.labels());
                EpochMetrics m = new EpochMetrics(epoch, tr[0], tr[1], va[0], va[1], lr, (System.nanoTime() - start) / 1e9, steps);
                history.add(m);
                listener.onEpoch(m);
                if (va[0] < bestLoss) {
                    bestLoss = va[0];
                    bestEpoch = epoch;
                    bestW = copy(w);
                    bestB = b.clone();
                    since = 0;
                } else if (++since >= spec.patience()) {
                    stopped = epoch < spec.maxEpochs();
                    break;
                }
            }
            w = bestW;
            b = bestB;
            return new TrainingResult(history, bestEpoch, stopped);
        }

        private static double[][] copy(double[][] a) {
            double[][] c = new double[a.length][];
            for (int i = 0; i < a.length; i++) {
                c[i] = a[i].clone();
            }
            return c;
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
        public void setParameters(Map<String, float[]> parameters) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void save(Path dir) throws IOException {
            Files.createDirectories(dir);
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve("centroid.bin")))) {
                out.writeInt(MAGIC);
                out.writeInt(features);
                out.writeInt(classes);
                for (int c = 0; c < classes; c++) {
                    for (int j = 0; j < features; j++) {
                        out.writeDouble(w[c][j]);
                    }
                    out.writeDouble(b[c]);
                }
            }
            Files.writeString(dir.resolve("backend.txt"), backend + "\n");
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
