package ser.pipeline.extract;

import ser.pipeline.store.FeatureSchema;
import ser.pipeline.store.FeatureSet;
import ser.pipeline.store.FeatureStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.pipeline.RunFailure;
import ser.pipeline.prepare.ManifestRow;

class ExtractRunTest {

    @TempDir
    Path tmp;

    @AfterEach
    void reset() {
        TestExtractors.reset();
    }

    private static List<CSVRecord> csv(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            return p.getRecords();
        }
    }

    private static List<String> header(Path file) throws IOException {
        return List.of(Files.readAllLines(file).get(0).split(","));
    }

    @Test
    void writesNppdpIndexSequencesAndSchema() throws IOException {
        List<ManifestRow> rows = Fixtures.goodRows(5);
        Path out = tmp.resolve("features");
        ExtractRun.Summary summary = Fixtures.extract(rows, out, 2);
        assertThat(summary.done()).isEqualTo(5);
        assertThat(summary.skipped()).isEmpty();
        assertThat(out.resolve(Journal.DIR)).doesNotExist();
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("nppdp.csv", "nppdp.index.csv",
                    "sequences.f32", "schema.json");
        }
        FeaturePipeline pipeline = Fixtures.pipeline();
        FeatureSchema schema = pipeline.schema();

        // nppdp.csv: the features, then emotion_label last; plain comma CSV, no index column.
        Path nppdp = out.resolve("nppdp.csv");
        List<String> header = header(nppdp);
        assertThat(header.subList(0, header.size() - 1)).isEqualTo(schema.utteranceColumns());
        assertThat(header.get(header.size() - 1)).isEqualTo("emotion_label");
        List<CSVRecord> records = csv(nppdp);
        assertThat(records).hasSize(5);
        assertThat(Files.readString(nppdp)).doesNotContain("\r").endsWith("\n");
        for (int i = 0; i < 5; i++) {
            CSVRecord r = records.get(i);
            assertThat(r.get("emotion_label")).isEqualTo(Integer.toString(rows.get(i).emotion().label()));
            Extraction direct = pipeline.extract(Fixtures.clip(rows.get(i).location()));
            for (int c = 0; c < schema.utteranceColumns().size(); c++) {
                // The printed text parses back to the very same float32.
                assertThat(Float.parseFloat(r.get(c))).isEqualTo(direct.utteranceVector()[c]);
            }
        }

        // nppdp.index.csv: row-aligned with nppdp.csv.
        Path index = out.resolve("nppdp.index.csv");
        assertThat(header(index)).containsExactly("id", "path", "corpus", "speaker", "gender", "emotion", "emotion_label",
                "frames");
        List<CSVRecord> idx = csv(index);
        assertThat(idx).extracting(r -> r.get("id")).containsExactlyElementsOf(rows.stream().map(ManifestRow::id).toList());
        assertThat(idx.get(0).get("gender")).isEqualTo("female");
        assertThat(idx.get(1).get("gender")).isEmpty();
        assertThat(idx.get(2).get("emotion")).isEqualTo("sad");

        // The store reads back exactly what the pipeline computes.
        FeatureSet set = FeatureStore.open(out);
        assertThat(set.schema()).isEqualTo(schema);
        assertThat(set.utterances()).hasSize(5);
        assertThat(set.utterances().get(3).emotion()).isEqualTo(rows.get(3).emotion());
        assertThat(set.utterances().get(3).location()).isEqualTo("ok/3");
        long frames = 0;
        for (int i = 0; i < 5; i++) {
            Extraction direct = pipeline.extract(Fixtures.clip(rows.get(i).location()));
            assertThat(set.sequence(i)).isDeepEqualTo(direct.frames());
            assertThat(set.utteranceVector(i)).containsExactly(direct.utteranceVector());
            assertThat(idx.get(i).get("frames")).isEqualTo(Integer.toString(direct.frames().length));
            frames += direct.frames().length;
        }
        assertThat(summary.frames()).isEqualTo(frames);
        assertThat(Files.size(out.resolve("sequences.f32"))).isEqualTo(64 + 4 * 3 * frames);
    }

    @Test
    void badFilesAreSkippedCountedAndReported() throws IOException {
        List<ManifestRow> rows = Fixtures.rows("ok/1", "missing/a.wav", "ok/2", "short/3", "empty/b.wav", "nan/4",
                "crash/5", "ok/6");
        Fixtures.Capture log = new Fixtures.Capture();
        Path out = tmp.resolve("f");
        ExtractRun.Summary s = new ExtractRun(Fixtures.pipeline(), Fixtures::clip, 2).run(rows, out, log.progress);
        assertThat(s.done()).isEqualTo(3);
        assertThat(s.total()).isEqualTo(8);
        assertThat(s.skipped()).containsOnlyKeys("missing/a.wav", "short/3", "empty/b.wav", "nan/4", "crash/5");
        assertThat(s.skipReasons()).containsEntry("too short", 1).containsEntry("no such file", 1);
        assertThat(log.toString())
                .contains("missing/a.wav: no such file\n")
                .contains("short/3: too short: 0.019 s")
                .contains("nan/4: extractor 'test-zcr' gave NaN")
                .contains("crash/5: extractor 'test-zcr' failed: IllegalStateException");
        assertThat(s.describe(out)).contains("extracted 3 of 8 utterances").contains("skipped 5:")
                .contains("real-time factor");
        assertThat(csv(out.resolve("nppdp.index.csv"))).extracting(r -> r.get("path")).containsExactly("ok/1", "ok/2", "ok/6");
        assertThat(FeatureStore.open(out).utterances()).hasSize(3);
    }

    @Test
    void allBadIsAFailureAndWritesNothing() {
        Path out = tmp.resolve("f");
        assertThatThrownBy(() -> Fixtures.extract(Fixtures.rows("missing/a", "short/1"), out, 1))
                .isInstanceOf(RunFailure.class)
                .hasMessageContaining("no utterance could be extracted (2 of 2 skipped)");
        assertThat(out.resolve("nppdp.csv")).doesNotExist();
    }

    @Test
    void parallelOutputEqualsSingleThreadOutput() throws IOException {
        List<ManifestRow> rows = Fixtures.rows("ok/1", "ok/2", "short/1", "ok/3", "ok/4", "ok/5", "ok/6", "ok/7", "ok/8",
                "ok/9", "ok/10", "ok/11");
        Fixtures.extract(rows, tmp.resolve("one"), 1);
        Fixtures.extract(rows, tmp.resolve("three"), 3);
        assertSameFiles(tmp.resolve("one"), tmp.resolve("three"));
    }

    private static void assertSameFiles(Path a, Path b) throws IOException {
        TreeMap<String, byte[]> fa = Fixtures.files(a);
        TreeMap<String, byte[]> fb = Fixtures.files(b);
        assertThat(fb.keySet()).isEqualTo(fa.keySet());
        for (Map.Entry<String, byte[]> e : fa.entrySet()) {
            assertThat(fb.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void resumeAfterAKillGivesIdenticalBytes() throws IOException {
        List<ManifestRow> rows = new ArrayList<>(Fixtures.goodRows(14));
        rows.add(4, Fixtures.row("missing/x.wav", 99));
        Path clean = tmp.resolve("clean");
        Fixtures.extract(rows, clean, 2);

        Path out = tmp.resolve("killed");
        TestExtractors.KILL_AFTER.set(8);
        ExtractRun killed = new ExtractRun(Fixtures.pipeline(), Fixtures::clip, 2).withCommitCount(3);
        assertThatThrownBy(() -> killed.run(rows, out, new Fixtures.Capture().progress))
                .isInstanceOf(TestExtractors.SimulatedKill.class);
        assertThat(out.resolve("nppdp.csv")).doesNotExist();
        Path partial = out.resolve(Journal.DIR);
        long chunks;
        try (Stream<Path> files = Files.list(partial)) {
            chunks = files.filter(p -> p.getFileName().toString().endsWith(".bin")).count();
        }
        assertThat(chunks).isBetween(1L, 3L);
        // A kill in the middle of writing a chunk leaves a temporary file behind.
        Files.write(partial.resolve("chunk-000099.bin.tmp"), new byte[] {1, 2, 3});

        TestExtractors.reset();
        Fixtures.Capture log = new Fixtures.Capture();
        ExtractRun.Summary s = new ExtractRun(Fixtures.pipeline(), Fixtures::clip, 2).withCommitCount(3)
                .run(rows, out, log.progress);
        assertThat(s.resumed()).isBetween(3, 8);
        assertThat(TestExtractors.CALLS.get()).isEqualTo(14 - s.resumed());
        assertThat(log.toString()).contains("resuming: " + s.resumed() + " of 15");
        assertThat(s.describe(out)).contains("(" + s.resumed() + " from an interrupted run)");
        assertThat(partial).doesNotExist();
        assertSameFiles(clean, out);
    }

    @Test
    void damagedChunksAreRedone() throws IOException {
        List<ManifestRow> rows = Fixtures.goodRows(9);
        Path clean = tmp.resolve("clean");
        Fixtures.extract(rows, clean, 1);
        Path out = tmp.resolve("out");
        TestExtractors.KILL_AFTER.set(7);
        assertThatThrownBy(() -> new ExtractRun(Fixtures.pipeline(), Fixtures::clip, 1).withCommitCount(3)
                .run(rows, out, new Fixtures.Capture().progress)).isInstanceOf(TestExtractors.SimulatedKill.class);
        Path first = out.resolve(Journal.DIR).resolve("chunk-000000.bin");
        byte[] bytes = Files.readAllBytes(first);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(first, bytes);

        TestExtractors.reset();
        Fixtures.Capture log = new Fixtures.Capture();
        ExtractRun.Summary s = new ExtractRun(Fixtures.pipeline(), Fixtures::clip, 1).withCommitCount(3)
                .run(rows, out, log.progress);
        assertThat(log.toString()).contains("chunk-000000.bin: damaged (checksum mismatch)");
        assertThat(s.resumed()).isEqualTo(3);
        assertSameFiles(clean, out);
    }

    @Test
    void aJournalOfAnotherSchemaIsDiscarded() throws IOException {
        List<ManifestRow> rows = Fixtures.goodRows(6);
        Path out = tmp.resolve("out");
        FeaturePipeline other = FeaturePipeline.fromConfig(Fixtures.config("ser.extract.functionals = [median]"),
                Fixtures.plugins());
        TestExtractors.KILL_AFTER.set(4);
        assertThatThrownBy(() -> new ExtractRun(other, Fixtures::clip, 1).withCommitCount(2)
                .run(rows, out, new Fixtures.Capture().progress)).isInstanceOf(TestExtractors.SimulatedKill.class);
        TestExtractors.reset();

        Fixtures.Capture log = new Fixtures.Capture();
        ExtractRun.Summary s = new ExtractRun(Fixtures.pipeline(), Fixtures::clip, 1).run(rows, out, log.progress);
        assertThat(log.toString()).contains("left by an interrupted run with another feature schema (hash "
                + other.schema().hash() + ", now " + Fixtures.pipeline().schema().hash() + "); discarding it and starting over");
        assertThat(s.resumed()).isZero();
        Path clean = tmp.resolve("clean");
        Fixtures.extract(rows, clean, 1);
        assertSameFiles(clean, out);
    }

    /** Fails writes to one file after a few bytes, as a full disk does. */
    private static OutputFilter diskFullAt(String fileName, int bytes) {
        return (file, out) -> !file.getFileName().toString().equals(fileName) ? out : new OutputStream() {
            int written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written + len > bytes) {
                    throw new IOException("No space left on device");
                }
                written += len;
                out.write(b, off, len);
            }
        };
    }

    @Test
    void diskFullWhileWritingAFinalFileLeavesNoPartialFile() throws IOException {
        List<ManifestRow> rows = Fixtures.goodRows(4);
        Path out = tmp.resolve("out");
        ExtractRun run = new ExtractRun(Fixtures.pipeline(), Fixtures::clip, 2).withOutputFilter(diskFullAt("nppdp.csv", 700));
        assertThatThrownBy(() -> run.run(rows, out, new Fixtures.Capture().progress))
                .isInstanceOf(RunFailure.class)
                .hasMessageContaining(out.resolve("nppdp.csv") + ": cannot write: disk full (No space left on device)")
                .hasMessageContaining("run again to continue");
        try (Stream<Path> files = Files.list(out)) {
            // Only the journal and the sequence file written before nppdp.csv; no temporary or half file.
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(Journal.DIR, "sequences.f32");
        }
        assertThatThrownBy(() -> FeatureStore.open(out)).hasMessageContaining("schema.json: missing (an extraction was interrupted");

        // Space freed: the re-run resumes and finishes with the same bytes as a clean run.
        ExtractRun.Summary s = Fixtures.extract(rows, out, 2);
        assertThat(s.resumed()).isEqualTo(4);
        Path clean = tmp.resolve("clean");
        Fixtures.extract(rows, clean, 1);
        assertSameFiles(clean, out);
    }

    @Test
    void diskFullWhileCommittingAChunk() throws IOException {
        Path out = tmp.resolve("out");
        ExtractRun run = new ExtractRun(Fixtures.pipeline(), Fixtures::clip, 1).withCommitCount(2)
                .withOutputFilter(diskFullAt("chunk-000000.bin", 100));
        assertThatThrownBy(() -> run.run(Fixtures.goodRows(3), out, new Fixtures.Capture().progress))
                .isInstanceOf(RunFailure.class)
                .hasMessageContaining("chunk-000000.bin: cannot write: disk full");
        try (Stream<Path> files = Files.list(out.resolve(Journal.DIR))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("schema.json");
        }
        assertThat(out.resolve("nppdp.csv")).doesNotExist();
    }
}
