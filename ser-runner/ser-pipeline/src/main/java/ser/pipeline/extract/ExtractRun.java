package ser.pipeline.extract;

import ser.pipeline.store.FeatureSchema;
import ser.pipeline.store.FeatureStore;
import ser.pipeline.util.Progress;
import ser.pipeline.store.StoreWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import ser.api.AudioClip;
import ser.pipeline.BadInputException;
import ser.pipeline.RunFailure;
import ser.pipeline.UsageException;
import ser.pipeline.prepare.ManifestRow;
import ser.pipeline.util.FolderLayout;
import ser.pipeline.util.OutputLock;

/**
 * {@code ser extract}'s engine: decodes every manifest row once, runs the pipeline on a pool of
 * worker threads, commits finished utterances to the journal in chunks, and finally writes the
 * feature folder in manifest order. Output bytes do not depend on the thread count, on chunk
 * boundaries or on interruptions: a re-run after a crash resumes from the journal and writes the
 * same files as an uninterrupted run.
 */
public final class ExtractRun {

    /** Commit the pending utterances when this many are waiting... */
    static final int COMMIT_COUNT = 256;
    /** ...or when they hold this many bytes... */
    static final long COMMIT_BYTES = 16L << 20;
    /** ...or when the oldest has waited this long. */
    static final long COMMIT_NANOS = 5_000_000_000L;

    /** What extract writes into its folder: the store files and its work folder. */
    public static final FolderLayout FEATURES = FolderLayout.of(null,
            java.util.Set.of(FeatureStore.NPPDP, FeatureStore.NPPDP_AUGMENTED, FeatureStore.INDEX, FeatureStore.SEQUENCES,
                    FeatureStore.SCHEMA),
            Map.of(Journal.DIR, FolderLayout.anyFiles()));

    private final FeaturePipeline pipeline;
    private final ClipSource clips;
    private final int threads;
    /** Makes the augmented copies; null without augmentation. */
    private final AudioAugmenter augmenter;
    private OutputFilter filter = OutputFilter.NONE;
    private LongSupplier clock = System::nanoTime;

    /**
     * @param threads worker threads (at least 1)
     */
    public ExtractRun(FeaturePipeline pipeline, ClipSource clips, int threads) {
        this(pipeline, clips, threads, AudioAugmentSettings.OFF);
    }

    /**
     * @param threads  worker threads (at least 1)
     * @param augment  augmented copies written beside each utterance ({@link AudioAugmentSettings#OFF}: none)
     */
    public ExtractRun(FeaturePipeline pipeline, ClipSource clips, int threads, AudioAugmentSettings augment) {
        this.augmenter = augment.enabled() ? new AudioAugmenter(augment) : null;
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.pipeline = pipeline;
        this.clips = clips;
        this.threads = threads;
    }

    private int commitCount = COMMIT_COUNT;

    /** Test hook: wraps every output stream (to simulate a full disk). */
    ExtractRun withOutputFilter(OutputFilter filter) {
        this.filter = filter;
        return this;
    }

    /** Test hook: commit a chunk every {@code n} finished utterances. */
    ExtractRun withCommitCount(int n) {
        this.commitCount = n;
        return this;
    }

