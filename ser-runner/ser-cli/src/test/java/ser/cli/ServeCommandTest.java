package ser.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ser serve} and {@code ser bench serve} on the command line (the server itself is tested in ser-server). */
class ServeCommandTest {

    @Test
    void aMissingModelIsOneLineAndExitOne(@TempDir Path dir) {
        CliRun run = CliRun.of("serve", "--model", dir.resolve("nope").toString(), "--port", "0");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.RUN_FAILURE);
        assertThat(run.err().strip()).contains(dir.resolve("nope").toString()).contains("no such model folder").doesNotContain("\n");
    }

    @Test
    void badServeSettingsAreAUsageError(@TempDir Path dir) {
        CliRun run = CliRun.of("serve", "--model", dir.toString(), "--set", "ser.serve.pool-size=-1");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("ser.serve.pool-size");
        CliRun bench = CliRun.of("bench", "serve", "--model", dir.toString(), "--clients", "0");
        assertThat(bench.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void helpNamesTheEndpoints() {
        CliRun run = CliRun.of("serve", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("/v1/predict", "/v1/stream", "--host");
        assertThat(CliRun.of("bench", "--help").out()).contains("serve");
    }
}
