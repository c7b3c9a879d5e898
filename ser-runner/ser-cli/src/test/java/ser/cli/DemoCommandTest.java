package ser.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's whole chain on the bundled corpus. The fast test backend stands in for the BiGRU
 * (the backends have their own tests); everything else is the real pipeline.
 */
class DemoCommandTest {

    @Test
    void runsPrepareExtractTrainEvaluatePredictOnTheBundledCorpus(@TempDir Path dir) {
        Path out = dir.resolve("demo");
        CliRun run = CliRun.of("demo", "--out", out.toString(), "--corpus", "../demo/corpus", "--backend", "test-centroid");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("== 1/5 prepare", "== 2/5 extract", "== 3/5 train", "== 4/5 evaluate", "== 5/5 predict")
                .contains("192 of 192 utterances")
                .containsPattern("test accuracy \\d\\.\\d{3}\\s+UAR \\d\\.\\d{3}")
                .contains("true\\pred");
        // Three held-out files predicted, each on its own row of the table.
        assertThat(run.out().lines().filter(l -> l.contains("demo/corpus/Actor_"))).hasSize(3);
        assertThat(out.resolve("model/reports/confusion.png")).isRegularFile();
        assertThat(out.resolve("model/reports/metrics.json")).isRegularFile();
        assertThat(out.resolve("features/nppdp.csv")).isRegularFile();
    }
}
