package ser.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ser.pipeline.config.ConfigLoader;
import ser.pipeline.config.ConfigValidator;
import ser.pipeline.extract.ExtractSettings;
import ser.pipeline.train.TrainSettings;

/**
 * Every settings file shipped in {@code config/} is valid for this build, as a user would layer it
 * over {@code application.conf}: a renamed or unknown key in a recipe or an experiment variant
 * fails here instead of in a researcher's hour-long run.
 */
class ShippedConfigsTest {

    private static final Path CONFIG = Path.of("../../config");

    static List<Path> shipped() throws IOException {
        try (Stream<Path> files = Files.walk(CONFIG)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".conf")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("shipped")
    void bindsToEveryStageSettings(Path file) {
        Config user = ConfigLoader.userSettings(CONFIG.resolve("application.conf"), List.of(file), List.of());
        Config config = ConfigValidator.validate(user, ConfigValidator.reference(List.of(getClass().getClassLoader())));
        assertThat(TrainSettings.from(config).architecture()).isNotNull();
        assertThat(ExtractSettings.from(config).extractors()).isNotEmpty();
    }

    @org.junit.jupiter.api.Test
    void theRecipesAndVariantsAreAllFound() throws IOException {
        assertThat(shipped()).extracting(p -> p.getFileName().toString())
                .contains("application.conf", "demo.conf", "real-corpora.conf", "linear.conf", "bigru-sequence.conf");
    }
}