    /**
     * What a run did.
     *
     * @param augmented augmented copies written (beside the {@code done} originals)
     */
    public record Summary(int total, int done, int resumed, Map<String, String> skipped, double seconds,
            double audioSeconds, long frames, int augmented) {

        public Summary(int total, int done, int resumed, Map<String, String> skipped, double seconds, double audioSeconds,
                long frames) {
            this(total, done, resumed, skipped, seconds, audioSeconds, frames, 0);
        }

        /** Processing seconds per second of audio extracted in this run (not counting resumed ones). */
        public double realTimeFactor() {
            return audioSeconds > 0 ? seconds / audioSeconds : 0;
        }

        /** Skip counts by kind of reason (the reason up to its first colon). */
        public Map<String, Integer> skipReasons() {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (String reason : skipped.values()) {
                int colon = reason.indexOf(':');
                counts.merge(colon > 0 ? reason.substring(0, colon) : reason, 1, Integer::sum);
            }
            return counts;
        }

        /** Multi-line human summary. */
        public String describe(Path out) {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "extracted %d of %d utterances to %s", done, total, out));
            if (resumed > 0) {
                b.append(String.format(Locale.ROOT, " (%d from an interrupted run)", resumed));
            }
            if (augmented > 0) {
                b.append(String.format(Locale.ROOT, ", and %d augmented copies", augmented));
            }
            b.append('\n');
            b.append(String.format(Locale.ROOT, "  %.1f s for %.1f s of audio: real-time factor %.4f", seconds,
                    audioSeconds, realTimeFactor()));
            if (realTimeFactor() > 0) {
                b.append(String.format(Locale.ROOT, " (%.0fx faster than real time)", 1 / realTimeFactor()));
            }
            b.append('\n');
            if (!skipped.isEmpty()) {
                b.append("  skipped ").append(skipped.size()).append(':');
                skipReasons().forEach((reason, n) -> b.append(' ').append(reason).append(" ").append(n).append(','));
                b.setLength(b.length() - 1);
                b.append(" (listed above)\n");
            }
            return b.toString();
        }
    }

    /** @param copies the augmented copies, in copy order */
    private record Outcome(int index, Extraction extraction, double audioSeconds, String problem, List<Copy> copies) {

        Outcome(int index, Extraction extraction, double audioSeconds, String problem) {
            this(index, extraction, audioSeconds, problem, List.of());
        }
    }

    /** One augmented copy's features, or (extraction null) why it has none. */
    private record Copy(Extraction extraction, String problem) {
    }

    private int copies() {
        return augmenter == null ? 0 : augmenter.settings().copies();
    }

    /** The manifest row of copy {@code copy} (1-based) of {@code row}: its id, everything else the original's. */
    private static ManifestRow copyRow(ManifestRow row, int copy) {
        return new ManifestRow(AudioAugmenter.copyId(row.id(), copy), row.location(), row.corpus(), row.speaker(), row.gender(),
                row.sourceLabel(), row.emotion(), row.durationSeconds(), row.sampleRate());
    }

    /** Whether the journal holds {@code row} and all its copies (a copy that failed is tried again on resume). */
    private boolean done(Journal journal, ManifestRow row) {
        if (journal.find(row.id(), row.location()) == null) {
            return false;
        }
        for (int c = 1; c <= copies(); c++) {
            if (journal.find(AudioAugmenter.copyId(row.id(), c), row.location()) == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Extracts {@code rows} into {@code out}.
     *
     * @param progress reports per file; skipped files are printed through it as {@code path: reason}
     * @return the summary; the feature folder is written only if at least one utterance succeeded
     * @throws RunFailure when writing fails (the message says "disk full" when it is), when no
     *                    utterance could be extracted, or when another run is writing to {@code out}
     * @throws UsageException when {@code out} holds files extract did not write
     */
    public Summary run(List<ManifestRow> rows, Path out, Progress progress) {
        // The lock keeps a second run from resuming, or assembling from, this run's live journal.
        try (OutputLock lock = OutputLock.acquire(out, "ser extract")) {
            if (java.nio.file.Files.exists(out) && !java.nio.file.Files.isDirectory(out)) {
                throw new UsageException(out + ": exists and is not a folder; refusing to write features there");
            }
            FEATURES.foreign(out).ifPresent(foreign -> {
                throw new UsageException(out + ": holds " + foreign + ", which ser extract did not write; refusing to"
                        + " write features into it (choose an empty or a features folder)");
            });
            return runLocked(rows, out, progress);
        }
    }

    private Summary runLocked(List<ManifestRow> rows, Path out, Progress progress) {
        long start = clock.getAsLong();
        FeatureSchema schema = pipeline.schema();
        Journal journal;
        try {
            journal = Journal.open(out, schema, augmenter == null ? "" : augmentationJson(), filter, progress::message);
        } catch (IOException e) {
            throw IoFailures.failure(out.resolve(Journal.DIR), e, out);
        }
        try (journal) {
            List<Integer> todo = new ArrayList<>();
            int resumed = 0;
            for (int i = 0; i < rows.size(); i++) {
                ManifestRow r = rows.get(i);
                if (done(journal, r)) {
                    resumed++;
                } else {
                    todo.add(i);
                }
            }
            if (resumed > 0) {
                progress.message("resuming: " + resumed + " of " + rows.size() + " utterances were done by an interrupted run");
                progress.skipAhead(resumed);
            }
            Map<String, String> skipped = new LinkedHashMap<>();
            double[] audio = new double[1];
            long[] frames = new long[1];
            process(rows, todo, journal, progress, skipped, audio, frames);

            List<StoreWriter.Item> items = new ArrayList<>();
            for (ManifestRow r : rows) {
                Journal.Entry e = journal.find(r.id(), r.location());
                if (e != null) {
                    items.add(new StoreWriter.Item(r, e));
                }
            }
            // Copies after all originals: nppdp.csv holds the originals, in manifest order, as without augmentation.
            for (ManifestRow r : rows) {
                if (journal.find(r.id(), r.location()) == null) {
                    continue;
                }
                for (int c = 1; c <= copies(); c++) {
                    ManifestRow copy = copyRow(r, c);
                    Journal.Entry e = journal.find(copy.id(), copy.location());
                    if (e != null) {
                        items.add(new StoreWriter.Item(copy, e, r.id()));
                    }
                }
            }
            progress.finish();
            if (items.isEmpty()) {
                throw new RunFailure("no utterance could be extracted (" + skipped.size() + " of " + rows.size()
                        + " skipped); nothing written to " + out);
            }
            try {
                journal.verify(items.stream().map(StoreWriter.Item::entry).toList());
                StoreWriter.write(out, schema, items, journal, filter,
                        augmenter == null ? null : augmenter.settings().describe());
            } catch (IOException e) {
                throw IoFailures.failure(out, e, out);
            }
            try {
                journal.delete();
            } catch (IOException e) {
                progress.message(out.resolve(Journal.DIR) + ": could not remove the work folder: " + e.getMessage());
            }
            double seconds = (clock.getAsLong() - start) / 1e9;
            int originals = (int) items.stream().filter(it -> it.augmentedFrom().isEmpty()).count();
            return new Summary(rows.size(), originals, resumed, skipped, seconds, audio[0], frames[0], items.size() - originals);
        } catch (IOException e) {
            throw IoFailures.failure(out.resolve(Journal.DIR), e, out);
        }
    }

    private void process(List<ManifestRow> rows, List<Integer> todo, Journal journal, Progress progress,
            Map<String, String> skipped, double[] audio, long[] frames) throws IOException {
        if (todo.isEmpty()) {
            return;
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ser-extract-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            CompletionService<Outcome> results = new ExecutorCompletionService<>(pool);
            int window = threads * 4;
            int next = 0;
            int inFlight = 0;
            List<Journal.Done> pending = new ArrayList<>();
            long pendingBytes = 0;
            long pendingSince = 0;
            while (next < todo.size() && inFlight < window) {
                submit(results, rows, todo.get(next++));
                inFlight++;
            }
            while (inFlight > 0) {
                Outcome o = take(results);
                inFlight--;
                if (next < todo.size()) {
                    submit(results, rows, todo.get(next++));
                    inFlight++;
                }
                ManifestRow row = rows.get(o.index());
                if (o.problem() != null) {
                    skipped.put(row.location(), o.problem());
                    progress.message(row.location() + ": " + o.problem());
                } else {
                    if (pending.isEmpty()) {
                        pendingSince = clock.getAsLong();
                    }
                    Journal.Done done = new Journal.Done(row.id(), row.location(), o.extraction());
                    pending.add(done);
                    pendingBytes += done.bytes();
                    for (int c = 0; c < o.copies().size(); c++) {
                        String copyId = AudioAugmenter.copyId(row.id(), c + 1);
                        Copy made = o.copies().get(c);
                        if (made.extraction() == null) {
                            progress.message(row.location() + " (copy " + copyId + "): " + made.problem());
                            continue;
                        }
                        Journal.Done copy = new Journal.Done(copyId, row.location(), made.extraction());
                        pending.add(copy);
                        pendingBytes += copy.bytes();
                    }
                    audio[0] += o.audioSeconds();
                    frames[0] += o.extraction().frames().length;
                }
                progress.advance(1, o.audioSeconds());
                boolean last = inFlight == 0;
                if (!pending.isEmpty() && (last || pending.size() >= commitCount || pendingBytes >= COMMIT_BYTES
                        || clock.getAsLong() - pendingSince >= COMMIT_NANOS)) {
                    journal.commit(pending);
                    pending = new ArrayList<>();
                    pendingBytes = 0;
                }
            }
        } finally {
            pool.shutdownNow();
            awaitWorkers(pool);
        }
    }

    /** After a failure, lets the workers finish the clip in hand (they write nothing) before returning. */
    private static void awaitWorkers(ExecutorService pool) {
        try {
            pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void submit(CompletionService<Outcome> results, List<ManifestRow> rows, int index) {
        ManifestRow row = rows.get(index);
        results.submit(() -> {
            try {
                AudioClip clip = clips.load(row.location());
                Extraction x = pipeline.extract(clip, row.location());
                if (augmenter == null) {
                    return new Outcome(index, x, clip.durationSeconds(), null);
                }
                List<Copy> copies = new ArrayList<>();
                for (int c = 1; c <= copies(); c++) {
                    try {
                        copies.add(new Copy(pipeline.extract(augmenter.copy(clip, row.id(), c).clip(), row.location()), null));
                    } catch (BadInputException e) {
                        copies.add(new Copy(null, e.problem()));
                    }
                }
                return new Outcome(index, x, clip.durationSeconds(), null, copies);
            } catch (BadInputException e) {
                return new Outcome(index, null, 0, e.problem());
            } catch (RuntimeException e) {
                return new Outcome(index, null, 0, FeaturePipeline.describe(e));
            } catch (OutOfMemoryError e) {
                return new Outcome(index, null, 0, FeaturePipeline.outOfMemory("heap for " + threads + " worker(s)",
                        "raise -Xmx via JAVA_OPTS, lower --threads"));
            }
        });
    }

    /** The augmentation settings as the journal records them, to recognize a journal of the same run. */
    private String augmentationJson() {
        return augmenter.settings().describe().toString();
    }

    private static Outcome take(CompletionService<Outcome> results) {
        Future<Outcome> f;
        try {
            f = results.take();
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailure("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error err) {
                throw err;
            }
            throw new RunFailure("extraction failed: " + FeaturePipeline.describe(cause), cause);
        }
    }
}
