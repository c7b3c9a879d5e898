package ser.pipeline.bench;

import ser.pipeline.extract.Fixtures;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import ser.api.AudioClip;

class ExtractBenchmarkTest {

    @Test
    void speechLikeSignalIsDeterministicAndLongEnough() {
        List<AudioClip> a = ExtractBenchmark.speechLike(3.3, 16000, 42);
        List<AudioClip> b = ExtractBenchmark.speechLike(3.3, 16000, 42);
        assertThat(a.stream().mapToDouble(AudioClip::durationSeconds).sum()).isCloseTo(3.3, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).samples()).containsExactly(b.get(i).samples());
        }
        float peak = 0;
        for (float v : a.get(0).samples()) {
            peak = Math.max(peak, Math.abs(v));
        }
        assertThat(peak).isCloseTo(0.8f, org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(ExtractBenchmark.speechLike(3.3, 16000, 43).get(0).samples()).isNotEqualTo(a.get(0).samples());
    }

    @Test
    void measuresEachExtractorAndAll() {
        List<AudioClip> clips = ExtractBenchmark.speechLike(2, 16000, 1);
        List<String> log = new ArrayList<>();
        List<ExtractBenchmark.Row> rows = ExtractBenchmark.run(Fixtures.config(), Fixtures.plugins(), clips, 2, 0.05, log::add);
        assertThat(rows).extracting(ExtractBenchmark.Row::name).containsExactly("test-level", "test-zcr", "all");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.audioSeconds()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-3));
            assertThat(r.oneThreadRtf()).isPositive();
            assertThat(r.multiRtf()).isPositive();
        });
        assertThat(log).hasSize(3);
        String table = ExtractBenchmark.table(rows);
        assertThat(table.split("\n")).hasSize(4);
        assertThat(table).contains("2 threads s").contains("speed-up").contains("all ");
    }
}
