package ser.pipeline.train;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import ser.pipeline.config.ConfigValidator;

/** Checked settings for the train tests: the test-centroid backend, few epochs, one thread. */
public final class TestSupport {

    public static final String BASE = """
            ser.train {
              backend = test-centroid
              epochs = 25
              patience = 4
              learning-rate = 0.5
              lr-decay-start-epoch = 10
              threads = 1
              max-duration-s = 0.32
            }
            """;

    private TestSupport() {
    }

    public static Config config(String overrides) {
        Config user = ConfigFactory.parseString(overrides).withFallback(ConfigFactory.parseString(BASE));
        return ConfigValidator.validate(user, ConfigValidator.reference(List.of(TestSupport.class.getClassLoader())));
    }

    public static Config config() {
        return config("");
    }

    public static Trainer trainer(Config config, PrintWriter out) {
        TrainSettings s = TrainSettings.from(config);
        CentroidModelProvider provider = s.backend().equals("test-other") ? new CentroidModelProvider.Other()
                : new CentroidModelProvider();
        return new Trainer(s, provider, TrainSettings.backendSettings(config, s.backend()), out).withBaseline(Baseline.from(config));
    }

    public static PrintWriter sink(StringWriter w) {
        return new PrintWriter(w, true);
    }
}
