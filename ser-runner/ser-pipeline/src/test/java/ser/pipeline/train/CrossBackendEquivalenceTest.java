package ser.pipeline.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ser.api.ArchitectureSpec;
import ser.api.ModelContext;
import ser.api.SequenceModel;
import ser.api.SequenceModelProvider;
import ser.pipeline.config.ConfigValidator;
import ser.pipeline.plugins.PluginRegistry;

/**
 * The proof that the backends are interchangeable: the same spec builds networks with the same
 * parameters (names and shapes), and identical weights give the same probabilities on both.
 */
class CrossBackendEquivalenceTest {

    private static final int FEATURES = 7;

    private static ArchitectureSpec spec(boolean attention) {
        return new ArchitectureSpec(6, 2, true, true, List.of(2), List.of(0.0, 0.3), attention ? 2 : 0, 3, 5,
                List.of(8, 6), 0.01, true, 0.3, 8);
    }

    @ParameterizedTest(name = "attention={0}")
    @ValueSource(booleans = {true, false})
    void identicalWeightsGiveIdenticalProbabilities(boolean attention) {
        PluginRegistry plugins = PluginRegistry.discover(getClass().getClassLoader(), null);
        SequenceModelProvider djl = plugins.backend("djl");
        SequenceModelProvider dl4j = plugins.backend("dl4j");
        ArchitectureSpec spec = spec(attention);
        try (SequenceModel a = djl.create(context(spec, "djl", 1)); SequenceModel b = dl4j.create(context(spec, "dl4j", 2))) {
            Map<String, float[]> weights = a.parameters();
            assertThat(b.parameters().keySet()).containsExactlyInAnyOrderElementsOf(weights.keySet());
            weights.forEach((name, values) -> assertThat(b.parameters().get(name)).as(name).hasSameSizeAs(values));

            // Batch-norm statistics away from their initial 0/1, so that they matter.
            Random random = new Random(7);
            weights.replaceAll((name, values) -> {
                float[] copy = values.clone();
                if (name.endsWith(".var")) {
                    for (int i = 0; i < copy.length; i++) {
                        copy[i] = 0.5f + random.nextFloat();
                    }
                } else if (name.equals("out.weight")) {
                    // Sharper outputs, so that a mismatch anywhere upstream shows in the probabilities.
                    for (int i = 0; i < copy.length; i++) {
                        copy[i] *= 8;
                    }
                } else if (name.endsWith(".mean")) {
                    for (int i = 0; i < copy.length; i++) {
                        copy[i] = (float) (0.2 * random.nextGaussian());
                    }
                }
                return copy;
            });
            a.setParameters(weights);
            b.setParameters(weights);

            List<float[][]> inputs = sequences(random, new int[] {9, 4, 1, 12});
            float[][] pa = a.predict(inputs);
            float[][] pb = b.predict(inputs);
            double spread = 0;
            for (float[] row : pa) {
                for (float p : row) {
                    spread = Math.max(spread, Math.abs(p - 1.0 / 8));
                }
            }
            assertThat(spread).as("probabilities far enough from uniform to compare").isGreaterThan(0.05);
            for (int i = 0; i < inputs.size(); i++) {
                for (int c = 0; c < 8; c++) {
                    assertThat((double) pb[i][c]).as("sequence %d class %d", i, c).isCloseTo(pa[i][c], org.assertj.core.data.Offset.offset(1e-4));
                }
            }
        }
    }

    private static ModelContext context(ArchitectureSpec spec, String backend, long seed) {
        var defaults = ConfigValidator.reference(List.of(CrossBackendEquivalenceTest.class.getClassLoader()));
        return new ModelContext(spec, FEATURES, seed, 1, defaults.getConfig("ser.backends." + backend));
    }

    private static List<float[][]> sequences(Random random, int[] lengths) {
        List<float[][]> out = new ArrayList<>();
        for (int length : lengths) {
            float[][] seq = new float[length][FEATURES];
            for (float[] frame : seq) {
                for (int f = 0; f < FEATURES; f++) {
                    frame[f] = (float) random.nextGaussian();
                }
            }
            out.add(seq);
        }
        return out;
    }
}
