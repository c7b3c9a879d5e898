package ser.pipeline.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {

    /*
     * Hand-checked case, 4 classes (rows true, columns predicted):
     *        p0 p1 p2 p3   support
     *   t0 [  3  1  0  0 ]   4
     *   t1 [  2  1  0  1 ]   4
     *   t2 [  1  0  0  0 ]   1     class 2 is never predicted
     *   t3 [  0  0  0  0 ]   0     class 3 has no support (but is predicted once)
     * accuracy = (3 + 1 + 0) / 9 = 4/9
     * precision: 3/6, 1/2, 0 (never predicted -> 0 by definition), 0/1
     * recall:    3/4, 1/4, 0/1, 0 (no support -> 0 by definition)
     * f1:        0.6, 1/3, 0, 0
     * UAR and macro-F1 average over classes with support {0, 1, 2}:
     * UAR = (0.75 + 0.25 + 0) / 3 = 1/3, macro-F1 = (0.6 + 1/3 + 0) / 3 = 0.31111...
     */
    private static final int[][] CONFUSION = {
        {3, 1, 0, 0},
        {2, 1, 0, 1},
        {1, 0, 0, 0},
        {0, 0, 0, 0},
    };

    private static int[][] pairs() {
        int n = 9;
        int[] truth = new int[n];
        int[] pred = new int[n];
        int i = 0;
        for (int t = 0; t < 4; t++) {
            for (int p = 0; p < 4; p++) {
                for (int c = 0; c < CONFUSION[t][p]; c++) {
                    truth[i] = t;
                    pred[i] = p;
                    i++;
                }
            }
        }
        return new int[][] {truth, pred};
    }

    @Test
    void handCheckedConfusionMatrix() {
        int[][] tp = pairs();
        Metrics m = Metrics.of(tp[0], tp[1], 4);
        assertThat(m.confusion()).isDeepEqualTo(CONFUSION);
        assertThat(m.count()).isEqualTo(9);
        assertThat(m.accuracy()).isCloseTo(4.0 / 9, within(1e-12));
        double[] precision = {0.5, 0.5, 0, 0};
        double[] recall = {0.75, 0.25, 0, 0};
        double[] f1 = {0.6, 1.0 / 3, 0, 0};
        int[] support = {4, 4, 1, 0};
        for (int k = 0; k < 4; k++) {
            Metrics.ClassScores s = m.perClass().get(k);
            assertThat(s.precision()).as("precision %d", k).isCloseTo(precision[k], within(1e-12));
            assertThat(s.recall()).as("recall %d", k).isCloseTo(recall[k], within(1e-12));
            assertThat(s.f1()).as("f1 %d", k).isCloseTo(f1[k], within(1e-12));
            assertThat(s.support()).isEqualTo(support[k]);
        }
        assertThat(m.averagedClasses()).containsExactly(0, 1, 2);
        assertThat(m.uar()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(m.macroF1()).isCloseTo((0.6 + 1.0 / 3) / 3, within(1e-12));
        assertThat(Metrics.ofConfusion(CONFUSION).macroF1()).isEqualTo(m.macroF1());
    }

    @Test
    void perfectAndEmpty() {
        Metrics perfect = Metrics.of(new int[] {0, 1, 2, 2}, new int[] {0, 1, 2, 2}, 8);
        assertThat(perfect.accuracy()).isEqualTo(1.0);
        assertThat(perfect.uar()).isEqualTo(1.0);
        assertThat(perfect.macroF1()).isEqualTo(1.0);
        Metrics empty = Metrics.of(new int[0], new int[0], 8);
        assertThat(empty.accuracy()).isZero();
        assertThat(empty.uar()).isZero();
    }

    @Test
    void argmaxTakesTheLowestIndexOnATie() {
        assertThat(Metrics.argmax(new float[] {0.1f, 0.4f, 0.4f, 0.1f})).isEqualTo(1);
        assertThat(Metrics.argmax(new float[] {0.9f})).isZero();
    }

    @Test
    void rejectsMismatchedInput() {
        assertThatThrownBy(() -> Metrics.of(new int[] {0}, new int[] {0, 1}, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Metrics.of(new int[] {9}, new int[] {0}, 8)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void metricsJsonHasTheDocumentedKeys() {
        Metrics m = Metrics.of(new int[] {0, 0, 3, 5}, new int[] {0, 3, 3, 0}, 8);
        JsonNode json = Reports.metricsJson(m, "speaker", List.of("b/2", "a/1"), Map.of("backend", "x"));
        assertThat(json.fieldNames()).toIterable().contains("accuracy", "uar", "macro_f1", "per_class", "confusion", "split",
                "test_speakers", "labels", "macro_over", "backend");
        assertThat(json.get("accuracy").asDouble()).isEqualTo(0.5);
        assertThat(json.get("per_class").fieldNames()).toIterable()
                .containsExactly("fear", "happy", "sad", "anger", "disgust", "neutral", "surprise", "others");
        assertThat(json.at("/per_class/anger/precision").asDouble()).isEqualTo(0.5);
        assertThat(json.at("/per_class/anger/recall").asDouble()).isEqualTo(1.0);
        assertThat(json.at("/per_class/happy/support").asInt()).isZero();
        assertThat(json.at("/confusion/0/3").asInt()).isEqualTo(1);
        assertThat(json.at("/confusion/5/0").asInt()).isEqualTo(1);
        assertThat(json.get("test_speakers").toString()).isEqualTo("[\"a/1\",\"b/2\"]");
        assertThat(json.get("macro_over").toString()).isEqualTo("[\"fear\",\"anger\",\"neutral\"]");
    }
}
