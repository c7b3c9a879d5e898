package ser.pipeline.extract;

import ser.pipeline.store.FeatureSchema;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import ser.pipeline.util.AtomicFiles;

/**
 * The work-in-progress folder {@code <out>/.partial/} of an extraction: finished utterances are
 * committed in chunk files, each written to a temporary name, forced to disk and renamed, so a
 * run killed at any moment loses at most the chunk it was collecting. A new run with the same
 * schema reads the chunks back and skips the utterances they hold. See STORE.md.
 *
 * <p>Chunk file {@code chunk-NNNNNN.bin}, little-endian: magic {@code SERCHK01}, 32 bytes of the
 * schema hash, int32 record count, the records (int32 id length, id UTF-8, int32 location
 * length, location UTF-8, int32 frames T, int32 columns D, int32 utterance values U, float32
 * frames [T][D], float32 utterance values [U]), then int64 CRC-32 of everything before it.
 */
public final class Journal implements Closeable {

    public static final String DIR = ".partial";
    static final String SCHEMA = "schema.json";
    /** The augmentation settings of the run that started the journal; absent without augmentation. */
    static final String AUGMENT = "augment.json";
    private static final byte[] MAGIC = "SERCHK01".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern CHUNK = Pattern.compile("chunk-(\\d{6,})\\.bin");

    /** Where one finished utterance lives in a chunk file. */
    public record Entry(Path chunk, String id, String location, int frames, int columns, int utteranceValues,
            long framesOffset) {

        long frameBytes() {
            return 4L * frames * columns;
        }

        long utteranceOffset() {
            return framesOffset + frameBytes();
        }
    }

    /** A chunk file's length in bytes and the CRC-32 stored at its end. */
    private record Seal(long length, long crc) {
    }

    /** One finished utterance waiting to be committed. */
    record Done(String id, String location, Extraction extraction) {

        long bytes() {
            float[][] f = extraction.frames();
            return 64 + 2L * (id.length() + location.length()) + 4L * (f.length == 0 ? 0 : (long) f.length * f[0].length)
                    + 4L * extraction.utteranceVector().length;
        }
    }

    private final Path dir;
    private final FeatureSchema schema;
    private final byte[] hash;
    private final OutputFilter filter;
    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<Path, FileChannel> readers = new HashMap<>();
    /** Length and CRC of every chunk as this run wrote or read it, checked again before assembly. */
    private final Map<Path, Seal> seals = new HashMap<>();
    private int nextChunk;

    private Journal(Path dir, FeatureSchema schema, OutputFilter filter) {
        this.dir = dir;
        this.schema = schema;
        this.hash = HexFormat.of().parseHex(schema.hash());
        this.filter = filter;
    }

    /**
     * Opens (or starts) the journal in {@code out/.partial}. A journal left by a run with another
     * schema is discarded (reported through {@code notices}): features of two schemas never mix.
     * Damaged chunks (a crash while writing one) are dropped; their utterances are redone.
     */
    static Journal open(Path out, FeatureSchema schema, OutputFilter filter, Consumer<String> notices)
            throws IOException {
        return open(out, schema, "", filter, notices);
    }

    /**
     * As {@link #open(Path, FeatureSchema, OutputFilter, Consumer)}, for a run whose augmented
     * copies are made as {@code augmentation} describes ("" without augmentation): a journal left
     * by a run with other augmentation settings is discarded too (its copies would differ).
     */
    static Journal open(Path out, FeatureSchema schema, String augmentation, OutputFilter filter, Consumer<String> notices)
            throws IOException {
        Path dir = out.resolve(DIR);
        Journal journal = new Journal(dir, schema, filter);
        Path schemaFile = dir.resolve(SCHEMA);
        Path augmentFile = dir.resolve(AUGMENT);
        if (Files.isDirectory(dir)) {
            String previous = storedHash(schemaFile);
            String previousAugmentation = Files.isRegularFile(augmentFile)
                    ? Files.readString(augmentFile, StandardCharsets.UTF_8) : "";
            if (previous == null) {
                deleteTree(dir);
            } else if (!previous.equals(schema.hash())) {
                notices.accept(dir + ": left by an interrupted run with another feature schema (hash "
                        + previous + ", now " + schema.hash() + "); discarding it and starting over");
                deleteTree(dir);
            } else if (!previousAugmentation.equals(augmentation)) {
                notices.accept(dir + ": left by an interrupted run with other " + AudioAugmentSettings.PATH
                        + " settings; discarding it and starting over");
                deleteTree(dir);
            }
        }
        Files.createDirectories(dir);
        if (!Files.exists(schemaFile)) {
            if (!augmentation.isEmpty()) {
                AtomicFiles.write(augmentFile, o -> filter.wrap(augmentFile, o).write(augmentation.getBytes(StandardCharsets.UTF_8)));
            }
            AtomicFiles.write(schemaFile, o -> filter.wrap(schemaFile, o).write(schema.toJson().getBytes(StandardCharsets.UTF_8)));
        }
        journal.load(notices);
        return journal;
    }

