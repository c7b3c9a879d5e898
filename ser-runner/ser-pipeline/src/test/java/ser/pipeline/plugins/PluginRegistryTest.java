package ser.pipeline.plugins;

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
import ser.pipeline.UsageException;
import ser.pipeline.config.ConfigValidator;

class PluginRegistryTest {

    @Test
    void findsAJarDroppedInThePluginsFolderInItsOwnClassLoader(@TempDir Path dir) throws Exception {
        Path plugins = dir.resolve("plugins");
        TestPluginJars.zeroCrossingExtractorJar(dir, plugins);

        PluginRegistry registry = PluginRegistry.discover(getClass().getClassLoader(), plugins);

        Plugin<ser.api.FeatureExtractorProvider> plugin = registry.extractors().get("zcr-count");
        assertThat(plugin).isNotNull();
        assertThat(plugin.origin()).isEqualTo("zcr-count-plugin.jar");
        // Called through a guard that sets the plugin's loader as context loader.
        assertThat(java.lang.reflect.Proxy.isProxyClass(plugin.provider().getClass())).isTrue();
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
        // Written without extractFrames: the default (extract) serves, through the guard's proxy too.
        FeatureTrack frames = extractor.extractFrames(new AudioClip(new float[] {1, -1, 1, -1, 1, 1, 1, 1}, 16000));
        assertThat(frames.frames()).isDeepEqualTo(track.frames());
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
    void everyUnusablePluginIsReportedWithItsReasonAndTheGoodOnesLoad(@TempDir Path dir) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        TestPluginJars.zeroCrossingExtractorJar(dir, plugins);
        Files.writeString(plugins.resolve("garbage.jar"), "not a zip");
        Files.write(plugins.resolve("empty.jar"), new byte[0]);
        TestPluginJars.build(dir, "nothing.jar", Map.of("x.Y", "package x; public class Y {}"), Map.of(), Map.of());
        Files.move(dir.resolve("nothing.jar"), plugins.resolve("nothing.jar"));
        Files.createDirectories(plugins.resolve("no-jars"));
        TestPluginJars.extractorJar(dir, plugins, "null-name.jar", "NullName",
                "public String name() { return null; } public String description() { return \"\"; }");
        TestPluginJars.extractorJar(dir, plugins, "blank-name.jar", "BlankName",
                "public String name() { return \" \"; } public String description() { return \"\"; }");
        TestPluginJars.extractorJar(dir, plugins, "twin.jar", "Twin",
                "public String name() { return \"mfcc\"; } public String description() { return \"\"; }");
        TestPluginJars.extractorJar(dir, plugins, "hangs.jar", "Hangs",
                "public String name() { while (true) { try { Thread.sleep(1000); } catch (InterruptedException e) { } } }"
                        + " public String description() { return \"\"; }");
        TestPluginJars.extractorJar(dir, plugins, "throws.jar", "Throws",
                "public Throws() { throw new IllegalStateException(\"licence key missing\"); }"
                        + " public String name() { return \"t\"; } public String description() { return \"\"; }");
        Files.writeString(plugins.resolve("README.txt"), "not a plugin, ignored");

        PluginRegistry registry = PluginRegistry.discover(getClass().getClassLoader(), plugins, java.time.Duration.ofSeconds(2));

        assertThat(registry.extractors()).containsKey("zcr-count");
        assertThat(registry.extractors().get("mfcc").origin()).isEqualTo("classpath");
        assertThat(registry.problems()).satisfiesExactlyInAnyOrder(
                p -> assertThat(p).isEqualTo("blank-name.jar: com.example.bad.BlankName has no name (name() returned ' ');"
                        + " ignored"),
                p -> assertThat(p).isEqualTo("empty.jar: empty file, not a jar"),
                p -> assertThat(p).startsWith("garbage.jar: not a jar (zip) file: "),
                p -> assertThat(p).isEqualTo("hangs.jar: did not finish loading within 2 s (a provider hangs); skipped"),
                p -> assertThat(p).isEqualTo("no-jars: plugin folder holds no .jar file"),
                p -> assertThat(p).isEqualTo("nothing.jar: no META-INF/services file for FeatureExtractorProvider,"
                        + " SequenceModelProvider, CorpusAdapterProvider; nothing to load"),
                p -> assertThat(p).isEqualTo("null-name.jar: com.example.bad.NullName has no name (name() returned null);"
                        + " ignored"),
                p -> assertThat(p).startsWith("throws.jar: com.example.bad.Throws failed to load").contains("licence key missing"),
                p -> assertThat(p).isEqualTo("twin.jar: FeatureExtractorProvider 'mfcc' ignored, already provided by classpath"));
    }

    @Test
    void aBackendPluginFolderLoadsInItsOwnLoaderWithItsLibraryAndTheContextLoaderSet(@TempDir Path dir) throws Exception {
        Path plugins = dir.resolve("plugins");
        TestPluginJars.tinyBackendPlugin(dir, plugins);
        TestPluginJars.zeroCrossingExtractorJar(dir, plugins);

        PluginRegistry registry = PluginRegistry.discover(getClass().getClassLoader(), plugins);

        assertThat(registry.problems()).isEmpty();
        Plugin<ser.api.SequenceModelProvider> tiny = registry.backends().get("tiny");
        assertThat(tiny.origin()).isEqualTo("tiny-backend");
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        assertThat(tiny.provider().description())
                .isEqualTo("tiny test backend (context plugin:tiny-backend, guice hidden, library 42)");
        // Objects the provider makes are guarded the same way.
        assertThat(registry.backend("tiny").create(null).backend()).isEqualTo("tiny@plugin:tiny-backend");
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
        // The extractor plugin beside it has its own loader.
        assertThat(registry.extractors().get("zcr-count").origin()).isEqualTo("zcr-count-plugin.jar");
        assertThat(ConfigValidator.reference(registry.loaders()).hasPath("ser.backends.tiny")).isTrue();
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
