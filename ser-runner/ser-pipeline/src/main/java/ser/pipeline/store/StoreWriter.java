package ser.pipeline.store;

import ser.pipeline.extract.IoFailures;
import ser.pipeline.extract.Journal;
import ser.pipeline.extract.OutputFilter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import ser.pipeline.prepare.ManifestRow;
import ser.pipeline.util.AtomicFiles;

/**
 * Writes the final files of a feature folder from the journal, in manifest order: the sequence
 * store, nppdp.csv, nppdp.index.csv and, last, schema.json (the folder is complete only once
 * schema.json is there; an older one is removed first). Each file is written to a temporary
 * name and renamed, so a crash or a full disk never leaves a half-written final file.
 */
public final class StoreWriter {

    /** Header of {@code sequences.f32}; see STORE.md. */
    static final byte[] SEQ_MAGIC = "SERSEQ01".getBytes(StandardCharsets.US_ASCII);
    static final int SEQ_HEADER_BYTES = 64;

    static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();

    private StoreWriter() {
    }

    /**
     * One row of the output: a manifest row and where its features are.
     *
     * @param augmentedFrom the original's id for an augmented copy, empty for an original
     */
    public record Item(ManifestRow row, Journal.Entry entry, String augmentedFrom) {

        public Item(ManifestRow row, Journal.Entry entry) {
            this(row, entry, "");
        }

        boolean augmented() {
            return !augmentedFrom.isEmpty();
        }
    }

    public static void write(Path dir, FeatureSchema schema, List<Item> items, Journal journal, OutputFilter filter)
            throws IOException {
        write(dir, schema, items, journal, filter, null);
    }

    /**
     * As {@link #write(Path, FeatureSchema, List, Journal, OutputFilter)}, for a run with audio
     * augmentation: {@code augmentation} (the settings, recorded in schema.json as
     * {@code store.augment}; null without augmentation) adds the index column
     * {@value FeatureStore#AUGMENTED_FROM} and nppdp.augmented.csv. The items must list every
     * original before the first copy.
     */
    public static void write(Path dir, FeatureSchema schema, List<Item> items, Journal journal, OutputFilter filter,
            java.util.Map<String, Object> augmentation) throws IOException {
        boolean seenCopy = false;
        for (Item it : items) {
            if (seenCopy && !it.augmented()) {
                throw new IllegalArgumentException("an original after an augmented copy: " + it.row().id());
            }
            seenCopy |= it.augmented();
        }
        if (seenCopy && augmentation == null) {
            throw new IllegalArgumentException("augmented copies need the augmentation settings");
        }
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(FeatureStore.SCHEMA));
        Files.deleteIfExists(dir.resolve(FeatureStore.NPPDP_AUGMENTED));
        long totalFrames = 0;
        for (Item it : items) {
            totalFrames += it.entry().frames();
        }
        final long frames = totalFrames;
        int columns = schema.frameColumns().size();

        Path seqFile = dir.resolve(FeatureStore.SEQUENCES);
        atomic(seqFile, raw -> {
            OutputStream out = filter.wrap(seqFile, raw);
            out.write(sequenceHeader(schema, columns, items.size(), frames));
            for (Item it : items) {
                journal.copyFrames(it.entry(), out);
            }
            out.flush();
        });

        writeNppdp(dir.resolve(FeatureStore.NPPDP), schema, items, false, journal, filter);
        if (augmentation != null) {
            // The copies' vectors stay out of nppdp.csv, so that a tool reading it alone (and
            // splitting it its own way) never sees a copy of a test utterance.
            writeNppdp(dir.resolve(FeatureStore.NPPDP_AUGMENTED), schema, items, true, journal, filter);
        }

        Path indexFile = dir.resolve(FeatureStore.INDEX);
        atomic(indexFile, raw -> {
            Writer w = new OutputStreamWriter(filter.wrap(indexFile, raw), StandardCharsets.UTF_8);
            CSVPrinter csv = new CSVPrinter(w, CSV);
            List<String> header = new ArrayList<>(FeatureStore.INDEX_COLUMNS);
            if (augmentation != null) {
                header.add(FeatureStore.AUGMENTED_FROM);
            }
            csv.printRecord(header);
            for (Item it : items) {
                ManifestRow r = it.row();
                List<Object> cells = new ArrayList<>(List.of(r.id(), r.location(), r.corpus(), r.speaker(),
                        r.gender().orElse(""), r.emotion().id(), r.emotion().label(), it.entry().frames()));
                if (augmentation != null) {
                    cells.add(it.augmentedFrom());
                }
                csv.printRecord(cells);
            }
            csv.flush();
        });

        ObjectNode json = SchemaJson.node(schema);
        ObjectNode store = json.putObject("store");
        store.put("utterances", items.size());
        store.put("frames", frames);
        store.put("frame_columns", columns);
        store.put("sequence_file", FeatureStore.SEQUENCES);
        store.put("sequence_header_bytes", SEQ_HEADER_BYTES);
        store.put("dtype", "<f4");
        if (augmentation != null) {
            store.set("augment", SchemaJson.MAPPER.valueToTree(augmentation));
            store.put("augmented_utterances", items.stream().filter(Item::augmented).count());
            store.put("augmented_file", FeatureStore.NPPDP_AUGMENTED);
        }
        String text = SchemaJson.pretty(json);
        Path schemaFile = dir.resolve(FeatureStore.SCHEMA);
        atomic(schemaFile, raw -> filter.wrap(schemaFile, raw).write(text.getBytes(StandardCharsets.UTF_8)));
        Journal.syncDirectory(dir);
    }

    /** The header line of nppdp.csv, with its line end. */
    public static String nppdpHeader(FeatureSchema schema) {
        List<String> header = new ArrayList<>(schema.utteranceColumns());
        header.add(FeatureStore.LABEL);
        return CSV.format(header.toArray()) + "\n";
    }

    /** One data line of nppdp.csv, with its line end: exact float32 values, the label last. */
    public static String nppdpLine(float[] utteranceVector, int label) {
        StringBuilder line = new StringBuilder(utteranceVector.length * 12);
        for (float x : utteranceVector) {
            line.append(Float.toString(x)).append(',');
        }
        return line.append(label).append('\n').toString();
    }

    /** An nppdp.csv-format file of the originals' or the augmented copies' utterance vectors. */
    private static void writeNppdp(Path file, FeatureSchema schema, List<Item> items, boolean augmented, Journal journal,
            OutputFilter filter) throws IOException {
        atomic(file, raw -> {
            Writer w = new OutputStreamWriter(filter.wrap(file, raw), StandardCharsets.UTF_8);
            w.write(nppdpHeader(schema));
            for (Item it : items) {
                if (it.augmented() == augmented) {
                    w.write(nppdpLine(journal.utteranceVector(it.entry()), it.row().emotion().label()));
                }
            }
            w.flush();
        });
    }

    private static void atomic(Path file, AtomicFiles.Content content) throws IOException {
        IoFailures.writing(file, () -> AtomicFiles.write(file, content));
    }

    static byte[] sequenceHeader(FeatureSchema schema, int columns, long utterances, long frames) {
        ByteBuffer b = ByteBuffer.allocate(SEQ_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(SEQ_MAGIC).putInt(FeatureSchema.FORMAT_VERSION).putInt(columns).putLong(utterances).putLong(frames)
                .put(HexFormat.of().parseHex(schema.hash()));
        return b.array();
    }
}
