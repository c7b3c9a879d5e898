package ser.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.pipeline.audio.TestWav;
import ser.spark.SparkJvm;

/** {@code ser spark} starts a Spark JVM from the ser-spark build and relays its output and exit code. */
class SparkCommandTest {

    @TempDir
    Path tmp;

    @Test
    void extractsFilesInLocalModeAndReportsErrorRows() throws Exception {
        // The reactor packages ser-spark (target/lib holds Spark) before these tests run.
        String classPath = SparkJvm.classPath(Path.of("").toAbsolutePath().getParent().getParent());
        assumeTrue(classPath != null, "ser-spark is not packaged");
        Path audio = Files.createDirectories(tmp.resolve("audio"));
        TestWav.pcm(16, 16_000, TestWav.sine(220, 16_000, 0.4, 0.5)).write(audio.resolve("a.wav"));
        TestWav.pcm(16, 22_050, TestWav.sine(330, 22_050, 0.5, 0.5)).write(audio.resolve("b.wav"));
        Files.writeString(audio.resolve("broken.wav"), "not audio");
        Path out = tmp.resolve("features.parquet");
        System.setProperty(SparkCommand.CLASSPATH_PROPERTY, classPath);
        try {
            CliRun run = CliRun.of("--set", "ser.extract.extractors=[energy]", "spark", "extract", "--files", audio.toString(),
                    "--out", out.toString(), "--master", "local[2]");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("extracted 2 of 3 utterances");
            assertThat(run.err()).contains("broken.wav: ");
            assertThat(out.resolve("_SUCCESS")).exists();
            assertThat(out.resolve("_ser_schema.json")).exists();

            CliRun again = CliRun.of("spark", "extract", "--files", audio.toString(), "--out", out.toString());
            assertThat(again.exitCode()).as(again.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(again.err()).contains("exists");
        } finally {
            System.clearProperty(SparkCommand.CLASSPATH_PROPERTY);
        }
    }

    @Test
    void withoutTheSparkBuildItSaysHowToBuildIt() {
        CliRun run = CliRun.of("spark", "extract", "--files", tmp.toString(), "--out", tmp.resolve("o").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.RUN_FAILURE);
        assertThat(run.err()).contains("not built");
    }
}
