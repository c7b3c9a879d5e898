package ser.pipeline.extract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import ser.pipeline.RunFailure;
import ser.pipeline.UsageException;
import ser.pipeline.prepare.ManifestRow;
import ser.pipeline.store.FeatureSchema;
import ser.pipeline.store.StoreWriter;
import ser.pipeline.util.OutputLock;

/**
 * Writes a feature folder from extractions computed elsewhere (e.g. on a Spark cluster), through
 * the same journal and store writer as {@code ser extract}: utterances are committed to the
 * journal in chunks as they arrive (bounded memory), and {@link #finish} writes the final files in
 * the order they were added. Added in the manifest's order, the folder is byte-identical to the
 * one {@code ser extract} writes for the same features. Holds the output lock until closed.
 */
public final class FeatureFolderWriter implements AutoCloseable {

    private final Path out;
    private final FeatureSchema schema;
    private final OutputLock lock;
    private final Journal journal;
    private final List<ManifestRow> rows = new ArrayList<>();
    private List<Journal.Done> pending = new ArrayList<>();
    private long pendingBytes;

    private FeatureFolderWriter(Path out, FeatureSchema schema, OutputLock lock, Journal journal) {
        this.out = out;
        this.schema = schema;
        this.lock = lock;
        this.journal = journal;
    }

    /**
     * Opens {@code out} for writing features of {@code schema}.
     *
     * @param command named in the lock file, e.g. {@code ser spark export}
     * @throws UsageException when {@code out} is a file or holds files that ser extract does not write
     * @throws RunFailure     when another run holds {@code out}, or the journal cannot be written
     */
    public static FeatureFolderWriter open(Path out, FeatureSchema schema, String command, Consumer<String> notices) {
        OutputLock lock = OutputLock.acquire(out, command);
        try {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new UsageException(out + ": exists and is not a folder; refusing to write features there");
            }
            ExtractRun.FEATURES.foreign(out).ifPresent(foreign -> {
                throw new UsageException(out + ": holds " + foreign + ", which " + command + " did not write; refusing"
                        + " to write features into it (choose an empty or a features folder)");
            });
            try {
                return new FeatureFolderWriter(out, schema, lock, Journal.open(out, schema, OutputFilter.NONE, notices));
            } catch (IOException e) {
                throw IoFailures.failure(out.resolve(Journal.DIR), e, out);
            }
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Adds one utterance (its row's id must be new); commits a chunk when enough are waiting. */
    public void add(ManifestRow row, Extraction extraction) {
        rows.add(row);
        if (journal.find(row.id(), row.location()) != null) {
            return; // committed by an interrupted run with the same schema
        }
        Journal.Done done = new Journal.Done(row.id(), row.location(), extraction);
        pending.add(done);
        pendingBytes += done.bytes();
        if (pending.size() >= ExtractRun.COMMIT_COUNT || pendingBytes >= ExtractRun.COMMIT_BYTES) {
            commit();
        }
    }

    private void commit() {
        try {
            journal.commit(pending);
        } catch (IOException e) {
            throw IoFailures.failure(out.resolve(Journal.DIR), e, out);
        }
        pending = new ArrayList<>();
        pendingBytes = 0;
    }

    /**
     * Writes the final files in the order utterances were added and removes the journal.
     *
     * @return the number of utterances written
     * @throws RunFailure when nothing was added or a write fails
     */
    public int finish() {
        commit();
        if (rows.isEmpty()) {
            throw new RunFailure("no utterance to write; nothing written to " + out);
        }
        List<StoreWriter.Item> items = new ArrayList<>(rows.size());
        for (ManifestRow r : rows) {
            items.add(new StoreWriter.Item(r, journal.find(r.id(), r.location())));
        }
        try {
            journal.verify(items.stream().map(StoreWriter.Item::entry).toList());
            StoreWriter.write(out, schema, items, journal, OutputFilter.NONE);
            journal.delete();
        } catch (IOException e) {
            throw IoFailures.failure(out, e, out);
        }
        return items.size();
    }

    @Override
    public void close() {
        try {
            journal.close();
        } catch (IOException e) {
            // Read channels only; nothing of the output depends on closing them.
        } finally {
            lock.close();
        }
    }
}
