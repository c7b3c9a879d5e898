package ser.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The README's exit-code table, one class of error at a time, the same code whatever the
 * command: a missing input is 1 (run failure: an input could not be used), a bad setting or
 * config file is 2 (usage or configuration error). Each failure is one line naming its cause.
 */
class ExitCodeTableTest {

    @TempDir
    static Path dir;

    static Stream<Arguments> missingInputs() {
        String none = dir.resolve("does-not-exist").toString();
        String out = dir.resolve("out").toString();
        return Stream.of(
                Arguments.of("prepare", new String[] {"prepare", "--corpus", none, "--out", dir.resolve("m.csv").toString()}),
                Arguments.of("prepare (labelled list)", new String[] {"prepare", "--corpus", none + ".csv", "--out",
                    dir.resolve("m.csv").toString()}),
                Arguments.of("extract", new String[] {"extract", "--manifest", none, "--out", out}),
                Arguments.of("train", new String[] {"train", "--features", none, "--out", out}),
                Arguments.of("evaluate", new String[] {"evaluate", "--model", none, "--features", none, "--out", out}),
                Arguments.of("predict", new String[] {"predict", "--model", none, none}),
                Arguments.of("bench extract", new String[] {"bench", "extract", "--manifest", none}),
                Arguments.of("bench backends", new String[] {"bench", "backends", "--features", none, "--csv",
                    dir.resolve("b.csv").toString()}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("missingInputs")
    void aMissingInputIsExitOneOnOneLineNamingIt(String what, String[] args) {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as(what + ": " + run.err()).isEqualTo(ExitCodes.RUN_FAILURE);
        assertThat(run.err().strip()).as(what).doesNotContain("\n").contains("does-not-exist");
    }

    @Test
    void aMissingConfigFileIsAConfigurationError() {
        CliRun run = CliRun.of("plugins", "--config", dir.resolve("nope.conf").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().strip()).doesNotContain("\n").contains("nope.conf: config file not found");
    }

    @Test
    void configSubstitutionsWorkAndUnresolvableOnesNameFileAndKey() throws IOException {
        Path good = Files.writeString(dir.resolve("good.conf"), "ser.plugins.dir = ${?HOME}\"/no-plugins-here\"\n");
        CliRun ok = CliRun.of("plugins", "--config", good.toString());
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        Path bad = Files.writeString(dir.resolve("bad.conf"), "ser.train.seed = ${nothing.here}\n");
        CliRun run = CliRun.of("plugins", "--config", bad.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().strip()).doesNotContain("\n").contains("ser.train.seed").contains("bad.conf: 1");
    }

    @Test
    void aSetSubstitutionThatFindsNothingIsRefused() {
        CliRun run = CliRun.of("plugins", "--set", "ser.train.backend=${?SER_SURELY_UNSET_VARIABLE}");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--set ser.train.backend: the substitution resolved to nothing");
    }

    @Test
    void aConfigNestedThousandsOfLevelsDeepIsOneLineExitTwo() throws IOException {
        Path deep = Files.writeString(dir.resolve("deep.conf"), "a{".repeat(20_000) + "}".repeat(20_000));
        CliRun run = CliRun.of("plugins", "--config", deep.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().strip()).doesNotContain("\n").contains("deep.conf: nested");
    }

    @Test
    void aFractionalValueForAnIntegerSettingIsRefusedNamingTheKey() {
        CliRun run = CliRun.of("bench", "backends", "--features", dir.toString(), "--set", "ser.train.batch-size=2.5");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().strip()).doesNotContain("\n").contains("ser.train.batch-size").contains("2.5");
    }
}
