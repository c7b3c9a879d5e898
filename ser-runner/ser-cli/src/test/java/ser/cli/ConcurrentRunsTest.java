package ser.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import ser.pipeline.util.OutputLock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.api.Emotion;
import ser.pipeline.audio.TestWav;
import ser.pipeline.prepare.Manifest;
import ser.pipeline.prepare.ManifestRow;

/**
 * Two {@code ser extract} processes started at once into one folder: exactly one proceeds, the
 * other exits 1 with one line naming the folder and the first process; the survivor's output is
 * the same as a lone run's. One manifest row is a FIFO, so the run that wins the lock blocks on
 * it until the test has seen the other one give up: the overlap is certain, not a race.
 */
class ConcurrentRunsTest {

    private static final List<String> SETTINGS = List.of("--set", "ser.extract.extractors=[energy, spectral]",
            "--set", "ser.extract.threads=1");

    @TempDir
    Path root;

    @Test
    void twoExtractsIntoOneFolderOneProceedsTheOtherRefuses() throws Exception {
        Path fifo = root.resolve("audio/slow.wav");
        Files.createDirectories(fifo.getParent());
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeThat(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).as("mkfifo available").isTrue();
        byte[] slowWav = TestWav.pcm(16, 16000, TestWav.sine(300, 16000, 0.7, 0.3)).bytes();
        Path copy = root.resolve("audio/slow-copy.wav");
        Files.write(copy, slowWav);

        List<ManifestRow> rows = new ArrayList<>();
        for (Emotion e : Emotion.values()) {
            Path wav = root.resolve("audio/" + e.id() + ".wav");
            Files.write(wav, TestWav.pcm(16, 16000, TestWav.sine(150 + 40 * e.index(), 16000, 0.5, 0.2)).bytes());
            rows.add(row(e.id(), wav, e));
        }
        List<ManifestRow> withFifo = new ArrayList<>(rows);
        withFifo.add(2, row("slow", fifo, Emotion.SAD));
        List<ManifestRow> withCopy = new ArrayList<>(rows);
        withCopy.add(2, row("slow", copy, Emotion.SAD));
        Path manifest = root.resolve("manifest.csv");
        Manifest.write(manifest, withFifo);
        Path reference = root.resolve("reference.csv");
        Manifest.write(reference, withCopy);

        Path out = root.resolve("features");
        Process a = null;
        Process b = null;
        try {
            a = start("a", "extract", "--manifest", manifest.toString(), "--out", out.toString());
            b = start("b", "extract", "--manifest", manifest.toString(), "--out", out.toString());
            Process loser = null;
            for (int i = 0; i < 600 && loser == null; i++) {
                loser = !a.isAlive() ? a : !b.isAlive() ? b : null;
                Thread.sleep(50);
            }
            if (loser == null) {
                String logs = log("a") + "\n---\n" + log("b");
                throw new AssertionError("neither run gave up:\n" + logs);
            }
            Process winner = loser == a ? b : a;
            assertThat(winner.isAlive()).as("the other still runs (blocked on the FIFO)").isTrue();
            assertThat(loser.exitValue()).isEqualTo(ExitCodes.RUN_FAILURE);
            String refusal = log(loser == a ? "a" : "b");
            assertThat(refusal.strip()).startsWith("ser extract: " + out + ": in use by another ser run (pid " + winner.pid()
                    + " on ").contains(", ser extract); wait for it to finish or choose another output")
                    .doesNotContain("\n");

            CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> {
                try {
                    Files.write(fifo, slowWav);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(winner.waitFor(3, TimeUnit.MINUTES)).isTrue();
            feed.get(10, TimeUnit.SECONDS);
            assertThat(winner.exitValue()).as(log(loser == a ? "b" : "a")).isZero();
            assertThat(log(loser == a ? "b" : "a")).contains("extracted 9 of 9 utterances");
        } finally {
            for (Process p : new Process[] {a, b}) {
                if (p != null && p.isAlive()) {
                    p.destroyForcibly().waitFor();
                }
            }
        }

        Path lone = root.resolve("lone");
        List<String> args = new ArrayList<>(List.of("extract", "--manifest", reference.toString(), "--out", lone.toString()));
        args.addAll(SETTINGS);
        CliRun alone = CliRun.of(args.toArray(String[]::new));
        assertThat(alone.exitCode()).as(alone.err()).isZero();
        for (String name : List.of("nppdp.csv", "sequences.f32")) {
            assertThat(Files.readAllBytes(out.resolve(name))).as(name).isEqualTo(Files.readAllBytes(lone.resolve(name)));
        }
        assertThat(Files.readAllLines(out.resolve("nppdp.index.csv"))).hasSize(10);
        assertThat(root.resolve(".features.lock")).doesNotExist();
    }

    @Test
    void aDemoRefusesAnOutputFolderAnotherRunHolds() {
        Path out = root.resolve("demo");
        try (OutputLock held = OutputLock.acquire(out, "a test")) {
            CliRun run = CliRun.of("demo", "--out", out.toString());
            assertThat(run.exitCode()).isEqualTo(ExitCodes.RUN_FAILURE);
            assertThat(run.err().strip()).startsWith("ser demo: " + out + ": in use by another ser run").doesNotContain("\n");
        }
        assertThat(out).doesNotExist();
    }

    private static ManifestRow row(String id, Path wav, Emotion e) {
        return new ManifestRow("c/" + id, wav.toString(), "c", "s" + e.index() % 2, Optional.empty(), e.id(), e, 0.5, 16000);
    }

    private String log(String name) throws IOException {
        return Files.readString(root.resolve("child-" + name + ".log"));
    }

    private Process start(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "ser.cli.Main"));
        command.addAll(List.of(args));
        command.addAll(SETTINGS);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(root.resolve("child-" + name + ".log").toFile()).start();
    }
}
