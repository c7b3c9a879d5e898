package ser.pipeline.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import ser.api.TrainingBatch;

/**
 * Mixup ({@code ser.train.augment.mixup-alpha}; Zhang et al. 2018): each sequence {@code i} of a
 * batch is mixed with a partner {@code j} (a seeded permutation of the batch) as
 * {@code lambda x_i + (1 - lambda) x_j}, {@code lambda ~ Beta(alpha, alpha)} per pair; the shorter
 * sequence is padded with zeros (the standardized mean) to the longer one's length.
 *
 * <p>The loss wants soft targets, {@code lambda CE(y_i) + (1 - lambda) CE(y_j)}. The step SPI
 * takes one class and one weight per sequence, and that loss is linear in the two cross-entropy
 * terms, so the batch carries each mixed sequence twice: once labelled {@code y_i} with weight
 * {@code 2 lambda w_i}, once labelled {@code y_j} with weight {@code 2 (1 - lambda) w_j} (the
 * factor 2 undoes the mean over twice the sequences). That is the mixup loss and gradient exactly,
 * without a change to either backend, at twice the compute per step; dropout draws its own mask
 * for each copy and batch norm sees each mixed sequence twice (same mean and variance).
 */
public record Mixup(double alpha) implements Augmentation {

    public Mixup {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("mixup alpha must be positive, got " + alpha);
        }
    }

    @Override
    public TrainingBatch apply(TrainingBatch batch, SplittableRandom random) {
        int n = batch.size();
        int[] partner = new int[n];
        for (int i = 0; i < n; i++) {
            partner[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = partner[i];
            partner[i] = partner[j];
            partner[j] = tmp;
        }
        List<float[][]> inputs = new ArrayList<>(2 * n);
        List<float[][]> partners = new ArrayList<>(n);
        int[] labels = new int[2 * n];
        float[] weights = new float[2 * n];
        for (int i = 0; i < n; i++) {
            int j = partner[i];
            double lambda = beta(alpha, random);
            float[][] mixed = mix(batch.inputs().get(i), batch.inputs().get(j), lambda);
            inputs.add(mixed);
            labels[i] = batch.labels()[i];
            weights[i] = (float) (2 * lambda * batch.weights()[i]);
            partners.add(mixed);
            labels[n + i] = batch.labels()[j];
            weights[n + i] = (float) (2 * (1 - lambda) * batch.weights()[j]);
        }
        inputs.addAll(partners);
        return new TrainingBatch(inputs, labels, weights);
    }

    static float[][] mix(float[][] a, float[][] b, double lambda) {
        int steps = Math.max(a.length, b.length);
        int width = a[0].length;
        float[][] out = new float[steps][width];
        for (int t = 0; t < steps; t++) {
            for (int f = 0; f < width; f++) {
                double x = t < a.length ? a[t][f] : 0;
                double y = t < b.length ? b[t][f] : 0;
                out[t][f] = (float) (lambda * x + (1 - lambda) * y);
            }
        }
        return out;
    }

    /** Beta(a, a) as X / (X + Y) of two Gamma(a) draws. */
    static double beta(double a, SplittableRandom random) {
        double x = gamma(a, random);
        double y = gamma(a, random);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /** Gamma(shape, 1): Marsaglia and Tsang (2000); shape < 1 boosted by U^(1/shape). */
    static double gamma(double shape, SplittableRandom random) {
        if (shape < 1) {
            return gamma(shape + 1, random) * Math.pow(random.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z = random.nextGaussian();
            double v = 1 + c * z;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }
}
