package ser.pipeline.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private final AtomicLong now = new AtomicLong();
    private final StringWriter text = new StringWriter();

    private Progress progress(boolean terminal) {
        return new Progress("extract", "files", 100, new PrintWriter(text, true), terminal, now::get).withAmount("audio-s");
    }

    @Test
    void plainOutputPrintsEveryTenPercentOrFiveSeconds() {
        Progress p = progress(false);
        for (int i = 0; i < 25; i++) {
            now.addAndGet(100_000_000L); // 0.1 s per file
            p.advance(1, 3.0);
        }
        String[] lines = text.toString().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).isEqualTo("extract: 10/100 (10%) 10.0 files/s 30.0 audio-s/s ETA 9s");
        assertThat(lines[1]).startsWith("extract: 20/100 (20%)");
        now.addAndGet(6_000_000_000L);
        p.advance(1, 3.0);
        assertThat(text.toString().split("\n")).hasSize(3);
        p.message("a.wav: too short");
        assertThat(text.toString()).endsWith("a.wav: too short\n");
        assertThat(text.toString()).doesNotContain("\r");
    }

    @Test
    void terminalOutputRedrawsOneLine() {
        Progress p = progress(true);
        now.addAndGet(1_000_000_000L);
        p.advance(50, 150);
        assertThat(text.toString()).startsWith("\rextract [############------------] 50/100 (50%) 50.0 files/s 150.0 audio-s/s ETA 1s");
        p.message("b.wav: empty");
        assertThat(text.toString()).contains("\r" + " ".repeat(20)).contains("b.wav: empty\n\rextract [");
        now.addAndGet(1_000_000_000L);
        p.advance(50, 150);
        p.finish();
        assertThat(text.toString()).contains("100/100 (100%) 50.0 files/s 150.0 audio-s/s in 2s").endsWith("\n");
    }

    @Test
    void resumedWorkDoesNotInflateTheRate() {
        Progress p = progress(false);
        p.skipAhead(60);
        now.addAndGet(2_000_000_000L);
        p.advance(10, 30);
        assertThat(text.toString()).isEqualTo("extract: 70/100 (70%) 5.0 files/s 15.0 audio-s/s ETA 6s\n");
    }

    @Test
    void durations() {
        assertThat(Progress.duration(42)).isEqualTo("42s");
        assertThat(Progress.duration(187)).isEqualTo("3m07s");
        assertThat(Progress.duration(3720)).isEqualTo("1h02m");
    }
}
