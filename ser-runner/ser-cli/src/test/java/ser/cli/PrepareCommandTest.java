package ser.cli;

import ser.pipeline.prepare.CorpusScannerTest;
import ser.pipeline.prepare.Manifest;
import ser.pipeline.prepare.ManifestRow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.api.Emotion;

/** {@code ser prepare} end to end, through the real CLI wiring (Guice, config, plugin discovery). */
class PrepareCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private void put(String relative, byte[] bytes) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    @Test
    void writesTheManifestAndReportsProblemsOnStderr() throws IOException {
        put("corpus/Actor_01/03-01-05-01-02-01-01.wav", CorpusScannerTest.wav());
        put("corpus/Actor_01/03-02-05-01-02-01-01.wav", CorpusScannerTest.wav());
        put("corpus/Actor_01/03-01-04-01-02-01-01.wav", new byte[0]);
        put("other/1001_DFA_SAD_XX.wav", CorpusScannerTest.wav());
        Path manifest = dir.resolve("out/manifest.csv");

        int code = run("prepare", "--corpus", dir.resolve("corpus").toString(), "--corpus", dir.resolve("other").toString(),
                "--out", manifest.toString());

        assertThat(code).as(err.toString()).isZero();
        List<ManifestRow> rows = Manifest.read(manifest);
        assertThat(rows).extracting(ManifestRow::id).containsExactly("crema-d/1001_DFA_SAD_XX", "ravdess/Actor_01/03-01-05-01-02-01-01");
        assertThat(rows).extracting(ManifestRow::emotion).containsExactly(Emotion.SAD, Emotion.ANGER);
        assertThat(out.toString()).contains("ravdess", "crema-d", "labelled 2, unlabeled 0, excluded 1, bad 1, duplicates 0",
                "wrote 2 rows to " + manifest);
        assertThat(err.toString().lines()).containsExactly(
                "ser prepare: excluded: " + dir.resolve("corpus/Actor_01/03-02-05-01-02-01-01.wav")
                        + ": ravdess: song (vocal channel 02); set ser.corpora.ravdess.include-song = true to use songs",
                "ser prepare: bad: " + dir.resolve("corpus/Actor_01/03-01-04-01-02-01-01.wav") + ": empty file");
    }

    @Test
    void settingsReachTheAdapters() throws IOException {
        put("corpus/03-02-05-01-02-01-01.wav", CorpusScannerTest.wav());
        Path manifest = dir.resolve("m.csv");
        int code = run("prepare", "--set", "ser.corpora.ravdess.include-song=true", "--corpus", dir.resolve("corpus").toString(),
                "--out", manifest.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(Manifest.read(manifest)).singleElement().extracting(ManifestRow::sourceLabel).isEqualTo("angry");
    }

    @Test
    void nothingLabelledExitsOneAndWritesNothing() throws IOException {
        put("corpus/unknown.wav", CorpusScannerTest.wav());
        Path manifest = dir.resolve("m.csv");
        int code = run("prepare", "--corpus", dir.resolve("corpus").toString(), "--out", manifest.toString());
        assertThat(code).isEqualTo(1);
        assertThat(manifest).doesNotExist();
        assertThat(err.toString()).contains("ser prepare: unlabeled: " + dir.resolve("corpus/unknown.wav"),
                "no labelled WAV files found");
    }

    @Test
    void missingCorpusIsARunFailureLikeEveryMissingInput() {
        int code = run("prepare", "--corpus", dir.resolve("nope").toString(), "--out", dir.resolve("m.csv").toString());
        assertThat(code).isEqualTo(ExitCodes.RUN_FAILURE);
        assertThat(err.toString()).contains("--corpus " + dir.resolve("nope") + ": no such file or folder");
    }

    @Test
    void labelledListIsACorpusAndAnUnusableListIsARunFailure() throws IOException {
        put("mine/a.wav", CorpusScannerTest.wav());
        put("mine/labels.csv", "path,label,speaker\na.wav,Happy,s1\nb.wav,sad,s2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path manifest = dir.resolve("m.csv");
        int code = run("prepare", "--corpus", dir.resolve("mine/labels.csv").toString(), "--out", manifest.toString());
        assertThat(code).isEqualTo(0);
        assertThat(Manifest.read(manifest)).extracting(ManifestRow::id, ManifestRow::corpus, ManifestRow::speaker,
                ManifestRow::sourceLabel).containsExactly(org.assertj.core.groups.Tuple.tuple("labels/a", "labels", "s1", "happy"));
        assertThat(err.toString()).contains("bad: " + dir.resolve("mine/labels.csv") + " row 2: no such file " + dir.resolve("mine/b.wav"));

        put("mine/nolabel.csv", "path\na.wav\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        code = run("prepare", "--corpus", dir.resolve("mine/nolabel.csv").toString(), "--out", dir.resolve("n.csv").toString());
        assertThat(code).isEqualTo(ExitCodes.RUN_FAILURE);
        assertThat(err.toString()).contains("--corpus " + dir.resolve("mine/nolabel.csv") + ": labelled list has no column label");
    }
}
