package ser.djl;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The weight file of a saved model: named float32 tensors with their shapes, little-endian,
 * closed by a CRC-32 so that a truncated or damaged file is reported as such.
 *
 * <pre>
 * "SERDJLW1"  int count  { utf8 name (int length + bytes)  int rank  int dims[rank]  float data[prod(dims)] }  long crc32
 * </pre>
 */
final class WeightsFile {

    private static final byte[] MAGIC = "SERDJLW1".getBytes(StandardCharsets.US_ASCII);

    /** A named tensor. */
    record Tensor(long[] shape, float[] data) {
    }

    private WeightsFile() {
    }

    /** Writes atomically (temporary file, then move). */
    static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        long bytes = MAGIC.length + 4 + 8;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            bytes += 4 + e.getKey().getBytes(StandardCharsets.UTF_8).length + 4 + 4L * e.getValue().shape().length
                    + 4L * e.getValue().data().length;
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).putInt(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            buf.putInt(name.length).put(name).putInt(e.getValue().shape().length);
            for (long d : e.getValue().shape()) {
                buf.putInt(Math.toIntExact(d));
            }
            buf.asFloatBuffer().put(e.getValue().data());
            buf.position(buf.position() + 4 * e.getValue().data().length);
        }
        CRC32 crc = new CRC32();
        crc.update(buf.array(), 0, buf.position());
        buf.putLong(crc.getValue());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, buf.array());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads every tensor; any inconsistency is an {@link IOException} naming the file. */
    static Map<String, Tensor> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "DJL model weights not found");
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < MAGIC.length + 12 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new IOException(file + ": not a DJL weight file of this backend (bad header or truncated to "
                    + bytes.length + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        if (crc.getValue() != buf.getLong(bytes.length - 8)) {
            throw new IOException(file + ": checksum mismatch, the file is truncated or damaged (" + bytes.length
                    + " bytes)");
        }
        buf.limit(bytes.length - 8);
        buf.position(MAGIC.length);
        try {
            int count = buf.getInt();
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                byte[] name = new byte[buf.getInt()];
                buf.get(name);
                long[] shape = new long[buf.getInt()];
                long size = 1;
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = buf.getInt();
                    size *= shape[d];
                }
                float[] data = new float[Math.toIntExact(size)];
                buf.asFloatBuffer().get(data);
                buf.position(buf.position() + 4 * data.length);
                out.put(new String(name, StandardCharsets.UTF_8), new Tensor(shape, data));
            }
            if (buf.hasRemaining()) {
                throw new IOException(file + ": " + buf.remaining() + " unexpected bytes after " + count + " tensors");
            }
            return out;
        } catch (BufferUnderflowException | IllegalArgumentException | ArithmeticException
                | NegativeArraySizeException e) {
            throw new IOException(file + ": malformed DJL weight file (" + e + ")", e);
        }
    }
}
