package ser.pipeline.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import ser.pipeline.report.Json;
import ser.pipeline.util.AtomicFiles;

/**
 * The one weights format of every backend: Hugging Face's
 * <a href="https://github.com/huggingface/safetensors">safetensors</a>, holding the canonical
 * parameter map ({@link ser.api.ParameterNames}) as float32 tensors in PyTorch layout, so that a
 * model trained by one backend loads into another and into Python
 * ({@code safetensors.numpy.load_file}, {@code torch}). The layout: an 8-byte little-endian
 * header length N, N bytes of UTF-8 JSON
 * {@code {"<name>": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...}} (plus an
 * optional {@code "__metadata__"} map of strings), then the raw little-endian data, offsets
 * relative to its start. The header is read with Jackson (already the runner's JSON library)
 * rather than by hand. Only F32 is written or read.
 */
public final class SafeTensors {

    /** A named tensor: its shape and row-major values. */
    public record Tensor(long[] shape, float[] data) {

        public Tensor {
            long size = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
                }
                size *= d;
            }
            if (size != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + size + " values, got "
                        + data.length);
            }
        }
    }

    /** Largest header this reader accepts (the format's own limit is 100 MB). */
    static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {
    }

    /** Writes {@code tensors} in their order, with string {@code metadata}; atomically. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = Json.MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long end = offset + 4L * e.getValue().data().length;
            t.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = Json.MAPPER.writeValueAsBytes(header);
        // The format lets the header be padded with spaces; 8-byte alignment keeps the data aligned.
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) {
            buf.put((byte) ' ');
        }
        for (Tensor t : tensors.values()) {
            buf.asFloatBuffer().put(t.data());
            buf.position(buf.position() + 4 * t.data().length);
        }
        AtomicFiles.write(file, out -> out.write(buf.array()));
    }

    /** Reads every tensor, in file order; any inconsistency is an {@link IOException} naming the file. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "weights file not found");
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 8) {
            throw new IOException(file + ": not a safetensors file (" + bytes.length + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > bytes.length - 8) {
            throw new IOException(file + ": not a safetensors file or truncated (header length " + headerLength + ", file "
                    + bytes.length + " bytes)");
        }
        JsonNode header;
        try {
            header = Json.MAPPER.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": safetensors header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (header == null || !header.isObject()) {
            throw new IOException(file + ": safetensors header is not a JSON object");
        }
        int dataStart = 8 + (int) headerLength;
        long dataLength = bytes.length - dataStart;
        Map<String, Tensor> out = new LinkedHashMap<>();
        long covered = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            String name = e.getKey();
            JsonNode t = e.getValue();
            if (!"F32".equals(t.path("dtype").asText())) {
                throw new IOException(file + ": tensor " + name + " has dtype " + t.path("dtype") + ", only F32 is supported");
            }
            JsonNode shapeNode = t.path("shape");
            JsonNode offsets = t.path("data_offsets");
            if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
                throw new IOException(file + ": tensor " + name + " lacks a shape or data_offsets");
            }
            long[] shape = new long[shapeNode.size()];
            long size = 1;
            for (int d = 0; d < shape.length; d++) {
                shape[d] = shapeNode.get(d).asLong(-1);
                if (shape[d] < 0) {
                    throw new IOException(file + ": tensor " + name + " has a bad shape " + shapeNode);
                }
                size *= shape[d];
            }
            long begin = offsets.get(0).asLong(-1);
            long end = offsets.get(1).asLong(-1);
            if (begin < 0 || end < begin || end > dataLength || end - begin != 4 * size) {
                throw new IOException(file + ": tensor " + name + " has data_offsets " + offsets + " that do not fit its shape "
                        + shapeNode + " or the file (" + dataLength + " data bytes; truncated?)");
            }
            float[] data = new float[Math.toIntExact(size)];
            buf.position(dataStart + (int) begin);
            buf.asFloatBuffer().get(data);
            out.put(name, new Tensor(shape, data));
            covered += end - begin;
        }
        if (covered != dataLength) {
            throw new IOException(file + ": " + dataLength + " data bytes but the tensors cover " + covered);
        }
        return out;
    }
}
