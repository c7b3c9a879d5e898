package ser.cli;

import ser.pipeline.plugins.TestPluginJars;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ser plugins} in a child JVM, as users run it: listings, and a plugin that calls System.exit. */
class PluginProcessTest {

    @TempDir
    Path dir;

    private record Result(int code, String output) {
    }

    private Result ser(Path plugins, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "ser.cli.Main"));
        command.addAll(List.of(args));
        command.addAll(List.of("--set", "ser.plugins.dir=" + plugins));
        Path log = dir.resolve("child-" + System.nanoTime() + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("did not finish");
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    @Test
    void aPluginCallingSystemExitIsAFailureNamedByThePluginNotAFakeSuccess() throws Exception {
        Path plugins = dir.resolve("plugins");
        TestPluginJars.extractorJar(dir, plugins, "quitter.jar", "Quitter",
                "public String name() { System.exit(0); return \"q\"; } public String description() { return \"\"; }");
        Result r = ser(plugins, "plugins");
        assertThat(r.code()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains("ser: plugin quitter.jar called System.exit; that is a failure of the plugin");
    }

    @Test
    void pluginsListsTheBackendAndExtractorPluginsAndTheBrokenOnes() throws Exception {
        Path plugins = dir.resolve("plugins");
        TestPluginJars.tinyBackendPlugin(dir, plugins);
        TestPluginJars.zeroCrossingExtractorJar(dir, plugins);
        Files.writeString(plugins.resolve("garbage.jar"), "not a zip");
        Result r = ser(plugins, "plugins");
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output())
                .containsPattern("tiny +\\[tiny-backend\\] +tiny test backend \\(context plugin:tiny-backend, guice hidden, library 42\\)")
                .containsPattern("zcr-count +\\[zcr-count-plugin.jar\\]")
                .contains("problems:\n  garbage.jar: not a jar (zip) file");
    }
}