    private static String storedHash(Path schemaFile) {
        try {
            return FeatureSchema.fromJson(Files.readString(schemaFile, StandardCharsets.UTF_8), schemaFile.toString()).hash();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void load(Consumer<String> notices) throws IOException {
        List<Path> chunks = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(f); // a chunk that was being written when the run stopped
                } else if (CHUNK.matcher(name).matches()) {
                    chunks.add(f);
                }
            }
        }
        chunks.sort(Comparator.comparingLong(Journal::chunkNumber));
        for (Path chunk : chunks) {
            nextChunk = (int) Math.max(nextChunk, chunkNumber(chunk) + 1);
            try {
                read(chunk);
            } catch (DamagedChunk e) {
                notices.accept(chunk + ": damaged (" + e.getMessage() + "); its utterances will be extracted again");
                Files.deleteIfExists(chunk);
            }
        }
    }

    private static long chunkNumber(Path chunk) {
        Matcher m = CHUNK.matcher(chunk.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static final class DamagedChunk extends Exception {
        private static final long serialVersionUID = 1L;

        DamagedChunk(String message) {
            super(message);
        }
    }

    private void read(Path chunk) throws IOException, DamagedChunk {
        byte[] bytes = Files.readAllBytes(chunk);
        if (bytes.length < MAGIC.length + 32 + 4 + 8) {
            throw new DamagedChunk("truncated");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        if (crc.getValue() != b.getLong(bytes.length - 8)) {
            throw new DamagedChunk("checksum mismatch");
        }
        Seal seal = new Seal(bytes.length, crc.getValue());
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new DamagedChunk("not a chunk file");
        }
        byte[] h = new byte[32];
        b.get(h);
        if (!java.util.Arrays.equals(h, hash)) {
            throw new DamagedChunk("made with schema " + HexFormat.of().formatHex(h));
        }
        int count = b.getInt();
        List<Entry> found = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                String id = string(b);
                String location = string(b);
                int t = b.getInt();
                int d = b.getInt();
                int u = b.getInt();
                if (t < 0 || d != schema.frameColumns().size() || u != schema.utteranceColumns().size()) {
                    throw new DamagedChunk("record " + i + " has the wrong shape");
                }
                long offset = b.position();
                long size = 4L * t * d + 4L * u;
                if (offset + size > bytes.length - 8) {
                    throw new DamagedChunk("record " + i + " is truncated");
                }
                b.position((int) (offset + size));
                found.add(new Entry(chunk, id, location, t, d, u, offset));
            }
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new DamagedChunk("malformed records");
        }
        if (b.position() != bytes.length - 8) {
            throw new DamagedChunk("trailing bytes");
        }
        for (Entry e : found) {
            entries.put(e.id(), e);
        }
        seals.put(chunk, seal);
    }

    private static String string(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new IllegalArgumentException("bad string length");
        }
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    /** The committed utterance with this id and location, or null. */
    Entry find(String id, String location) {
        Entry e = entries.get(id);
        return e != null && e.location().equals(location) ? e : null;
    }

    int size() {
        return entries.size();
    }

    /** Writes {@code batch} as one chunk: temporary file, forced to disk, renamed. */
    void commit(List<Done> batch) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        Path target = dir.resolve(String.format("chunk-%06d.bin", nextChunk++));
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        List<long[]> offsets = new ArrayList<>(batch.size());
        Seal seal;
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                CRC32 crc = new CRC32();
                CountingStream counter = new CountingStream(new BufferedOutputStream(
                        filter.wrap(target, Channels.newOutputStream(channel)), 1 << 16));
                CheckedOutputStream out = new CheckedOutputStream(counter, crc);
                ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 32 + 4).order(ByteOrder.LITTLE_ENDIAN);
                head.put(MAGIC).put(hash).putInt(batch.size());
                out.write(head.array());
                for (Done d : batch) {
                    offsets.add(new long[] {writeRecord(out, counter, d)});
                }
                ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(crc.getValue());
                counter.write(tail.array());
                counter.flush();
                channel.force(true);
                seal = new Seal(counter.count, crc.getValue());
            }
            AtomicFiles.move(tmp, target);
            syncDirectory(dir);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new IoFailures.FileWriteException(target, e);
        } catch (RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        seals.put(target, seal);
        int d = schema.frameColumns().size();
        for (int i = 0; i < batch.size(); i++) {
            Done done = batch.get(i);
            Extraction x = done.extraction();
            entries.put(done.id(), new Entry(target, done.id(), done.location(), x.frames().length, d,
                    x.utteranceVector().length, offsets.get(i)[0]));
        }
    }

    /** Writes one record; returns the offset of its frames in the file. */
    private static long writeRecord(OutputStream out, CountingStream counter, Done d) throws IOException {
        byte[] id = d.id().getBytes(StandardCharsets.UTF_8);
        byte[] loc = d.location().getBytes(StandardCharsets.UTF_8);
        float[][] frames = d.extraction().frames();
        float[] utt = d.extraction().utteranceVector();
        int cols = frames.length == 0 ? 0 : frames[0].length;
        ByteBuffer head = ByteBuffer.allocate(4 + id.length + 4 + loc.length + 12).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(id.length).put(id).putInt(loc.length).put(loc).putInt(frames.length).putInt(cols).putInt(utt.length);
        out.write(head.array());
        long offset = counter.count;
        ByteBuffer row = ByteBuffer.allocate(4 * Math.max(cols, 1)).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] f : frames) {
            row.clear();
            row.asFloatBuffer().put(f);
            out.write(row.array(), 0, 4 * cols);
        }
        ByteBuffer u = ByteBuffer.allocate(4 * utt.length).order(ByteOrder.LITTLE_ENDIAN);
        u.asFloatBuffer().put(utt);
        out.write(u.array());
        return offset;
    }

    /**
     * Checks that every chunk holding {@code used} is still the file this run wrote or read
     * (same length, same CRC-32 over its bytes), and keeps it open so that assembly reads exactly
     * the verified file. A chunk replaced or rewritten meanwhile (by another process, against the
     * lock) stops the run before anything is assembled, instead of mixing in other features.
     *
     * @throws RunFailure naming the chunk when one changed
     */
    void verify(List<Entry> used) throws IOException {
        java.util.Set<Path> chunks = new java.util.LinkedHashSet<>();
        used.forEach(e -> chunks.add(e.chunk()));
        for (Path chunk : chunks) {
            Seal seal = seals.get(chunk);
            FileChannel old = readers.remove(chunk);
            if (old != null) {
                old.close();
            }
            FileChannel ch;
            try {
                ch = FileChannel.open(chunk, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                throw changed(chunk, "it is gone");
            }
            readers.put(chunk, ch);
            long size = ch.size();
            if (seal == null || size != seal.length()) {
                throw changed(chunk, "it has " + size + " bytes, " + (seal == null ? "?" : seal.length()) + " were written");
            }
            CRC32 crc = new CRC32();
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            long pos = 0;
            long end = size - 8;
            while (pos < end) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw changed(chunk, "it ended early");
                }
                buf.flip();
                crc.update(buf);
                pos += n;
            }
            ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(tail, end);
            if (crc.getValue() != seal.crc() || tail.getLong(0) != seal.crc()) {
                throw changed(chunk, "its checksum differs from the one written");
            }
        }
    }

    private static ser.pipeline.RunFailure changed(Path chunk, String how) {
        return new ser.pipeline.RunFailure(chunk + ": changed since this run wrote or read it (" + how
                + "); another process wrote into the work folder; nothing was assembled (run ser extract again)");
    }

    /** Copies the raw little-endian frames of {@code e} to {@code out}. */
    public void copyFrames(Entry e, OutputStream out) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) e.frameBytes());
        readFully(e, e.framesOffset(), buf);
        out.write(buf.array(), 0, buf.limit());
    }

    public float[] utteranceVector(Entry e) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4 * e.utteranceValues()).order(ByteOrder.LITTLE_ENDIAN);
        readFully(e, e.utteranceOffset(), buf);
        float[] v = new float[e.utteranceValues()];
        buf.asFloatBuffer().get(v);
        return v;
    }

    private void readFully(Entry e, long position, ByteBuffer buf) throws IOException {
        FileChannel ch = readers.get(e.chunk());
        if (ch == null) {
            ch = FileChannel.open(e.chunk(), StandardOpenOption.READ);
            readers.put(e.chunk(), ch);
        }
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException(e.chunk() + ": unexpected end of file");
            }
            pos += n;
        }
        buf.flip();
    }

    @Override
    public void close() throws IOException {
        for (FileChannel ch : readers.values()) {
            ch.close();
        }
        readers.clear();
    }

    /** Removes the whole journal once the final files are in place. */
    void delete() throws IOException {
        close();
        deleteTree(dir);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (NoSuchFileException ignored) {
                    // already gone
                }
            }
        }
    }

    /** Makes a rename durable across a power loss (best effort: not every platform allows it). */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not supported here; the rename itself is still atomic
        }
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
