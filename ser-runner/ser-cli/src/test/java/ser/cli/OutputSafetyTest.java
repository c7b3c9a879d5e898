package ser.cli;


import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.api.Emotion;
import ser.pipeline.prepare.Manifest;
import ser.pipeline.prepare.ManifestRow;
import ser.cli.CliEndToEndTest.Run;
import ser.pipeline.util.OutputLock;

/**
 * Outputs never destroy inputs or files ser did not write: every command's {@code --out} is
 * refused (exit 2, one line, nothing touched) when it is or contains an input, or when it is an
 * existing folder holding more than that command writes; and an output in use is refused (exit 1).
 */
class OutputSafetyTest {

    @TempDir
    static Path root;

    static Path manifest;
    static Path features;
    static Path bundle;

    @BeforeAll
    static void extractAndTrain() throws IOException {
        List<ManifestRow> rows = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            for (Emotion e : Emotion.values()) {
                Path wav = root.resolve("audio/spk" + s + "/" + e.id() + ".wav");
                CliEndToEndTest.writeWav(wav, e.index(), s, 10L * s + e.index());
                rows.add(new ManifestRow("o/spk" + s + "/" + e.id(), wav.toString(), "o", "spk" + s, Optional.empty(),
                        e.id(), e, 0.6, CliEndToEndTest.RATE));
            }
        }
        manifest = root.resolve("manifest.csv");
        Manifest.write(manifest, rows);
        features = root.resolve("features");
        ok(ser("extract", "--manifest", manifest.toString(), "--out", features.toString()));
        bundle = root.resolve("bundle");
        ok(ser("train", "--features", features.toString(), "--out", bundle.toString()));
    }

    private static Run ser(String... args) {
        return CliEndToEndTest.ser(args);
    }

    private static void ok(Run r) {
        assertThat(r.code()).as(r.err()).isZero();
    }

    private static void refused(Run r, String... fragments) {
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.USAGE);
        String[] lines = r.err().strip().split("\n");
        assertThat(lines[lines.length - 1]).contains(fragments);
    }

    private static Path copyOf(Path dir, String name) throws IOException {
        Path copy = root.resolve(name);
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                Path to = copy.resolve(dir.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return copy;
    }

    @Test
    void trainIntoTheBundleHoldingItsFeaturesIsRefusedAndNothingIsDeleted() throws IOException {
        Path mb = copyOf(bundle, "mb");
        ok(ser("extract", "--manifest", manifest.toString(), "--out", mb.resolve("features").toString()));
        byte[] nppdp = Files.readAllBytes(mb.resolve("features/nppdp.csv"));

        refused(ser("train", "--features", mb.resolve("features").toString(), "--out", mb.toString()),
                "--out " + mb + ": contains the input --features " + mb.resolve("features"));
        assertThat(Files.readAllBytes(mb.resolve("features/nppdp.csv"))).isEqualTo(nppdp);
        assertThat(mb.resolve("bundle.json")).isRegularFile();

        // The same folder as output of an unrelated training: it holds features/, which train did not write.
        refused(ser("train", "--features", features.toString(), "--out", mb.toString()),
                mb + ": exists and is not only a model bundle (it holds features/, which ser train did not write)");
        assertThat(mb.resolve("features/nppdp.csv")).isRegularFile();
        refused(ser("train", "--features", features.toString(), "--out", features.toString()),
                "--out " + features + ": is the input --features");
    }

    @Test
    void anOldBundleWithExtraFilesIsRefusedAPlainOneIsReplaced() throws IOException {
        Path notes = copyOf(bundle, "with-notes");
        Files.writeString(notes.resolve("notes.txt"), "run 3 was the good one");
        Files.writeString(notes.resolve("reports/my-plot.svg"), "<svg/>");
        refused(ser("train", "--features", features.toString(), "--out", notes.toString()),
                "it holds ", "which ser train did not write", "refusing to replace it");
        assertThat(notes.resolve("notes.txt")).hasContent("run 3 was the good one");
        assertThat(notes.resolve("reports/my-plot.svg")).hasContent("<svg/>");

        Path plain = copyOf(bundle, "plain");
        Files.writeString(plain.resolve(".bundle.json.0f.tmp"), "left by a killed run");
        ok(ser("train", "--features", features.toString(), "--out", plain.toString()));
        assertThat(plain.resolve(".bundle.json.0f.tmp")).doesNotExist();
        assertThat(plain.resolve("bundle.json")).isRegularFile();
    }

    @Test
    void evaluateAndExtractNeverWriteOverTheirInputs() throws IOException {
        refused(ser("evaluate", "--model", bundle.toString(), "--features", features.toString(), "--out", root.toString()),
                "--out " + root + ": contains the input --model " + bundle);
        refused(ser("evaluate", "--model", bundle.toString(), "--features", features.toString(), "--out", features.toString()),
                "is the input --features");
        refused(ser("extract", "--manifest", manifest.toString(), "--out", root.toString()), "contains the input --manifest");
        refused(ser("extract", "--manifest", manifest.toString(), "--out", root.resolve("audio").toString()),
                "--out " + root.resolve("audio") + ": contains " + root.resolve("audio/spk0/fear.wav"),
                "one of the audio files of " + manifest);
        Path eval = Files.createDirectories(root.resolve("eval-notes"));
        Files.writeString(eval.resolve("draft.md"), "x");
        refused(ser("evaluate", "--model", bundle.toString(), "--features", features.toString(), "--out", eval.toString()),
                "holds draft.md, which ser evaluate did not write");
        assertThat(eval.resolve("draft.md")).hasContent("x");
    }

    @Test
    void anOutputInUseIsRefusedWithExitOne() {
        Path busy = root.resolve("busy-model");
        try (OutputLock held = OutputLock.acquire(busy, "ser train")) {
            Run r = ser("train", "--features", features.toString(), "--out", busy.toString());
            assertThat(r.code()).isEqualTo(ExitCodes.RUN_FAILURE);
            assertThat(r.err()).contains(busy + ": in use by another ser run (this process: pid "
                    + ProcessHandle.current().pid());
        }
        assertThat(busy).doesNotExist();
    }

    @Test
    void prepareNeverOverwritesACorpusFileOrWritesWhereItWouldBeScanned() throws IOException {
        Path corpus = root.resolve("ravdess/Actor_01");
        Path wav = corpus.resolve("03-01-05-01-02-01-01.wav");
        CliEndToEndTest.writeWav(wav, 3, 1, 7);
        byte[] before = Files.readAllBytes(wav);
        refused(ser("prepare", "--corpus", root.resolve("ravdess").toString(), "--out", wav.toString()),
                "--out " + wav + ": a .wav/.zip inside the corpus folder");
        refused(ser("prepare", "--corpus", wav.toString(), "--out", wav.toString()), "is the input --corpus " + wav);
        refused(ser("prepare", "--corpus", root.resolve("ravdess").toString(), "--out", root.toString()),
                "contains the input --corpus");
        Path notes = Files.writeString(root.resolve("notes.csv"), "my,own\n1,2\n");
        refused(ser("prepare", "--corpus", root.resolve("ravdess").toString(), "--out", notes.toString()),
                "exists and is not a manifest written by ser prepare");
        assertThat(Files.readAllBytes(wav)).isEqualTo(before);
        assertThat(notes).hasContent("my,own\n1,2");
        Path good = root.resolve("ravdess/manifest.csv");
        ok(ser("prepare", "--corpus", root.resolve("ravdess").toString(), "--out", good.toString()));
        ok(ser("prepare", "--corpus", root.resolve("ravdess").toString(), "--out", good.toString()));
    }
}
