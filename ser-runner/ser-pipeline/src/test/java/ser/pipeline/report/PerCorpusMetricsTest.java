package ser.pipeline.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import ser.api.Emotion;

class PerCorpusMetricsTest {

    private static Predictions.Row row(String speaker, Emotion truth, Emotion predicted) {
        float[] p = new float[Emotion.COUNT];
        p[predicted.index()] = 1;
        return Predictions.Row.of(speaker + "/x", speaker, truth, p);
    }

    @Test
    void eachCorpusIsScoredOnItsOwnRows() {
        Predictions p = new Predictions(List.of(
                row("savee/DC", Emotion.ANGER, Emotion.ANGER), row("savee/JE", Emotion.SAD, Emotion.ANGER),
                row("ravdess/01", Emotion.ANGER, Emotion.ANGER), row("ravdess/02", Emotion.SAD, Emotion.SAD),
                row("ravdess/02", Emotion.FEAR, Emotion.SAD)));
        Map<String, Metrics> byCorpus = p.byCorpus();
        assertThat(byCorpus.keySet()).containsExactly("ravdess", "savee");
        assertThat(byCorpus.get("savee").accuracy()).isCloseTo(0.5, within(1e-12));
        assertThat(byCorpus.get("savee").uar()).isCloseTo(0.5, within(1e-12)); // anger 1/1, sad 0/1
        assertThat(byCorpus.get("ravdess").count()).isEqualTo(3);
        assertThat(byCorpus.get("ravdess").uar()).isCloseTo(2 / 3.0, within(1e-12)); // anger 1, sad 1, fear 0
        ObjectNode json = Reports.perCorpusJson(byCorpus);
        assertThat(json.at("/savee/uar").asDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(json.at("/ravdess/count").asInt()).isEqualTo(3);
        assertThat(Predictions.corpusOf("tess/OAF")).isEqualTo("tess");
    }
}
