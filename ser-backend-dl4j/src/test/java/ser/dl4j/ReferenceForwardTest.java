package ser.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import ser.api.ArchitectureSpec;

/**
 * The whole network in inference mode (batched, padded, float32) against {@link ReferenceNetwork}
 * with random weights and batch-norm statistics set through {@code parameters()}: what the DJL
 * backend must match too.
 */
class ReferenceForwardTest {

    private static double maxDifference(ArchitectureSpec spec, int features, long seed) {
        Random rnd = new Random(seed);
        try (Dl4jSequenceModel model = new Dl4jSequenceModel(Fixtures.context(spec, features, seed, 2))) {
            Map<String, float[]> params = model.parameters();
            for (Map.Entry<String, float[]> e : params.entrySet()) {
                float[] v = e.getValue();
                boolean var = e.getKey().endsWith(".var");
                for (int i = 0; i < v.length; i++) {
                    v[i] = var ? 0.5f + rnd.nextFloat() : (rnd.nextFloat() * 2 - 1) * 0.6f;
                }
            }
            model.setParameters(params);
            List<float[][]> inputs = Fixtures.sequences(rnd, 5, 1, 11, features);
            float[][] got = model.predict(inputs);
            ReferenceNetwork ref = new ReferenceNetwork(model.parameters(), spec);
            double max = 0;
            for (int i = 0; i < inputs.size(); i++) {
                double[] want = ref.predict(inputs.get(i));
                for (int c = 0; c < want.length; c++) {
                    max = Math.max(max, Math.abs(want[c] - got[i][c]));
                }
            }
            return max;
        }
    }

    @Test
    void everyBlockMatchesThePlainImplementation() {
        double diff = maxDifference(Fixtures.tinySpec(), 3, 17);
        System.out.printf("reference forward, tiny spec: max |p - p_ref| = %.2e%n", diff);
        assertThat(diff).isLessThan(1e-5);
    }

    @Test
    void widerSpecMatchesThePlainImplementation() {
        ArchitectureSpec spec = new ArchitectureSpec(8, 3, true, true, List.of(2, 3), List.of(0.1, 0.1, 0.1), 3, 4, 5,
                List.of(6, 5), 0.01, true, 0.3, 4);
        double diff = maxDifference(spec, 4, 18);
        System.out.printf("reference forward, 3 layers: max |p - p_ref| = %.2e%n", diff);
        assertThat(diff).isLessThan(1e-5);
    }

    @Test
    void unidirectionalWithoutOptionalBlocksMatches() {
        ArchitectureSpec spec = new ArchitectureSpec(5, 2, false, false, List.of(2), List.of(0.0, 0.0), 0, 0, 4,
                List.of(), 0.0, false, 0.0, 3);
        double diff = maxDifference(spec, 5, 19);
        System.out.printf("reference forward, unidirectional: max |p - p_ref| = %.2e%n", diff);
        assertThat(diff).isLessThan(1e-5);
    }
}
