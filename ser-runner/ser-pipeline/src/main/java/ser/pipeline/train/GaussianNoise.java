package ser.pipeline.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import ser.api.TrainingBatch;

/**
 * Adds Gaussian noise of standard deviation {@code std} to every value of every frame
 * ({@code ser.train.noise-std}; inputs are standardized, so {@code std} is in units of a
 * feature's spread). Padding is the backend's and gets none.
 */
public record GaussianNoise(double std) implements Augmentation {

    public GaussianNoise {
        if (!(std > 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("noise std must be positive, got " + std);
        }
    }

    @Override
    public TrainingBatch apply(TrainingBatch batch, SplittableRandom random) {
        List<float[][]> noisy = new ArrayList<>(batch.size());
        for (float[][] seq : batch.inputs()) {
            float[][] copy = new float[seq.length][];
            for (int t = 0; t < seq.length; t++) {
                float[] frame = seq[t];
                float[] out = new float[frame.length];
                for (int f = 0; f < frame.length; f++) {
                    out[f] = (float) (frame[f] + std * random.nextGaussian());
                }
                copy[t] = out;
            }
            noisy.add(copy);
        }
        return new TrainingBatch(noisy, batch.labels(), batch.weights());
    }
}
