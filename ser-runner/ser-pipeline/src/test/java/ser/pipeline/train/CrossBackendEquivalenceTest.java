package ser.pipeline.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import ser.pipeline.model.JavaNetwork;
import ser.pipeline.plugins.PluginRegistry;

/**
 * The proof that the backends are interchangeable: the same spec builds networks with the same
 * parameters (names and shapes), and identical weights give the same probabilities on both, and
 * on the plain-Java network that predicts for them by default.
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
            Random random = new Random(7);
            weights = distinctive(weights, random);
            a.setParameters(weights);
            b.setParameters(weights);

            List<float[][]> inputs = sequences(random, new int[] {9, 4, 1, 12});
            float[][] pa = a.predict(inputs);
            assertThat(spread(pa)).as("probabilities far enough from uniform to compare").isGreaterThan(0.05);
            assertClose(b.predict(inputs), pa, 1e-4);
        }
    }

    /**
     * The plain-Java network ({@code ser.inference = java}) against both backends, on the same
     * weights, sequences of different lengths batched together (the backends pad and mask), and
     * architectures that exercise every branch: attention or not, one or two directions, batch
     * norm or not, a residual layer, no or several dense layers, widths that are not multiples of
     * the Java network's blocks of eight.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"attention", "no-attention", "unidirectional-plain", "wide-one-dense"})
    void javaNetworkGivesTheBackendsProbabilities(String variant) {
        ArchitectureSpec spec = switch (variant) {
            case "attention" -> spec(true);
            case "no-attention" -> spec(false);
            case "unidirectional-plain" -> new ArchitectureSpec(5, 2, false, false, List.of(2), List.of(0.0, 0.0), 0, 4, 3,
                    List.of(), 0.0, false, 0.0, 8);
            case "wide-one-dense" -> new ArchitectureSpec(19, 3, true, true, List.of(3), List.of(0.0, 0.0, 0.0), 3, 5, 11,
                    List.of(13), 0.0, true, 0.0, 8);
            default -> throw new IllegalArgumentException(variant);
        };
        PluginRegistry plugins = PluginRegistry.discover(getClass().getClassLoader(), null);
        try (SequenceModel djl = plugins.backend("djl").create(context(spec, "djl", 3));
                SequenceModel dl4j = plugins.backend("dl4j").create(context(spec, "dl4j", 4))) {
            assertThat(JavaNetwork.parameterShapes(spec, FEATURES)).as("the Java network's tensors are the backends'")
                    .containsOnlyKeys(djl.parameterShapes().keySet());
            djl.parameterShapes().forEach((name, shape) -> assertThat(JavaNetwork.parameterShapes(spec, FEATURES).get(name)).as(name)
                    .containsExactly(shape));
            Random random = new Random(11);
            Map<String, float[]> weights = distinctive(djl.parameters(), random);
            djl.setParameters(weights);
            dl4j.setParameters(weights);
            JavaNetwork java = new JavaNetwork(spec, FEATURES, weights);

            List<float[][]> inputs = sequences(random, new int[] {9, 4, 1, 30, 12});
            float[][] expected = djl.predict(inputs);
            assertThat(spread(expected)).as("probabilities far enough from uniform to compare").isGreaterThan(0.05);
            float[][] actual = java.probabilities(inputs);
            assertClose(actual, expected, 1e-5);
            assertClose(actual, dl4j.predict(inputs), 1e-5);
            // scratch reused across calls and lengths changes nothing
            assertThat(java.probabilities(List.of(inputs.get(3), inputs.get(2)))).isDeepEqualTo(new float[][] {actual[3], actual[2]});
        }
    }

    @org.junit.jupiter.api.Test
    void javaNetworkNamesAMissingOrWrongTensor() {
        ArchitectureSpec spec = spec(true);
        PluginRegistry plugins = PluginRegistry.discover(getClass().getClassLoader(), null);
        try (SequenceModel djl = plugins.backend("djl").create(context(spec, "djl", 3))) {
            Map<String, float[]> missing = new java.util.HashMap<>(djl.parameters());
            missing.remove("mha.k.bias");
            assertThatThrownBy(() -> new JavaNetwork(spec, FEATURES, missing)).hasMessage("tensor mha.k.bias is missing");
            Map<String, float[]> wrong = new java.util.HashMap<>(djl.parameters());
            wrong.put("out.bias", new float[3]);
            assertThatThrownBy(() -> new JavaNetwork(spec, FEATURES, wrong))
                    .hasMessage("tensor out.bias has 3 values, the architecture needs 8");
            Map<String, float[]> extra = new java.util.HashMap<>(djl.parameters());
            extra.put("gru9.fwd.weight_ih", new float[1]);
            assertThatThrownBy(() -> new JavaNetwork(spec, FEATURES, extra))
                    .hasMessage("tensor gru9.fwd.weight_ih is not part of the architecture");
        }
    }

    /** Batch-norm statistics away from their initial 0/1, so that they matter; sharper outputs. */
    private static Map<String, float[]> distinctive(Map<String, float[]> weights, Random random) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        weights.forEach((name, values) -> {
            float[] copy = values.clone();
            if (name.endsWith(".var")) {
                for (int i = 0; i < copy.length; i++) {
                    copy[i] = 0.5f + random.nextFloat();
                }
            } else if (name.equals("out.weight")) {
                // so that a mismatch anywhere upstream shows in the probabilities
                for (int i = 0; i < copy.length; i++) {
                    copy[i] *= 8;
                }
            } else if (name.endsWith(".mean") || name.contains("bias")) {
                for (int i = 0; i < copy.length; i++) {
                    copy[i] = (float) (0.2 * random.nextGaussian());
                }
            }
            out.put(name, copy);
        });
        return out;
    }

    private static double spread(float[][] probabilities) {
        double spread = 0;
        for (float[] row : probabilities) {
            for (float p : row) {
                spread = Math.max(spread, Math.abs(p - 1.0 / row.length));
            }
        }
        return spread;
    }

    private static void assertClose(float[][] actual, float[][] expected, double tolerance) {
        assertThat(actual.length).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            for (int c = 0; c < expected[i].length; c++) {
                assertThat((double) actual[i][c]).as("sequence %d class %d", i, c)
                        .isCloseTo(expected[i][c], org.assertj.core.data.Offset.offset(tolerance));
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
