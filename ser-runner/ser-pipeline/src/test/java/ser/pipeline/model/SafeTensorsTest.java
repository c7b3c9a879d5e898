package ser.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.pipeline.report.Json;

/** The weights file: safetensors layout, round trip, and damaged files named. */
class SafeTensorsTest {

    @TempDir
    Path dir;

    private static Map<String, SafeTensors.Tensor> tensors() {
        Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>();
        t.put("gru1.fwd.weight_ih", new SafeTensors.Tensor(new long[] {3, 2}, new float[] {1, -2, 3.5f, 0, Float.MIN_VALUE, -0f}));
        t.put("out.bias", new SafeTensors.Tensor(new long[] {2}, new float[] {0.25f, 7}));
        t.put("scalar", new SafeTensors.Tensor(new long[] {}, new float[] {42}));
        return t;
    }

    @Test
    void writesTheSafetensorsLayoutAndReadsItBack() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, tensors(), Map.of("format", "pt"));
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong(0);
        assertThat(n % 8).isZero();
        JsonNode header = Json.MAPPER.readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8).trim());
        assertThat(header.at("/__metadata__/format").asText()).isEqualTo("pt");
        assertThat(header.at("/out.bias/dtype").asText()).isEqualTo("F32");
        assertThat(header.at("/out.bias/shape/0").asInt()).isEqualTo(2);
        assertThat(header.at("/out.bias/data_offsets/0").asLong()).isEqualTo(24);
        assertThat(header.at("/out.bias/data_offsets/1").asLong()).isEqualTo(32);
        assertThat(bytes.length).isEqualTo(8 + n + 36);
        assertThat(buf.getFloat((int) (8 + n + 24 + 4))).isEqualTo(7f);

        Map<String, SafeTensors.Tensor> back = SafeTensors.read(file);
        assertThat(back.keySet()).containsExactlyElementsOf(tensors().keySet());
        tensors().forEach((name, t) -> {
            assertThat(back.get(name).shape()).as(name).containsExactly(t.shape());
            assertThat(back.get(name).data()).as(name).containsExactly(t.data());
        });
    }

    @Test
    void damagedFilesAreNamed() throws IOException {
        Path file = dir.resolve("w.safetensors");
        SafeTensors.write(file, tensors(), Map.of());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 4));
        assertThatThrownBy(() -> SafeTensors.read(file)).isInstanceOf(IOException.class).hasMessageStartingWith(file + ": ")
                .hasMessageContaining("truncated");
        Files.write(file, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafeTensors.read(file)).hasMessage(file + ": not a safetensors file (3 bytes)");
        byte[] bad = bytes.clone();
        bad[8] = 'x';
        Files.write(file, bad);
        assertThatThrownBy(() -> SafeTensors.read(file)).hasMessageStartingWith(file + ": safetensors header is not valid JSON");
        assertThatThrownBy(() -> SafeTensors.read(dir.resolve("none"))).isInstanceOf(java.nio.file.NoSuchFileException.class);
    }
}
