package ser.pipeline.store;

import ser.pipeline.extract.Journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import ser.api.Emotion;
import ser.pipeline.BadInputException;

/**
 * Reads a feature folder written by {@code ser extract} (format: ser-runner/STORE.md), checking
 * that its files exist, agree with each other and with schema.json; any problem is a
 * {@link BadInputException} naming the file.
 */
public final class FeatureStore {

    public static final String NPPDP = "nppdp.csv";
    /** The augmented copies' utterance vectors (ser.extract.augment), as nppdp.csv; only in an augmented store. */
    public static final String NPPDP_AUGMENTED = "nppdp.augmented.csv";
    /** Index column of an augmented store: the original's id for a copy, empty for an original. */
    public static final String AUGMENTED_FROM = "augmented_from";
    public static final String INDEX = "nppdp.index.csv";
    public static final String SEQUENCES = "sequences.f32";
    public static final String SCHEMA = "schema.json";
    /** Last column of nppdp.csv: the emotion label 1..8 ({@link Emotion#label()}). */
    public static final String LABEL = "emotion_label";
    public static final List<String> INDEX_COLUMNS = List.of("id", "path", "corpus", "speaker", "gender", "emotion",
            "emotion_label", "frames");

    /** Regions of the sequence file are mapped at most this large (an utterance never straddles two). */
    private static final long REGION = 1L << 30;

    private FeatureStore() {
    }

    /** True when {@code dir} holds a finished feature folder (its schema.json is written last). */
    public static boolean isComplete(Path dir) {
        return Files.isRegularFile(dir.resolve(SCHEMA));
    }

