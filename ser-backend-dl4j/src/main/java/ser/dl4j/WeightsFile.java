package ser.dl4j;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binary weights: magic {@code SERW}, format version, tensor count, then per tensor its UTF name,
 * rank, dimensions and float32 values (big-endian), in canonical names and PyTorch layout.
 */
final class WeightsFile {

    static final int MAGIC = 0x53455257; // "SERW"
    static final int VERSION = 1;

    record Tensor(long[] shape, float[] values) {
    }

    private WeightsFile() {
    }

    static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        try (OutputStream os = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(tensors.size());
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                out.writeUTF(e.getKey());
                long[] shape = e.getValue().shape();
                out.writeInt(shape.length);
                for (long d : shape) {
                    out.writeLong(d);
                }
                for (float v : e.getValue().values()) {
                    out.writeFloat(v);
                }
            }
        }
    }

    static Map<String, Tensor> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "missing dl4j weights file");
        }
        Map<String, Tensor> result = new LinkedHashMap<>();
        try (InputStream is = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + ": not a ser dl4j weights file (bad magic number)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": unsupported weights format version " + version);
            }
            int count = in.readInt();
            if (count < 0 || count > 100_000) {
                throw new IOException(file + ": corrupt tensor count " + count);
            }
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int rank = in.readInt();
                if (rank < 0 || rank > 8) {
                    throw new IOException(file + ": corrupt rank " + rank + " for " + name);
                }
                long[] shape = new long[rank];
                long length = 1;
                for (int d = 0; d < rank; d++) {
                    shape[d] = in.readLong();
                    if (shape[d] < 0 || shape[d] > Integer.MAX_VALUE) {
                        throw new IOException(file + ": corrupt shape " + Arrays.toString(shape) + " for " + name);
                    }
                    length *= shape[d];
                }
                if (length > Integer.MAX_VALUE) {
                    throw new IOException(file + ": tensor " + name + " too large");
                }
                float[] values = new float[(int) length];
                for (int j = 0; j < values.length; j++) {
                    values[j] = in.readFloat();
                }
                result.put(name, new Tensor(shape, values));
            }
            if (in.read() != -1) {
                throw new IOException(file + ": unexpected data after " + count + " tensors");
            }
        } catch (EOFException e) {
            throw new IOException(file + ": weights file is truncated (" + result.size() + " complete tensors read)", e);
        }
        return result;
    }
}
