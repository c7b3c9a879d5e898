package ser.pipeline.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import ser.pipeline.UsageException;
import ser.pipeline.audio.AudioLoader;
import ser.pipeline.extract.ExtractJob;
import ser.pipeline.extract.FeaturePipeline;
import ser.pipeline.plugins.PluginRegistry;
import ser.pipeline.train.TrainSettings;

/**
 * Arbitrary bytes as a {@code --config} file, bound the way every command binds its settings:
 * layered and checked ({@link ConfigLoader}, {@link ConfigValidator} over the reference.conf of
 * every jar on the test class path), then read into typed settings (train, audio, frame grid,
 * extract, extractor blocks). The answer is settings or a {@link UsageException} /
 * {@link IllegalArgumentException} (an extractor's own check, exit 2 like a UsageException)
 * with a message; anything else (a raw library exception, a StackOverflowError, an
 * OutOfMemoryError, a NullPointerException) is a finding. Seeds in
 * {@code SettingsBindingFuzzTestInputs/bind/}; see FUZZING.md to fuzz.
 */
class SettingsBindingFuzzTest {

    private static Path dir;
    private static Config reference;
    private static PluginRegistry plugins;

    @BeforeAll
    static void setUp() throws IOException {
        ser.pipeline.fuzz.JazzerModes.configure();
        dir = Files.createTempDirectory("settings-fuzz");
        ClassLoader app = SettingsBindingFuzzTest.class.getClassLoader();
        plugins = PluginRegistry.discover(app, dir.resolve("no-plugins"));
        reference = ConfigValidator.reference(plugins.loaders());
    }

    @AfterAll
    static void cleanUp() throws IOException {
        Files.deleteIfExists(dir.resolve("fuzz.conf"));
        Files.deleteIfExists(dir);
    }

    @FuzzTest(maxDuration = "10m")
    void bind(byte[] data) throws IOException {
        Path file = Files.write(dir.resolve("fuzz.conf"), data);
        try {
            Config config = ConfigValidator.validate(ConfigLoader.userSettings(null, List.of(file), List.of()), reference);
            TrainSettings.from(config);
            new AudioLoader(config);
            FeaturePipeline.fromConfig(config, plugins);
            new ExtractJob(ser.pipeline.extract.ExtractSettings.from(config), config, plugins, new AudioLoader(config));
        } catch (UsageException | IllegalArgumentException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new IllegalStateException("refusal without a message", e);
            }
        }
    }
}
