package ser.dl4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.typesafe.config.ConfigFactory;

import ser.api.ArchitectureSpec;
import ser.api.ModelContext;
import ser.api.SequenceDataset;

/** Tiny specs and data shared by the tests. */
final class Fixtures {

    private Fixtures() {
    }

    /** Every block switched on, tiny: 2 biGRU layers of 3 units, residual, MHA 2x2, dense [4]. */
    static ArchitectureSpec tinySpec() {
        return new ArchitectureSpec(3, 2, true, true, List.of(2), List.of(0.0, 0.25), 2, 2, 3,
                List.of(4), 0.01, true, 0.25, 3);
    }

    /** The default spec with other widths. */
    static ArchitectureSpec defaultSpec(int classes) {
        return new ArchitectureSpec(128, 3, true, true, List.of(2), List.of(0.0, 0.3, 0.3), 4, 64, 128,
                List.of(128, 64), 0.01, true, 0.3, classes);
    }

    static ModelContext context(ArchitectureSpec spec, int features, long seed, int threads) {
        return new ModelContext(spec, features, seed, threads, ConfigFactory.empty());
    }

    /** With the two GRU directions on two threads. */
    static ModelContext parallelContext(ArchitectureSpec spec, int features, long seed) {
        return new ModelContext(spec, features, seed, 2, ConfigFactory.parseString("parallel-directions = true"));
    }

    static List<float[][]> sequences(Random rnd, int count, int minLen, int maxLen, int features) {
        List<float[][]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int len = minLen + rnd.nextInt(maxLen - minLen + 1);
            float[][] s = new float[len][features];
            for (float[] frame : s) {
                for (int f = 0; f < features; f++) {
                    frame[f] = (float) rnd.nextGaussian();
                }
            }
            out.add(s);
        }
        return out;
    }

    /** Learnable toy task: the class shifts the mean of one feature. */
    static SequenceDataset separable(long seed, int count, int features, int classes, int minLen, int maxLen) {
        Random rnd = new Random(seed);
        List<float[][]> seqs = sequences(rnd, count, minLen, maxLen, features);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % classes;
            for (float[] frame : seqs.get(i)) {
                frame[labels[i] % features] += 2.0f;
            }
        }
        return new SequenceDataset(seqs, labels, features);
    }
}