    /**
     * Opens and validates the feature folder {@code dir}.
     *
     * @throws BadInputException naming the file and the problem: a missing file, a header-only
     *                           nppdp.csv, a missing column, a non-numeric cell, row or length
     *                           mismatches, or a schema hash mismatch (with both hashes)
     */
    public static FeatureSet open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir.toString(), "no such folder (run ser extract first)");
        }
        Path schemaFile = require(dir, SCHEMA);
        Path nppdp = require(dir, NPPDP);
        Path index = require(dir, INDEX);
        Path sequences = require(dir, SEQUENCES);

        String schemaText;
        try {
            schemaText = Files.readString(schemaFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(schemaFile.toString(), "cannot read: " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = SchemaJson.MAPPER.readTree(schemaText);
        } catch (JsonProcessingException e) {
            throw new BadInputException(schemaFile.toString(), "not valid JSON: " + e.getOriginalMessage());
        }
        FeatureSchema schema = SchemaJson.read(root, schemaFile.toString());
        JsonNode store = root.get("store");
        if (store == null || !store.isObject()) {
            throw new BadInputException(schemaFile.toString(), "missing field \"store\"");
        }
        long utterances = SchemaJson.longValue(store, "utterances", schemaFile.toString());
        long frames = SchemaJson.longValue(store, "frames", schemaFile.toString());

        List<UtteranceInfo> infos = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int[] frameCounts = readIndex(index, infos, labels);
        if (infos.size() != utterances) {
            throw new BadInputException(index.toString(), "length mismatch: " + infos.size() + " rows, " + SCHEMA
                    + " says " + utterances + " utterances");
        }
        int originals = (int) infos.stream().filter(u -> !u.isAugmented()).count();
        float[][] vectors = readNppdp(nppdp, schema, labels.subList(0, originals));
        if (vectors.length != originals) {
            throw new BadInputException(nppdp.toString(), "length mismatch: " + vectors.length + " rows, " + INDEX
                    + " has " + originals + (originals < infos.size() ? " original utterances" : ""));
        }
        if (originals < infos.size()) {
            // Copies follow the originals in the index (checked in readIndex); their vectors are in their own file.
            Path augmented = require(dir, NPPDP_AUGMENTED);
            float[][] copies = readNppdp(augmented, schema, labels.subList(originals, infos.size()));
            if (copies.length != infos.size() - originals) {
                throw new BadInputException(augmented.toString(), "length mismatch: " + copies.length + " rows, " + INDEX
                        + " has " + (infos.size() - originals) + " augmented copies");
            }
            float[][] all = Arrays.copyOf(vectors, infos.size());
            System.arraycopy(copies, 0, all, originals, copies.length);
            vectors = all;
        }
        long sum = 0;
        for (int f : frameCounts) {
            sum += f;
        }
        if (sum != frames) {
            throw new BadInputException(index.toString(), "length mismatch: frames add up to " + sum + ", " + SCHEMA
                    + " says " + frames);
        }
        Sequences seq = Sequences.open(sequences, schema, utterances, frames, frameCounts);
        return new Stored(schema, List.copyOf(infos), vectors, seq);
    }

    private static Path require(Path dir, String name) {
        Path p = dir.resolve(name);
        if (!Files.isRegularFile(p)) {
            String hint = Files.isDirectory(dir.resolve(Journal.DIR)) ? " (an extraction was interrupted: run ser extract again to finish it)"
                    : " (not a complete feature folder: run ser extract)";
            throw new BadInputException(p.toString(), "missing" + hint);
        }
        return p;
    }

    private static CSVParser parse(Path file) throws IOException {
        Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        try {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                    .setDuplicateHeaderMode(org.apache.commons.csv.DuplicateHeaderMode.DISALLOW).get().parse(reader);
        } catch (IllegalArgumentException e) {
            // commons-csv refuses a duplicate or empty header name this way
            reader.close();
            throw new BadInputException(file.toString(), "bad header: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            // the header is read here: a refused header must not leak the open file
            reader.close();
            throw e;
        }
    }

    private static int[] readIndex(Path file, List<UtteranceInfo> infos, List<Integer> labels) {
        String where = file.toString();
        List<Integer> frames = new ArrayList<>();
        try (CSVParser csv = parse(file)) {
            List<String> header = csv.getHeaderNames();
            for (String c : INDEX_COLUMNS) {
                if (!header.contains(c)) {
                    throw new BadInputException(where, "missing column '" + c + "'");
                }
            }
            Set<String> ids = new HashSet<>();
            boolean augmentedColumn = header.contains(AUGMENTED_FROM);
            for (CSVRecord r : csv) {
                String line = where + ":" + (r.getRecordNumber() + 1);
                if (!r.isConsistent()) {
                    throw new BadInputException(line, "expected " + header.size() + " cells, found " + r.size());
                }
                int label = integer(r, "emotion_label", line);
                Emotion emotion;
                try {
                    emotion = Emotion.ofLabel(label);
                } catch (IllegalArgumentException e) {
                    throw new BadInputException(line, e.getMessage());
                }
                int t = integer(r, "frames", line);
                if (t <= 0) {
                    throw new BadInputException(line, "frames must be positive, got " + t);
                }
                String id = r.get("id");
                if (!ids.add(id)) {
                    throw new BadInputException(line, "duplicate utterance id " + id);
                }
                String from = augmentedColumn ? r.get(AUGMENTED_FROM) : "";
                if (!from.isEmpty() && !ids.contains(from)) {
                    throw new BadInputException(line, AUGMENTED_FROM + " " + from + " is not an original listed above");
                }
                if (from.isEmpty() && !infos.isEmpty() && infos.get(infos.size() - 1).isAugmented()) {
                    throw new BadInputException(line, "original utterance " + id + " after an augmented copy (copies come last)");
                }
                infos.add(new UtteranceInfo(id, r.get("path"), r.get("corpus"), r.get("speaker"), emotion, r.get("gender"), from));
                labels.add(label);
                frames.add(t);
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException(where, "missing");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BadInputException(where, "cannot read: " + e.getMessage(), e);
        }
        if (infos.isEmpty()) {
            throw new BadInputException(where, "no rows (header only)");
        }
        return frames.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int integer(CSVRecord r, String column, String line) {
        String v = r.get(column).trim();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new BadInputException(line, "column '" + column + "': not an integer: '" + v + "'");
        }
    }

    private static float[][] readNppdp(Path file, FeatureSchema schema, List<Integer> labels) {
        String where = file.toString();
        List<String> expected = schema.utteranceColumns();
        int n = expected.size();
        List<float[]> rows = new ArrayList<>();
        try (CSVParser csv = parse(file)) {
            List<String> header = csv.getHeaderNames();
            if (header.isEmpty()) {
                throw new BadInputException(where, "empty file");
            }
            for (String c : expected) {
                if (!header.contains(c)) {
                    throw new BadInputException(where, "missing column '" + c + "' (the schema has " + n + " feature columns)");
                }
            }
            if (!header.contains(LABEL)) {
                throw new BadInputException(where, "missing column '" + LABEL + "'");
            }
            List<String> wanted = new ArrayList<>(expected);
            wanted.add(LABEL);
            if (!header.equals(wanted)) {
                Set<String> extra = new java.util.LinkedHashSet<>(header);
                wanted.forEach(extra::remove);
                throw new BadInputException(where, extra.isEmpty()
                        ? "columns are not in schema order (" + LABEL + " must be last)"
                        : "unexpected column(s) " + String.join(", ", extra));
            }
            for (CSVRecord r : csv) {
                int index = rows.size();
                String line = where + ":" + (r.getRecordNumber() + 1);
                if (r.size() != n + 1) {
                    throw new BadInputException(line, "expected " + (n + 1) + " cells, found " + r.size());
                }
                float[] v = new float[n];
                for (int c = 0; c < n; c++) {
                    String cell = r.get(c);
                    float x;
                    try {
                        x = Float.parseFloat(cell);
                    } catch (NumberFormatException e) {
                        throw new BadInputException(line, "column '" + expected.get(c) + "': not a number: '" + cell + "'");
                    }
                    if (!Float.isFinite(x)) {
                        throw new BadInputException(line, "column '" + expected.get(c) + "': not a finite number: '" + cell + "'");
                    }
                    v[c] = x;
                }
                String label = r.get(n).trim();
                if (index < labels.size() && !label.equals(Integer.toString(labels.get(index)))) {
                    throw new BadInputException(line, LABEL + " " + label + " differs from " + INDEX + " ("
                            + labels.get(index) + ")");
                }
                rows.add(v);
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException(where, "missing");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BadInputException(where, "cannot read: " + e.getMessage(), e);
        }
        if (rows.isEmpty()) {
            throw new BadInputException(where, "no data rows (header only)");
        }
        return rows.toArray(float[][]::new);
    }

    /** The memory-mapped sequence file. */
    private record Sequences(MappedByteBuffer[] regions, int[] regionOf, long[] offsetInRegion, int[] frames, int columns) {

        static Sequences open(Path file, FeatureSchema schema, long utterances, long totalFrames, int[] frameCounts) {
            String where = file.toString();
            int columns = schema.frameColumns().size();
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size < StoreWriter.SEQ_HEADER_BYTES) {
                    throw new BadInputException(where, "length mismatch: " + size + " bytes, shorter than its header");
                }
                ByteBuffer h = ByteBuffer.allocate(StoreWriter.SEQ_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                while (h.hasRemaining() && ch.read(h, h.position()) >= 0) {
                    // read the header
                }
                h.flip();
                byte[] magic = new byte[8];
                h.get(magic);
                if (!Arrays.equals(magic, StoreWriter.SEQ_MAGIC)) {
                    throw new BadInputException(where, "not a ser sequence file (bad magic)");
                }
                int version = h.getInt();
                if (version != FeatureSchema.FORMAT_VERSION) {
                    throw new BadInputException(where, "unsupported format version " + version);
                }
                int d = h.getInt();
                long n = h.getLong();
                long t = h.getLong();
                byte[] hash = new byte[32];
                h.get(hash);
                String fileHash = HexFormat.of().formatHex(hash);
                if (!fileHash.equals(schema.hash())) {
                    throw new BadInputException(where, "schema hash mismatch: " + SEQUENCES + " was written with schema "
                            + fileHash + ", " + SCHEMA + " has " + schema.hash());
                }
                if (d != columns || n != utterances || t != totalFrames) {
                    throw new BadInputException(where, "length mismatch: header says " + n + " utterances, " + t
                            + " frames of " + d + " columns; " + SCHEMA + " says " + utterances + ", " + totalFrames
                            + " of " + columns);
                }
                long expected = StoreWriter.SEQ_HEADER_BYTES + 4L * columns * totalFrames;
                if (size != expected) {
                    throw new BadInputException(where, "length mismatch: " + size + " bytes, expected " + expected + " ("
                            + totalFrames + " frames x " + columns + " float32 columns + header)");
                }
                List<MappedByteBuffer> regions = new ArrayList<>();
                int[] regionOf = new int[frameCounts.length];
                long[] offsets = new long[frameCounts.length];
                long pos = StoreWriter.SEQ_HEADER_BYTES;
                long regionStart = pos;
                long regionEnd = pos;
                int first = 0;
                for (int i = 0; i <= frameCounts.length; i++) {
                    long bytes = i < frameCounts.length ? 4L * columns * frameCounts[i] : 0;
                    if (i == frameCounts.length || (regionEnd - regionStart + bytes > REGION && regionEnd > regionStart)) {
                        regions.add(ch.map(FileChannel.MapMode.READ_ONLY, regionStart, regionEnd - regionStart));
                        for (int j = first; j < i; j++) {
                            regionOf[j] = regions.size() - 1;
                        }
                        first = i;
                        regionStart = regionEnd;
                    }
                    if (i < frameCounts.length) {
                        offsets[i] = regionEnd - regionStart;
                        regionEnd += bytes;
                    }
                }
                return new Sequences(regions.toArray(MappedByteBuffer[]::new), regionOf, offsets, frameCounts.clone(), columns);
            } catch (IOException e) {
                throw new BadInputException(where, "cannot read: " + e.getMessage(), e);
            }
        }

        float[][] read(int index) {
            ByteBuffer b = regions[regionOf[index]].duplicate().order(ByteOrder.LITTLE_ENDIAN);
            b.position((int) offsetInRegion[index]);
            java.nio.FloatBuffer f = b.asFloatBuffer();
            float[][] out = new float[frames[index]][columns];
            for (float[] row : out) {
                f.get(row);
            }
            return out;
        }
    }

    private record Stored(FeatureSchema schema, List<UtteranceInfo> utterances, float[][] vectors, Sequences sequences)
            implements FeatureSet {

        @Override
        public float[][] sequence(int index) {
            checkIndex(index);
            return sequences.read(index);
        }

        @Override
        public float[] utteranceVector(int index) {
            checkIndex(index);
            return vectors[index].clone();
        }

        private void checkIndex(int index) {
            if (index < 0 || index >= vectors.length) {
                throw new IndexOutOfBoundsException("utterance " + index + " of " + vectors.length);
            }
        }

        @Override
        public String toString() {
            return "FeatureSet[" + vectors.length + " utterances, schema " + schema.shortHash() + "]";
        }
    }
}
