package ser.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

/** libtorch comes from the pytorch-native-cpu jar on the class path, never from the network. */
class OfflineEngineTest {

    @Test
    void engineStartsOfflineFromTheMavenJars() throws IOException {
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        assertThat(System.getProperty("OPT_OUT_TRACKING")).isEqualTo("true");

        Properties jar = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("native/lib/pytorch.properties")) {
            assertThat(in).as("pytorch-native-cpu jar on the class path").isNotNull();
            jar.load(in);
        }
        Engine engine = Engine.getEngine("PyTorch");
        assertThat(engine.getEngineName()).isEqualTo("PyTorch");
        assertThat(engine.getVersion()).isEqualTo("2.7.1");

        // The libtorch in use was unpacked from that jar: its folder carries the jar's build
        // version and flavor (a download would be another folder), and libtorch_cpu.so has
        // exactly the jar entry's size.
        Path lib = Paths.get(LibUtils.getLibtorchPath());
        assertThat(lib.getFileName().toString())
                .isEqualTo(jar.getProperty("version") + "-" + jar.getProperty("flavor") + "-" + jar.getProperty("classifier"));
        Path nativeJar = Paths.get(getClass().getClassLoader().getResource("native/lib/pytorch.properties").getPath()
                .replaceFirst("^file:", "").replaceFirst("!/.*$", ""));
        try (ZipFile zip = new ZipFile(nativeJar.toFile())) {
            ZipEntry entry = zip.getEntry("pytorch/cpu/linux-x86_64/libtorch_cpu.so");
            assertThat(entry).isNotNull();
            assertThat(Files.size(lib.resolve("libtorch_cpu.so"))).isEqualTo(entry.getSize());
        }
    }
}
