package ser.pipeline.corpus;

import ser.pipeline.prepare.CorpusScanner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import ser.api.Emotion;
import ser.pipeline.UsageException;

class LabelMapTest {

    @Test
    void defaultMapAndUnmappedToOthers() {
        LabelMap map = LabelMap.fromConfig(TestConfig.defaults());
        assertThat(map.map("angry")).contains(Emotion.ANGER);
        assertThat(map.map("ps")).contains(Emotion.SURPRISE);
        assertThat(map.map("Pleasant Surprise")).contains(Emotion.SURPRISE);
        assertThat(map.map("calm")).contains(Emotion.OTHERS);
        assertThat(map.map("bored")).contains(Emotion.OTHERS);
        assertThat(map.names("bored")).isFalse();
    }

    @Test
    void customMapAndSkip() {
        LabelMap map = LabelMap.fromConfig(TestConfig.with("""
                ser.labels.map { calm = neutral, bored = sad, "very happy" = happy }
                ser.labels.unmapped = skip
                """));
        assertThat(map.map("calm")).contains(Emotion.NEUTRAL);
        assertThat(map.map("bored")).contains(Emotion.SAD);
        assertThat(map.map("very happy")).contains(Emotion.HAPPY);
        assertThat(map.map("angry")).contains(Emotion.ANGER);
        assertThat(map.map("contempt")).isEmpty();
    }

    @Test
    void badEmotionIdIsAUsageErrorNamingTheKey() {
        assertThatThrownBy(() -> LabelMap.fromConfig(TestConfig.with("ser.labels.map.calm = relaxed")))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("ser.labels.map.\"calm\": unknown emotion 'relaxed'");
        assertThatThrownBy(() -> LabelMap.fromConfig(TestConfig.with("ser.labels.unmapped = nothing")))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("ser.labels.unmapped: unknown emotion 'nothing'").hasMessageEndingWith("or skip");
    }

    @Test
    void prepareSettingsAreDeclared() {
        assertThat(TestConfig.defaults().getBoolean(CorpusScanner.FOLLOW_SYMLINKS)).isTrue();
        assertThatThrownBy(() -> TestConfig.with("ser.prepare.follow-symlink = false"))
                .isInstanceOf(UsageException.class).hasMessageContaining("did you mean ser.prepare.follow-symlinks");
    }
}
