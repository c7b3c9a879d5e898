package ser.extractors.dsp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Deltas against scipy.signal.savgol_filter(mode='interp') = librosa.feature.delta. */
class DeltasTest {

    @Test
    void matchesSavgolInterp() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/reference/deltas.json")) {
            root = new ObjectMapper().readTree(in);
        }
        for (JsonNode c : root.get("cases")) {
            int frames = c.get("frames").asInt();
            int width = c.get("width").asInt();
            int order = c.get("order").asInt();
            int dims = c.get("x").size();
            double[] in = new double[frames * dims];
            for (int j = 0; j < dims; j++) {
                for (int t = 0; t < frames; t++) {
                    in[t * dims + j] = c.get("x").get(j).get(t).asDouble();
                }
            }
            float[][] out = new float[frames][dims];
            Deltas.apply(in, frames, dims, width, order, out, 0);
            for (int j = 0; j < dims; j++) {
                for (int t = 0; t < frames; t++) {
                    double expected = c.get("delta").get(j).get(t).asDouble();
                    assertThat((double) out[t][j]).as("frames=%d width=%d order=%d t=%d", frames, width, order, t)
                            .isCloseTo(expected, within(1e-5 * Math.max(1, Math.abs(expected))));
                }
            }
        }
    }

    @Test
    void shortTrajectoriesShrinkTheWindowOrGiveZero() {
        float[][] out = new float[2][1];
        Deltas.apply(new double[] {1, 5}, 2, 1, 9, 1, out, 0);
        assertThat(out[0][0]).isZero();
        assertThat(out[1][0]).isZero();
        float[][] out3 = new float[3][1];
        Deltas.apply(new double[] {1, 2, 3}, 3, 1, 9, 1, out3, 0);
        assertThat(out3[0][0]).isEqualTo(1f);
        assertThat(out3[2][0]).isEqualTo(1f);
        Deltas.apply(new double[] {1, 4, 9}, 3, 1, 9, 2, out3, 0);
        assertThat((double) out3[1][0]).isCloseTo(2.0, within(1e-6));
    }
}
