package ser.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.api.Emotion;
import ser.pipeline.audio.TestWav;
import ser.pipeline.prepare.Manifest;
import ser.pipeline.prepare.ManifestRow;

/**
 * {@code ser extract} and {@code ser train} in a child JVM, killed with SIGKILL at seeded random
 * moments: no corrupt final output ever exists, a re-run resumes (extract) or starts clean
 * (train), and the final result equals an uninterrupted run's, byte for byte.
 */
class KillTest {

    private static final List<String> SETTINGS = List.of(
            "--set", "ser.extract.extractors=[energy, spectral, mfcc]", "--set", "ser.extract.threads=2",
            "--set", "ser.train.backend=test-centroid", "--set", "ser.train.epochs=30", "--set", "ser.train.threads=1");
    private static final String[] OUTPUTS = {"nppdp.csv", "nppdp.index.csv", "sequences.f32", "schema.json"};

    @TempDir
    static Path root;

    static Path manifest;

    @BeforeAll
    static void corpus() throws IOException {
        List<ManifestRow> rows = new ArrayList<>();
        Random random = new Random(3);
        for (int s = 0; s < 4; s++) {
            for (Emotion e : Emotion.values()) {
                for (int r = 0; r < 3; r++) {
                    double[] tone = TestWav.sine(150 + 60 * e.index() + 5 * s, 16000, 0.8 + 0.2 * random.nextDouble(), 0.1 + 0.05 * e.index());
                    Path wav = root.resolve("audio/s" + s + "_" + e.id() + "_" + r + ".wav");
                    Files.createDirectories(wav.getParent());
                    Files.write(wav, TestWav.pcm(16, 16000, tone).bytes());
                    rows.add(new ManifestRow("k/s" + s + "_" + e.id() + "_" + r, wav.toString(), "k", "s" + s, Optional.empty(),
                            e.id(), e, tone.length / 16000.0, 16000));
                }
            }
        }
        manifest = root.resolve("manifest.csv");
        Manifest.write(manifest, rows);
    }

    @Test
    void extractKilledAtRandomMomentsResumesToIdenticalFiles() throws Exception {
        Path clean = root.resolve("clean");
        assertThat(ser("extract", "--manifest", manifest.toString(), "--out", clean.toString())).isZero();

        Path killed = root.resolve("killed");
        Random moments = new Random(11);
        int kills = 0;
        for (int attempt = 0; attempt < 4; attempt++) {
            kills += killAfter(moments.nextInt(400, 2500), "extract", "--manifest", manifest.toString(), "--out", killed.toString()) ? 1 : 0;
            // Whatever exists under a final name is complete: the same bytes as the clean run.
            for (String name : OUTPUTS) {
                Path file = killed.resolve(name);
                if (Files.exists(file) && Files.exists(killed.resolve("schema.json"))) {
                    assertThat(Files.readAllBytes(file)).as(name + " after kill " + attempt).isEqualTo(Files.readAllBytes(clean.resolve(name)));
                }
            }
        }
        assertThat(kills).as("runs actually killed").isPositive();
        assertThat(ser("extract", "--manifest", manifest.toString(), "--out", killed.toString())).isZero();
        for (String name : OUTPUTS) {
            assertThat(Files.readAllBytes(killed.resolve(name))).as(name).isEqualTo(Files.readAllBytes(clean.resolve(name)));
        }
    }

    @Test
    void trainKilledAtRandomMomentsLeavesNoHalfBundleAndReRunsCleanly() throws Exception {
        Path features = root.resolve("train-features");
        assertThat(ser("extract", "--manifest", manifest.toString(), "--out", features.toString())).isZero();
        Path clean = root.resolve("model-clean");
        assertThat(ser("train", "--features", features.toString(), "--out", clean.toString())).isZero();

        Path killed = root.resolve("model-killed");
        Random moments = new Random(5);
        int kills = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            kills += killAfter(moments.nextInt(300, 2500), "train", "--features", features.toString(), "--out", killed.toString())
                    ? 1 : 0;
            if (Files.exists(killed)) {
                // Renamed into place only when complete.
                assertThat(killed.resolve("bundle.json")).isRegularFile();
                assertThat(killed.resolve("reports/metrics.json")).isRegularFile();
            }
        }
        assertThat(kills).as("runs actually killed").isPositive();
        assertThat(ser("train", "--features", features.toString(), "--out", killed.toString())).isZero();
        assertThat(Files.readString(killed.resolve("reports/metrics.json")))
                .isEqualTo(Files.readString(clean.resolve("reports/metrics.json")));
        try (Stream<Path> siblings = Files.list(root)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("partial"));
        }
    }

    private static int ser(String... args) throws Exception {
        Process p = start(args);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("ser " + args[0] + " did not finish");
        }
        return p.exitValue();
    }

    /** Starts the command and kills it (SIGKILL) after {@code millis}, unless it finished first. */
    private static boolean killAfter(long millis, String... args) throws Exception {
        Process p = start(args);
        if (!p.waitFor(millis, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            return true;
        }
        return false;
    }

    private static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), "ser.cli.Main"));
        command.addAll(List.of(args));
        command.addAll(SETTINGS);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(root.resolve("child-" + System.nanoTime() + ".log").toFile()).start();
    }
}
