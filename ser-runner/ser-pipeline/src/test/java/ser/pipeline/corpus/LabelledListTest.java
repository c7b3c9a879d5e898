package ser.pipeline.corpus;

import ser.pipeline.prepare.CorpusScanner;
import ser.pipeline.prepare.CorpusScannerTest;
import ser.pipeline.prepare.ManifestRow;
import ser.pipeline.prepare.ScanResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.api.Emotion;
import ser.pipeline.BadInputException;

/** A labelled list (.csv) as a corpus root, on generated files. */
class LabelledListTest {

    @TempDir
    Path root;

    private final CorpusScanner scanner = new CorpusScanner(TestConfig.defaults(), CorpusAdaptersTest.providers());

    private Path put(String relative, byte[] bytes) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    private Path list(String name, String text) throws IOException {
        return put(name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rowsKeepTheListsLabelsSpeakersAndGenders() throws IOException {
        put("my corpus/audio/a.wav", CorpusScannerTest.wav());
        put("my corpus/audio/b.wav", CorpusScannerTest.wav());
        // named like RAVDESS: the list's label wins, no adapter is asked
        put("my corpus/03-01-05-01-02-01-12.wav", CorpusScannerTest.wav());
        Path elsewhere = put("other/c.wav", CorpusScannerTest.wav());
        Path csv = list("my corpus/Mine.csv", "\uFEFFPath, Label ,speaker,Gender,notes\n"
                + "audio/a.wav,Bored,s1,F,first\n"
                + "\"audio/b.wav\",happy,s2,male,\n"
                + "03-01-05-01-02-01-12.wav,sad,,,\n"
                + elsewhere + ",fear,s1,m,absolute\n");

        ScanResult result = scanner.scan(List.of(csv));

        assertThat(result.rows()).extracting(ManifestRow::id, ManifestRow::corpus, ManifestRow::speaker, r -> r.gender().orElse(""),
                ManifestRow::sourceLabel, ManifestRow::emotion).containsExactly(
                        tuple("mine/03-01-05-01-02-01-12", "mine", "unknown", "", "sad", Emotion.SAD),
                        tuple("mine/audio/a", "mine", "s1", "female", "bored", Emotion.OTHERS),
                        tuple("mine/audio/b", "mine", "s2", "male", "happy", Emotion.HAPPY),
                        tuple("mine/" + elsewhere.toString().substring(1).replace('\\', '/').replaceAll("\\.wav$", ""), "mine", "s1",
                                "male", "fear", Emotion.FEAR));
        assertThat(result.rows().get(1).location()).isEqualTo(root.resolve("my corpus/audio/a.wav").toString());
        assertThat(result.bad()).isEmpty();
    }

    @Test
    void unusableRowsAreBadAndTheOthersAreKept() throws IOException {
        put("l/ok.wav", CorpusScannerTest.wav());
        put("l/dir.wav/x.txt", new byte[1]);
        put("l/notwav.wav", "hello".getBytes(StandardCharsets.UTF_8));
        Path csv = list("l/list.csv", "label,path,gender\n"
                + "happy,ok.wav,\n"
                + "happy,missing.wav,\n"
                + ",ok.wav,\n"
                + "sad,,\n"
                + "sad,ok.wav,x\n"
                + "sad\n"
                + "sad,dir.wav,\n"
                + "angry,notwav.wav,\n"
                + "angry,./ok.wav,f\n");

        ScanResult result = scanner.scan(List.of(csv));

        assertThat(result.rows()).extracting(ManifestRow::id, ManifestRow::sourceLabel).containsExactly(tuple("list/ok", "happy"));
        assertThat(result.bad()).extracting(ScanResult.Issue::location, ScanResult.Issue::reason).containsExactly(
                tuple(csv + " row 2", "no such file " + root.resolve("l/missing.wav")),
                tuple(csv + " row 3", "empty label for ok.wav"),
                tuple(csv + " row 4", "empty path"),
                tuple(csv + " row 5", "gender 'x' is not male, female, m, f or empty"),
                tuple(csv + " row 6", "row has 1 field(s); path and label are required"),
                tuple(csv + " row 7", "is a folder, not a file: " + root.resolve("l/dir.wav")),
                tuple(root.resolve("l/notwav.wav").toString(), "not a supported audio file (WAV, MP3, FLAC, Ogg, M4A/AAC, WebM) (starts with 0x68656C6C)"));
        // the same file listed twice (row 8) is one utterance
        assertThat(result.duplicates()).extracting(ScanResult.Issue::reason)
                .containsExactly("same file as " + root.resolve("l/ok.wav"));
    }

    @Test
    void aListWithoutTheRequiredColumnsIsAUsageErrorNamingThem() throws IOException {
        Path noHeader = list("a.csv", "x.wav,happy\n");
        assertThatThrownBy(() -> scanner.scan(List.of(noHeader))).isInstanceOf(BadInputException.class)
                .hasMessage("--corpus " + noHeader + ": labelled list has no column path, label (its first row must be a header "
                        + "naming path, label and optionally speaker, gender)");
        Path noLabel = list("b.csv", "path,speaker\nx.wav,s\n");
        assertThatThrownBy(() -> scanner.scan(List.of(noLabel))).hasMessageContaining("has no column label (");
        Path empty = list("c.csv", "");
        assertThatThrownBy(() -> scanner.scan(List.of(empty))).isInstanceOf(BadInputException.class)
                .hasMessage("--corpus " + empty + ": labelled list is empty (expected a header with path, label)");
        Path twice = list("d.csv", "path,label,Path\n");
        assertThatThrownBy(() -> scanner.scan(List.of(twice))).hasMessage("--corpus " + twice + ": labelled list names column path twice");
        Path badQuote = list("e.csv", "path,label\n\"x.wav\"y,happy\n");
        assertThatThrownBy(() -> scanner.scan(List.of(badQuote))).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("--corpus " + badQuote + ": cannot read labelled list: ");
        Path latin1 = put("f.csv", new byte[] {'p', 'a', 't', 'h', ',', 'l', 'a', 'b', 'e', 'l', '\n', 'x', (byte) 0xE9, ',', 'a', '\n'});
        assertThatThrownBy(() -> scanner.scan(List.of(latin1)))
                .hasMessage("--corpus " + latin1 + ": cannot read labelled list: not UTF-8 text");
        Path missing = root.resolve("none.csv");
        assertThatThrownBy(() -> scanner.scan(List.of(missing))).isInstanceOf(BadInputException.class)
                .hasMessage("--corpus " + missing + ": no such file or folder");
    }

    @Test
    void aCsvInsideACorpusFolderIsNotAList() throws IOException {
        put("c/a.wav", CorpusScannerTest.wav());
        list("c/labels.csv", "path,label\na.wav,happy\n");
        ScanResult result = scanner.scan(List.of(root.resolve("c")));
        assertThat(result.rows()).isEmpty();
        assertThat(result.unlabeled()).hasSize(1);
        assertThat(result.ignored()).containsEntry(".csv", 1);
    }
}
