package ser.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.pipeline.UsageException;

class ConfigValidatorTest {

    private static final Config REFERENCE = ConfigFactory.parseString("""
            ser {
              train { backend = djl, batch-size = 32, seed = 42 }
              labels.map { calm = others }
              extractors.mfcc { n-mfcc = 20, htk = false }
            }
            """);

    @Test
    void userValuesWinOverDefaults() {
        Config user = ConfigFactory.parseString("ser.train.batch-size = 8");
        Config merged = ConfigValidator.validate(user, REFERENCE);
        assertThat(merged.getInt("ser.train.batch-size")).isEqualTo(8);
        assertThat(merged.getString("ser.train.backend")).isEqualTo("djl");
    }

    @Test
    void unknownKeyIsNamedWithSuggestion() {
        Config user = ConfigFactory.parseString("ser.train.batch-sise = 8");
        assertThatThrownBy(() -> ConfigValidator.validate(user, REFERENCE))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("ser.train.batch-sise: unknown setting")
                .hasMessageContaining("did you mean ser.train.batch-size?");
    }

    @Test
    void renamedKeyNamesItsReplacement() {
        Config user = ConfigFactory.parseString("ser.train.max-frames = 300");
        assertThatThrownBy(() -> ConfigValidator.validate(user, REFERENCE))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("ser.train.max-frames: renamed to ser.train.max-duration-s");
    }

    @Test
    void unknownBlockIsNamed() {
        Config user = ConfigFactory.parseString("ser.trian { seed = 1 }");
        assertThatThrownBy(() -> ConfigValidator.validate(user, REFERENCE))
                .hasMessageContaining("ser.trian: unknown setting");
    }

    @Test
    void wrongTypeIsNamed() {
        Config user = ConfigFactory.parseString("ser.train.batch-size = lots");
        assertThatThrownBy(() -> ConfigValidator.validate(user, REFERENCE))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("ser.train.batch-size");
    }

    @Test
    void objectWhereValueExpectedIsRejected() {
        Config user = ConfigFactory.parseString("ser.train.seed { a = 1 }");
        assertThatThrownBy(() -> ConfigValidator.validate(user, REFERENCE))
                .hasMessageContaining("ser.train.seed");
    }

    @Test
    void labelMapTakesNewKeys() {
        Config user = ConfigFactory.parseString("ser.labels.map { bored = others, \"very angry\" = anger }");
        Config merged = ConfigValidator.validate(user, REFERENCE);
        assertThat(merged.getConfig("ser.labels.map").root().keySet()).contains("bored", "very angry", "calm");
    }

    @Test
    void keysOutsideSerAreIgnored() {
        Config user = ConfigFactory.parseString("akka.loglevel = DEBUG");
        assertThat(ConfigValidator.validate(user, REFERENCE).getString("akka.loglevel")).isEqualTo("DEBUG");
    }

    @Test
    void layeringOrderIsDefaultFileThenConfigFilesThenSet(@TempDir Path dir) throws Exception {
        Path app = Files.writeString(dir.resolve("application.conf"), "ser.train { batch-size = 1, seed = 1, backend = a }");
        Path mine = Files.writeString(dir.resolve("mine.conf"), "ser.train { batch-size = 2, seed = 2 }");
        Config user = ConfigLoader.userSettings(app, List.of(mine), List.of("ser.train.seed=3"));
        assertThat(user.getInt("ser.train.batch-size")).isEqualTo(2);
        assertThat(user.getInt("ser.train.seed")).isEqualTo(3);
        assertThat(user.getString("ser.train.backend")).isEqualTo("a");
    }

    @Test
    void setAcceptsListsAndPlainStrings() {
        assertThat(ConfigLoader.parseOverride("ser.extract.extractors=[mfcc, pitch]").getStringList("ser.extract.extractors"))
                .containsExactly("mfcc", "pitch");
        assertThat(ConfigLoader.parseOverride("ser.plugins.dir=/tmp/a:b").getString("ser.plugins.dir")).isEqualTo("/tmp/a:b");
        assertThatThrownBy(() -> ConfigLoader.parseOverride("novalue")).hasMessageContaining("expected key=value");
    }

    @Test
    void missingConfigFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.conf");
        assertThatThrownBy(() -> ConfigLoader.userSettings(null, List.of(missing), List.of()))
                .hasMessageContaining("nope.conf: config file not found");
    }

    @Test
    void editDistance() {
        assertThat(ConfigValidator.editDistance("batch-sise", "batch-size")).isEqualTo(1);
        assertThat(ConfigValidator.editDistance("", "abc")).isEqualTo(3);
    }

    @Test
    void numericStringsAndListElementTypes() {
        Config ref = ConfigFactory.parseString("ser.a { n = 1, names = [x], flag = true, s = text }");
        assertThat(ConfigValidator.validate(ConfigFactory.parseString("ser.a { n = \"5\", flag = yes, s = 3 }"), ref)
                .getInt("ser.a.n")).isEqualTo(5);
        assertThatThrownBy(() -> ConfigValidator.validate(ConfigFactory.parseString("ser.a.names = [x, [y]]"), ref))
                .hasMessageContaining("ser.a.names: list element 1: expected a string, got a list");
        assertThatThrownBy(() -> ConfigValidator.validate(ConfigFactory.parseString("ser.a.flag = maybe"), ref))
                .hasMessageContaining("ser.a.flag: expected a boolean");
    }
}
