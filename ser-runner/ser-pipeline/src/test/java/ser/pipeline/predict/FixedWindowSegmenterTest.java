package ser.pipeline.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import ser.api.AudioClip;

class FixedWindowSegmenterTest {

    static AudioClip seconds(double s) {
        return new AudioClip(new float[(int) Math.round(s * 100)], 100);
    }

    @Test
    void windowsEveryHopAndAFullLengthTailWindow() {
        FixedWindowSegmenter s = new FixedWindowSegmenter(2, 1);
        assertThat(s.segments(seconds(4))).containsExactly(new Segment(0, 200), new Segment(100, 300), new Segment(200, 400));
        // 4.6 s: the last 0.6 s (>= half a hop) get a window ending at the clip's end
        assertThat(s.segments(seconds(4.6))).endsWith(new Segment(260, 460)).hasSize(4);
        // 4.3 s: 0.3 s of tail is not worth a segment
        assertThat(s.segments(seconds(4.3))).hasSize(3);
        assertThat(s.segments(seconds(1.5))).containsExactly(new Segment(0, 150));
        assertThat(s.segments(seconds(0))).isEmpty();
    }

    @Test
    void badSettings() {
        assertThatThrownBy(() -> new FixedWindowSegmenter(1, 2)).hasMessageContaining("hop <= window");
        assertThatThrownBy(() -> new FixedWindowSegmenter(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
