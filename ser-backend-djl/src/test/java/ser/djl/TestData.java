package ser.djl;

import com.typesafe.config.ConfigFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import ser.api.ArchitectureSpec;
import ser.api.ModelContext;
import ser.api.SequenceDataset;

/** Tiny specs and random data for tests. */
final class TestData {

    static final int FEATURES = 6;

    private TestData() {
    }

    /** Every part of the network, tiny: BiGRU 8 x 2 + BN + residual, MHA 2 x 4, pooling 8, dense 12. */
    static ArchitectureSpec tinySpec(double dropout) {
        return new ArchitectureSpec(8, 2, true, true, List.of(2), List.of(0.0, dropout), 2, 4, 8, List.of(12), 0.001,
                true, dropout, 4);
    }

    static ModelContext context(ArchitectureSpec spec, long seed) {
        return new ModelContext(spec, FEATURES, seed, 1, ConfigFactory.empty());
    }

    static float[][] sequence(SplittableRandom rng, int frames, int features) {
        float[][] seq = new float[frames][features];
        for (float[] frame : seq) {
            for (int f = 0; f < features; f++) {
                frame[f] = (float) rng.nextGaussian();
            }
        }
        return seq;
    }

    /** {@code n} sequences of {@code minFrames..maxFrames} frames with random labels. */
    static SequenceDataset dataset(long seed, int n, int minFrames, int maxFrames, int classes) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<float[][]> inputs = new ArrayList<>();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            inputs.add(sequence(rng, minFrames + rng.nextInt(maxFrames - minFrames + 1), FEATURES));
            labels[i] = i % classes;
        }
        return new SequenceDataset(inputs, labels, FEATURES);
    }

    /** Random values for every parameter (positive variances), so no layer is an identity. */
    static void randomize(DjlSequenceModel model, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, float[]> params = model.parameters();
        params.replaceAll((name, old) -> {
            float[] v = new float[old.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = name.endsWith(".var") ? (float) (0.5 + rng.nextDouble()) : (float) (rng.nextGaussian() * 0.4);
            }
            return v;
        });
        model.setParameters(params);
    }
}
