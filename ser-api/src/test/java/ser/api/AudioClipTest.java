package ser.api;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AudioClipTest {

    record Key(String name, int size) {
    }

    @Test
    void analysisIsComputedOncePerEqualKey() {
        AudioClip clip = new AudioClip(new float[] {1, 2, 3}, 8000);
        AtomicInteger calls = new AtomicInteger();
        double[] first = clip.analysis(new Key("sum", 3), c -> {
            calls.incrementAndGet();
            return new double[] {c.samples()[0] + c.samples()[1] + c.samples()[2]};
        });
        double[] again = clip.analysis(new Key("sum", 3), c -> {
            calls.incrementAndGet();
            return new double[] {-1};
        });
        assertThat(again).isSameAs(first).containsExactly(6.0);
        assertThat(calls).hasValue(1);
        Integer other = clip.analysis(new Key("sum", 4), c -> 7);
        assertThat(other).isEqualTo(7);
        assertThat(calls).hasValue(1);
    }

    @Test
    void analysesAreNotSharedBetweenClipsAndMayNest() {
        AudioClip a = new AudioClip(new float[] {1, 2}, 8000);
        AudioClip b = new AudioClip(new float[] {5, 6}, 8000);
        Key len = new Key("len", 0);
        Key twice = new Key("twice", 0);
        assertThat((Integer) a.analysis(twice, c -> 2 * c.<Integer>analysis(len, d -> d.length() + 1))).isEqualTo(6);
        assertThat((Integer) b.analysis(len, c -> (int) c.samples()[0])).isEqualTo(5);
        assertThat((Integer) a.analysis(len, c -> -1)).isEqualTo(3);
    }

    @Test
    void valueSemanticsAndChecks() {
        float[] x = {0.5f};
        assertThat(new AudioClip(x, 16000)).isEqualTo(new AudioClip(x, 16000))
                .hasSameHashCodeAs(new AudioClip(x, 16000))
                .isNotEqualTo(new AudioClip(x, 8000))
                .isNotEqualTo(new AudioClip(new float[] {0.5f}, 16000));
        assertThat(new AudioClip(new float[16000], 16000).durationSeconds()).isEqualTo(1.0);
        assertThatThrownBy(() -> new AudioClip(null, 16000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AudioClip(x, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
