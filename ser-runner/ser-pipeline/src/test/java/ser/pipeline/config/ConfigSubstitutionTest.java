package ser.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.pipeline.UsageException;
import ser.pipeline.train.TrainSettings;

/** Issue 15 item 6: substitutions, --set substitutions, deep nesting; item 7: fractional integers. */
class ConfigSubstitutionTest {

    private static final Config REFERENCE = ConfigFactory.parseString("""
            ser {
              plugins.dir = plugins
              train { backend = djl, batch-size = 32, seed = 42, epochs = 100 }
            }
            """);

    private static Config load(List<Path> files, List<String> overrides) {
        return ConfigValidator.validate(ConfigLoader.userSettings(null, files, overrides), REFERENCE);
    }

    @Test
    void fileSubstitutionsResolveAgainstTheMergedSettingsAndTheEnvironment(@TempDir Path dir) throws IOException {
        Path conf = Files.writeString(dir.resolve("my.conf"), """
                base-seed = 7
                ser.train.seed = ${base-seed}
                ser.train.epochs = ${ser.train.batch-size}
                ser.plugins.dir = ${?HOME}"/ser-plugins"
                ser.train.backend = ${?SER_SURELY_UNSET_VARIABLE}
                """);
        Config c = load(List.of(conf), List.of());
        assertThat(c.getInt("ser.train.seed")).isEqualTo(7);
        assertThat(c.getInt("ser.train.epochs")).isEqualTo(32);
        assertThat(c.getString("ser.plugins.dir")).isEqualTo(System.getenv("HOME") + "/ser-plugins");
        assertThat(c.getString("ser.train.backend")).as("an optional substitution that finds nothing keeps the default")
                .isEqualTo("djl");
    }

    @Test
    void anUnresolvableSubstitutionNamesTheKeyAndTheFile(@TempDir Path dir) throws IOException {
        Path conf = Files.writeString(dir.resolve("bad.conf"), "ser.train.batch-size = 8\nser.train.seed = ${no-such-key}\n");
        assertThatThrownBy(() -> load(List.of(conf), List.of()))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("ser.train.seed: ")
                .hasMessageContaining("bad.conf: 2")
                .hasMessageContaining("${no-such-key}");
    }

    @Test
    void setSubstitutionsResolveOrAreRefused() {
        Config c = load(List.of(), List.of("ser.plugins.dir=${?HOME}", "ser.train.epochs=${ser.train.batch-size}"));
        assertThat(c.getString("ser.plugins.dir")).isEqualTo(System.getenv("HOME"));
        assertThat(c.getInt("ser.train.epochs")).isEqualTo(32);
        assertThatThrownBy(() -> load(List.of(), List.of("ser.train.backend=${?SER_SURELY_UNSET_VARIABLE}")))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("--set ser.train.backend: the substitution resolved to nothing");
        assertThatThrownBy(() -> load(List.of(), List.of("ser.train.backend=${SER_SURELY_UNSET_VARIABLE}")))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("ser.train.backend: ")
                .hasMessageContaining("--set ser.train.backend");
    }

    @Test
    void aConfigNestedThousandsOfLevelsDeepIsOneLine(@TempDir Path dir) throws IOException {
        Path deep = Files.writeString(dir.resolve("deep.conf"), "a{".repeat(20_000) + "}".repeat(20_000));
        assertThatThrownBy(() -> load(List.of(deep), List.of()))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith(deep + ": nested ")
                .message().doesNotContain("\n");
        Path fortyDeep = Files.writeString(dir.resolve("forty.conf"), "a{".repeat(40) + "}".repeat(40));
        assertThatThrownBy(() -> load(List.of(fortyDeep), List.of()))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith(fortyDeep + ": nested more than " + ConfigLoader.MAX_DEPTH + " levels deep (at a.a.a");
        assertThatThrownBy(() -> load(List.of(), List.of("x=" + "{a:".repeat(20_000) + "1" + "}".repeat(20_000))))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("--set x: nested");
    }

    @Test
    void aLongSubstitutionChainIsOneLine(@TempDir Path dir) throws IOException {
        StringBuilder b = new StringBuilder("k0 = 1\n");
        for (int i = 1; i < 20_000; i++) {
            b.append('k').append(i).append(" = ${k").append(i - 1).append("}\n");
        }
        b.append("ser.train.seed = ${k19999}\n");
        Path chain = Files.writeString(dir.resolve("chain.conf"), b);
        try {
            assertThat(load(List.of(chain), List.of()).getInt("ser.train.seed")).isEqualTo(1);
        } catch (UsageException e) {
            assertThat(e.getMessage()).contains("nested too deeply").doesNotContain("\n");
        }
    }

    @Test
    void fractionalValuesForIntegerSettingsAreRefusedNamingTheKey() {
        Config config = ConfigFactory.parseString("ser.train.batch-size = 2.5", ConfigParseOptionsHolder.SET)
                .withFallback(ConfigFactory.defaultReference());
        assertThatThrownBy(() -> TrainSettings.from(config))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("ser.train.batch-size: ")
                .hasMessageContaining("whole number, got 2.5");
        Config quoted = ConfigFactory.parseString("ser.train.epochs = \"3.5\"").withFallback(ConfigFactory.defaultReference());
        assertThatThrownBy(() -> TrainSettings.from(quoted)).hasMessageContaining("ser.train.epochs").hasMessageContaining("3.5");
        Config whole = ConfigFactory.parseString("ser.train.batch-size = 16.0").withFallback(ConfigFactory.defaultReference());
        assertThat(TrainSettings.from(whole).training().batchSize()).isEqualTo(16);
    }

    @Test
    void aBlockReplacedByAPlainValueThenAnObjectIsRefusedNamingAMissingKey(@TempDir Path dir) throws IOException {
        Path conf = Files.writeString(dir.resolve("replaced.conf"), "ser = 8\nser { train { seed = 1 } }\n");
        assertThatThrownBy(() -> load(List.of(conf), List.of()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("ser.")
                .hasMessageContaining("missing: a block above it was set to a plain value");
    }

    private static final class ConfigParseOptionsHolder {
        static final com.typesafe.config.ConfigParseOptions SET =
                com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription("--set ser.train.batch-size");
    }
}
