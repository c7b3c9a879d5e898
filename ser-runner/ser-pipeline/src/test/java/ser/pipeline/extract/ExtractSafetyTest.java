package ser.pipeline.extract;

import ser.pipeline.store.FeatureStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.pipeline.RunFailure;
import ser.pipeline.UsageException;
import ser.pipeline.prepare.ManifestRow;
import ser.pipeline.util.OutputLock;

/** Extraction never assembles features it did not verify and never writes into a folder it does not own. */
class ExtractSafetyTest {

    @TempDir
    Path tmp;

    @AfterEach
    void reset() {
        TestExtractors.reset();
    }

    @Test
    void aChunkReplacedBeforeAssemblyIsDetectedAndNothingIsAssembled() {
        List<ManifestRow> rows = Fixtures.goodRows(9);
        Path out = tmp.resolve("out");
        Path partial = out.resolve(Journal.DIR);
        String last = rows.get(rows.size() - 1).location();
        // While the last clip loads, chunks 0 and 1 (3 utterances each) swap places, as when
        // another process renames its own chunk over ours: valid files, wrong contents.
        ClipSource swapping = location -> {
            if (location.equals(last)) {
                try {
                    Path a = partial.resolve("chunk-000000.bin");
                    Path b = partial.resolve("chunk-000001.bin");
                    Path t = partial.resolve("swap");
                    Files.move(a, t);
                    Files.move(b, a);
                    Files.move(t, b);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return Fixtures.clip(location);
        };
        ExtractRun run = new ExtractRun(Fixtures.pipeline(), swapping, 1).withCommitCount(3);
        assertThatThrownBy(() -> run.run(rows, out, new Fixtures.Capture().progress))
                .isInstanceOf(RunFailure.class)
                .hasMessageContaining("chunk-00000")
                .hasMessageContaining("changed since this run wrote or read it")
                .hasMessageContaining("nothing was assembled");
        assertThat(out.resolve(FeatureStore.NPPDP)).doesNotExist();
        assertThat(out.resolve(FeatureStore.SEQUENCES)).doesNotExist();
        assertThat(OutputLock.lockFile(out)).doesNotExist();
    }

    @Test
    void aFolderHoldingOtherFilesIsRefusedAndKept(@TempDir Path dir) throws IOException {
        Path out = Files.createDirectories(dir.resolve("notes"));
        Files.writeString(out.resolve("schema.json"), "{}");
        Files.writeString(out.resolve("thesis.tex"), "keep me");
        assertThatThrownBy(() -> Fixtures.extract(Fixtures.goodRows(2), out, 1))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining(out + ": holds thesis.tex, which ser extract did not write");
        assertThat(out.resolve("thesis.tex")).hasContent("keep me");
        assertThat(out.resolve("schema.json")).hasContent("{}");
    }

    @Test
    void aFolderInUseIsRefusedNamingTheHolder() {
        Path out = tmp.resolve("busy");
        try (OutputLock held = OutputLock.acquire(out, "ser extract")) {
            assertThatThrownBy(() -> Fixtures.extract(Fixtures.goodRows(2), out, 1))
                    .isInstanceOf(OutputLock.OutputBusyException.class)
                    .hasMessageStartingWith(out + ": in use by another ser run (")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
        assertThat(Fixtures.extract(Fixtures.goodRows(2), out, 1).done()).isEqualTo(2);
    }

    @Test
    void aLockLeftByAKilledRunDoesNotBlock() throws IOException {
        Path out = tmp.resolve("after-kill");
        // What a SIGKILLed run leaves: the file, but no lock (the OS dropped it with the process).
        Files.writeString(OutputLock.lockFile(out), "0000 pid 1 on elsewhere, started 2020-01-01T00:00:00Z, ser extract\n");
        assertThat(Fixtures.extract(Fixtures.goodRows(2), out, 1).done()).isEqualTo(2);
        assertThat(OutputLock.lockFile(out)).doesNotExist();
    }

    @Test
    void anOutOfMemoryErrorOnOneFileIsReportedForThatFileAndTheRunGoesOn() throws IOException {
        List<ManifestRow> rows = Fixtures.goodRows(4);
        String hungry = rows.get(1).location();
        ClipSource source = location -> {
            if (location.equals(hungry)) {
                throw new OutOfMemoryError("Java heap space");
            }
            return Fixtures.clip(location);
        };
        Fixtures.Capture log = new Fixtures.Capture();
        ExtractRun.Summary s = new ExtractRun(Fixtures.pipeline(), source, 2).run(rows, tmp.resolve("oom"), log.progress);
        assertThat(s.done()).isEqualTo(3);
        assertThat(s.skipped()).containsOnlyKeys(hungry);
        assertThat(log.toString()).contains(hungry + ": out of memory: ").contains("raise -Xmx via JAVA_OPTS");
        assertThat(s.describe(tmp)).contains("skipped 1: out of memory 1");
    }

    @Test
    void threadCountsAreCappedAtTwiceTheCores() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(ExtractJob.workerThreads(100_000)).isEqualTo(2 * cores);
        assertThat(ExtractJob.workerThreads(0)).isEqualTo(cores);
        assertThat(ExtractJob.workerThreads(1)).isEqualTo(1);
    }
}
