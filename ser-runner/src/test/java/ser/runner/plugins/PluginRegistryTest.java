package ser.runner.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.api.AudioClip;
import ser.api.ExtractorContext;
import ser.api.FeatureExtractor;
import ser.api.FeatureTrack;
import ser.api.FrameGrid;
import ser.runner.UsageException;
import ser.runner.config.ConfigValidator;

class PluginRegistryTest {

    @Test
    void findsAJarDroppedInThePluginsFolderInItsOwnClassLoader(@TempDir Path dir) throws Exception {
        Path plugins = dir.resolve("plugins");
        TestPluginJars.zeroCrossingExtractorJar(dir, plugins);

        PluginRegistry registry = PluginRegistry.discover(getClass().getClassLoader(), plugins);

        Plugin<ser.api.FeatureExtractorProvider> plugin = registry.extractors().get("zcr-count");
        assertThat(plugin).isNotNull();
        assertThat(plugin.origin()).isEqualTo("zcr-count-plugin.jar");
        assertThat(plugin.provider().getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);
        assertThat(registry.problems()).isEmpty();

        // Its reference.conf joins the defaults, so its settings validate and configure it.
        var reference = ConfigValidator.reference(registry.loaders());
        var config = ConfigValidator.validate(ConfigFactory.parseString("ser.extractors.zcr-count.scale = 2"), reference);
        FrameGrid grid = new FrameGrid(16000, 4, 4, false);
        FeatureExtractor extractor = plugin.provider().create(new ExtractorContext(grid, config.getConfig("ser.extractors.zcr-count")));
        FeatureTrack track = extractor.extract(new AudioClip(new float[] {1, -1, 1, -1, 1, 1, 1, 1}, 16000));
        assertThat(track.frames()).hasDimensions(2, 1);
        assertThat(track.frames()[0][0]).isEqualTo(6f);
        assertThat(track.frames()[1][0]).isEqualTo(0f);
        assertThat(track.utterance()).containsEntry("total", 6.0);
    }

    @Test
    void aProviderThatThrowsIsReportedWithItsJarAndTheRestKeepWorking(@TempDir Path dir) throws Exception {
        Path plugins = dir.resolve("plugins");
        TestPluginJars.zeroCrossingExtractorJar(dir, plugins);
        String broken = """
                package com.example.bad;
                public final class BrokenProvider implements ser.api.FeatureExtractorProvider {
                    public BrokenProvider() { throw new IllegalStateException("licence key missing"); }
                    public String name() { return "broken"; }
                    public String description() { return ""; }
                    public ser.api.FeatureExtractor create(ser.api.ExtractorContext c) { return null; }
                }
                """;
        Path jar = TestPluginJars.build(dir, "broken-plugin.jar", Map.of("com.example.bad.BrokenProvider", broken),
                Map.of("ser.api.FeatureExtractorProvider", "com.example.bad.BrokenProvider"), Map.of());
        Files.move(jar, plugins.resolve("broken-plugin.jar"));

        PluginRegistry registry = PluginRegistry.discover(getClass().getClassLoader(), plugins);

        assertThat(registry.extractors()).containsKey("zcr-count").doesNotContainKey("broken");
        assertThat(registry.problems()).singleElement().asString()
                .startsWith("broken-plugin.jar: com.example.bad.BrokenProvider failed to load")
                .contains("licence key missing");
    }

    @Test
    void aCorruptJarIsReported(@TempDir Path dir) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.writeString(plugins.resolve("garbage.jar"), "not a zip");
        PluginRegistry registry = PluginRegistry.discover(getClass().getClassLoader(), plugins);
        assertThat(registry.problems()).allSatisfy(p -> assertThat(p).startsWith("garbage.jar"));
    }

    @Test
    void missingPluginsFolderIsFineAndUnknownNamesListTheKnownOnes(@TempDir Path dir) {
        PluginRegistry registry = PluginRegistry.discover(getClass().getClassLoader(), dir.resolve("absent"));
        assertThat(registry.problems()).isEmpty();
        assertThatThrownBy(() -> registry.backend("tensorflow"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("ser.train.backend: unknown backend 'tensorflow' (known: ");
    }
}
