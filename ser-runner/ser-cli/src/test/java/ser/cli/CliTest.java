package ser.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ser.pipeline.plugins.TestPluginJars;

class CliTest {

    @Test
    void pluginsListsBuiltInAndDroppedInProviders(@TempDir Path dir) throws Exception {
        Path plugins = dir.resolve("plugins");
        TestPluginJars.zeroCrossingExtractorJar(dir, plugins);

        CliRun run = CliRun.of("plugins", "--set", "ser.plugins.dir=" + plugins);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("extractors:", "backends:", "corpora:")
                .containsPattern("zcr-count\\s+\\[zcr-count-plugin.jar\\]\\s+sign changes per frame");
    }

    @Test
    void unknownSettingFailsWithExitTwoAndOneLineNamingTheKey() {
        CliRun run = CliRun.of("plugins", "--set", "ser.train.batchsize=3");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().strip()).doesNotContain("\n")
                .contains("ser.train.batchsize: unknown setting")
                .contains("did you mean ser.train.batch-size?");
    }

    @Test
    void wrongTypeFailsWithExitTwo() {
        CliRun run = CliRun.of("plugins", "--set", "ser.audio.sample-rate=fast");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("ser.audio.sample-rate: expected a number");
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun run = CliRun.of("plugins", "--frobnicate");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Unknown option: '--frobnicate'");
    }

    @Test
    void anOptionIsTheSameAsItsSetting(@TempDir Path dir) {
        String features = dir.resolve("features").toString();
        String out = dir.resolve("model").toString();
        CliRun option = CliRun.of("train", "--features", features, "--out", out, "--backend", "no-such-backend");
        CliRun set = CliRun.of("train", "--features", features, "--out", out, "--set", "ser.train.backend=no-such-backend");
        assertThat(option.exitCode()).isEqualTo(set.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(option.err()).isEqualTo(set.err()).contains("no-such-backend");
        CliRun threads = CliRun.of("extract", "--manifest", features, "--out", out, "--threads", "-1");
        assertThat(threads.err()).contains("ser.extract.threads");
    }

    @ParameterizedTest
    @ValueSource(strings = {"prepare", "extract", "train", "evaluate", "predict", "demo", "plugins", "bench", "experiment"})
    void everyCommandHasHelp(String command) {
        CliRun run = CliRun.of(command, "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: ser " + command);
    }
}
