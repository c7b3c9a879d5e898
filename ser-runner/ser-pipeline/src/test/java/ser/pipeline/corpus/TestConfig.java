package ser.pipeline.corpus;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import ser.pipeline.config.ConfigValidator;

/** Settings as the CLI builds them: user overrides checked against every reference.conf. */
public final class TestConfig {

    private TestConfig() {
    }

    public static Config defaults() {
        return with("");
    }

    public static Config with(String hocon) {
        return ConfigValidator.validate(ConfigFactory.parseString(hocon),
                ConfigValidator.reference(List.of(TestConfig.class.getClassLoader())));
    }
}
