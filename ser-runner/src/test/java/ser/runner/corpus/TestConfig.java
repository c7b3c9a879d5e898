package ser.runner.corpus;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import ser.runner.config.ConfigValidator;

/** Settings as the CLI builds them: user overrides checked against every reference.conf. */
final class TestConfig {

    private TestConfig() {
    }

    static Config defaults() {
        return with("");
    }

    static Config with(String hocon) {
        return ConfigValidator.validate(ConfigFactory.parseString(hocon),
                ConfigValidator.reference(List.of(TestConfig.class.getClassLoader())));
    }
}
