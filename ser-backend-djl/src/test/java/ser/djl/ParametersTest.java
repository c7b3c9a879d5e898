package ser.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ser.api.ArchitectureSpec;
import ser.api.ParameterNames;

class ParametersTest {

    @Test
    void namesAndShapesFollowParameterNames() {
        // F 6, BiGRU 8 x 2 (widths 16), MHA 2 x 4, pooling 8, dense 12, 4 classes.
        Map<String, long[]> expected = new LinkedHashMap<>();
        for (int layer = 1; layer <= 2; layer++) {
            long in = layer == 1 ? 6 : 16;
            for (boolean bwd : new boolean[] {false, true}) {
                expected.put(ParameterNames.gru(layer, bwd, "weight_ih"), new long[] {24, in});
                expected.put(ParameterNames.gru(layer, bwd, "weight_hh"), new long[] {24, 8});
                expected.put(ParameterNames.gru(layer, bwd, "bias_ih"), new long[] {24});
                expected.put(ParameterNames.gru(layer, bwd, "bias_hh"), new long[] {24});
            }
            for (String stat : List.of("gamma", "beta", "mean", "var")) {
                expected.put(ParameterNames.gruBatchNorm(layer, stat), new long[] {16});
            }
        }
        for (String p : List.of("q", "k", "v")) {
            expected.put("mha." + p + ".weight", new long[] {8, 16});
            expected.put("mha." + p + ".bias", new long[] {8});
        }
        expected.put("mha.o.weight", new long[] {16, 8});
        expected.put("mha.o.bias", new long[] {16});
        expected.put("pool.w.weight", new long[] {8, 16});
        expected.put("pool.w.bias", new long[] {8});
        expected.put("pool.v.weight", new long[] {1, 8});
        expected.put(ParameterNames.dense(1, "weight"), new long[] {12, 16});
        expected.put(ParameterNames.dense(1, "bias"), new long[] {12});
        for (String stat : List.of("gamma", "beta", "mean", "var")) {
            expected.put(ParameterNames.denseBatchNorm(1, stat), new long[] {12});
        }
        expected.put("out.weight", new long[] {4, 12});
        expected.put("out.bias", new long[] {4});

        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(TestData.tinySpec(0.3), 1))) {
            Map<String, long[]> shapes = model.parameterShapes();
            assertThat(new ArrayList<>(shapes.keySet())).containsExactlyElementsOf(expected.keySet());
            expected.forEach((name, shape) -> assertThat(shapes.get(name)).as(name).containsExactly(shape));
            Map<String, float[]> values = model.parameters();
            expected.forEach((name, shape) -> {
                long size = 1;
                for (long d : shape) {
                    size *= d;
                }
                assertThat(values.get(name)).as(name).hasSize((int) size);
            });
            assertThat(values.get("gru1.bn.var")).containsOnly(1f);
            assertThat(values.get("gru1.fwd.bias_ih")).containsOnly(0f);
        }
    }

    @Test
    void unidirectionalWithoutAttentionHasNoBackwardOrAttentionTensors() {
        ArchitectureSpec spec = new ArchitectureSpec(5, 1, false, false, List.of(), List.of(0.0), 0, 0, 3, List.of(),
                0.0, false, 0.0, 2);
        try (DjlSequenceModel model = new DjlSequenceModel(TestData.context(spec, 1))) {
            assertThat(model.parameterShapes().keySet()).containsExactly("gru1.fwd.weight_ih", "gru1.fwd.weight_hh",
                    "gru1.fwd.bias_ih", "gru1.fwd.bias_hh", "pool.w.weight", "pool.w.bias", "pool.v.weight",
                    "out.weight", "out.bias");
            assertThat(model.parameterShapes().get("out.weight")).containsExactly(2, 5);
        }
    }

    @Test
    void setParametersRoundTripsAndRejectsBadInput() {
        try (DjlSequenceModel a = new DjlSequenceModel(TestData.context(TestData.tinySpec(0.3), 1));
                DjlSequenceModel b = new DjlSequenceModel(TestData.context(TestData.tinySpec(0.3), 2))) {
            TestData.randomize(a, 3);
            Map<String, float[]> values = a.parameters();
            b.setParameters(values);
            Map<String, float[]> copied = b.parameters();
            values.forEach((name, v) -> assertThat(copied.get(name)).as(name).containsExactly(v));
            float[][] in = {new float[TestData.FEATURES], new float[TestData.FEATURES]};
            in[1][2] = 1f;
            assertThat(b.predict(java.util.Collections.singletonList(in)))
                    .isDeepEqualTo(a.predict(java.util.Collections.singletonList(in)));

            Map<String, float[]> bad = new LinkedHashMap<>();
            bad.put("out.bias", new float[4]);
            bad.put("gru9.fwd.weight_ih", new float[3]);
            assertThatThrownBy(() -> b.setParameters(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gru9.fwd.weight_ih");
            Map<String, float[]> wrongSize = Map.of("out.bias", new float[5]);
            assertThatThrownBy(() -> b.setParameters(wrongSize)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("out.bias").hasMessageContaining("4");
            // Nothing changed by the rejected calls.
            assertThat(b.parameters().get("out.bias")).containsExactly(values.get("out.bias"));
        }
    }
}
