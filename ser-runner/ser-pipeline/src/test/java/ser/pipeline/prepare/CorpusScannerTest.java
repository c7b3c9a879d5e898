package ser.pipeline.prepare;

import ser.pipeline.corpus.CorpusAdaptersTest;
import ser.pipeline.corpus.TestConfig;
import ser.pipeline.corpus.ZipFiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import ser.api.Emotion;
import ser.pipeline.audio.TestWav;

public class CorpusScannerTest {

    @TempDir
    Path root;

    private final CorpusScanner scanner = new CorpusScanner(TestConfig.defaults(), CorpusAdaptersTest.providers());

    /** A short valid WAV (50 ms of 16 kHz). */
    public static byte[] wav() {
        return TestWav.pcm(16, 16000, TestWav.sine(300, 16000, 0.05, 0.3)).bytes();
    }

    private Path put(String relative, byte[] bytes) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    @Test
    void treeOfAllSixLayoutsWithBadFiles() throws IOException {
        put("RAVDESS/Actor_01/03-01-05-01-02-01-01.wav", wav());
        put("RAVDESS/Actor_02/03-01-02-01-01-01-02.wav", TestWav.pcm(24, 48000, TestWav.sine(300, 48000, 0.05, 0.3)).bytes());
        put("RAVDESS/Actor_02/03-02-03-01-01-01-02.wav", wav());
        put("RAVDESS/Actor_03/03-01-01-01-01-01-03.wav", TestWav.pcm(16, 16000, TestWav.sine(300, 16000, 0.05, 0.3)).cut(100).bytes());
        put("RAVDESS/Actor_03/03-01-01-01-01-02-03.wav", new byte[0]);
        put("RAVDESS/Actor_03/03-01-01-01-02-01-03.wav", "id,name\n1,x\n".getBytes(StandardCharsets.UTF_8));
        put("TESS/OAF_angry/OAF_back_angry.wav", wav());
        put("TESS/YAF_pleasant_surprised/YAF_dog_ps.wav", wav());
        put("SAVEE/ALL/DC_a01.wav", wav());
        put("SAVEE/AudioData/JE/sa03.wav", wav());
        put("CREMA-D/AudioWAV/1001_DFA_ANG_XX.wav", wav());
        put("CREMA-D/AudioWAV/1002_IEO_HAP_HI.wav", wav());
        put("EmoV-DB/bea_Amused/amused_1-15_0001.wav", wav());
        put("EmoV-DB/sam_Disgusted/disgust_1-28_0002.wav", wav());
        Files.createDirectories(root.resolve("data"));
        ZipFiles.zip(root.resolve("data/AVV_dataset.zip"),
                "AVV_dataset/Male/ANGRY/spk03_angry_01.wav", wav(),
                "AVV_dataset/Female/PLEASANT_SURPRISE/clip7.wav", wav(),
                "AVV_dataset/f/Sad/s2-001.wav", wav(),
                "AVV_dataset/readme.txt", "AVV".getBytes(StandardCharsets.UTF_8));
        put("misc/random_name.wav", wav());
        put("misc/notes.txt", "notes".getBytes(StandardCharsets.UTF_8));

        ScanResult result = scanner.scan(List.of(root));

        assertThat(result.rows()).extracting(ManifestRow::id, ManifestRow::speaker, r -> r.gender().orElse(""),
                ManifestRow::sourceLabel, ManifestRow::emotion).containsExactly(
                        tuple("crema-d/CREMA-D/AudioWAV/1001_DFA_ANG_XX", "1001", "male", "anger", Emotion.ANGER),
                        tuple("crema-d/CREMA-D/AudioWAV/1002_IEO_HAP_HI", "1002", "female", "happy", Emotion.HAPPY),
                        tuple("emov-db/EmoV-DB/bea_Amused/amused_1-15_0001", "bea", "female", "amused", Emotion.OTHERS),
                        tuple("emov-db/EmoV-DB/sam_Disgusted/disgust_1-28_0002", "sam", "male", "disgusted", Emotion.DISGUST),
                        tuple("ravdess/RAVDESS/Actor_01/03-01-05-01-02-01-01", "01", "male", "angry", Emotion.ANGER),
                        tuple("ravdess/RAVDESS/Actor_02/03-01-02-01-01-01-02", "02", "female", "calm", Emotion.OTHERS),
                        tuple("savee/SAVEE/ALL/DC_a01", "DC", "male", "anger", Emotion.ANGER),
                        tuple("savee/SAVEE/AudioData/JE/sa03", "JE", "male", "sadness", Emotion.SAD),
                        tuple("tess/TESS/OAF_angry/OAF_back_angry", "OAF", "female", "angry", Emotion.ANGER),
                        tuple("tess/TESS/YAF_pleasant_surprised/YAF_dog_ps", "YAF", "female", "ps", Emotion.SURPRISE),
                        tuple("avv/data/AVV_dataset/Female/PLEASANT_SURPRISE/clip7", "unknown", "female", "pleasant surprise",
                                Emotion.SURPRISE),
                        tuple("avv/data/AVV_dataset/Male/ANGRY/spk03_angry_01", "spk03", "male", "angry", Emotion.ANGER),
                        tuple("avv/data/AVV_dataset/f/Sad/s2-001", "s2", "female", "sad", Emotion.SAD))
                .hasSize(13);
        ManifestRow ravdess48k = result.rows().get(5);
        assertThat(ravdess48k.sampleRate()).isEqualTo(48000);
        assertThat(ravdess48k.durationSeconds()).isEqualTo(0.05);
        assertThat(ravdess48k.location()).isEqualTo(root.resolve("RAVDESS/Actor_02/03-01-02-01-01-01-02.wav").toString());
        assertThat(result.rows().get(11).location())
                .isEqualTo(root.resolve("data/AVV_dataset.zip") + "!/AVV_dataset/Male/ANGRY/spk03_angry_01.wav");

        assertThat(result.bad()).extracting(ScanResult.Issue::location, ScanResult.Issue::reason).containsExactly(
                tuple(root.resolve("RAVDESS/Actor_03/03-01-01-01-01-01-03.wav").toString(),
                        "truncated: data chunk declares 1600 bytes but only 1500 follow"),
                tuple(root.resolve("RAVDESS/Actor_03/03-01-01-01-01-02-03.wav").toString(), "empty file"),
                tuple(root.resolve("RAVDESS/Actor_03/03-01-01-01-02-01-03.wav").toString(),
                        "not a supported audio file (WAV, MP3, FLAC, Ogg, M4A/AAC, WebM) (starts with 0x69642C6E)"));
        assertThat(result.excluded()).containsExactly(new ScanResult.Issue(root.resolve("RAVDESS/Actor_02/03-02-03-01-01-01-02.wav")
                .toString(), "ravdess: song (vocal channel 02); set ser.corpora.ravdess.include-song = true to use songs"));
        assertThat(result.unlabeled()).containsExactly(root.resolve("misc/random_name.wav").toString());
        assertThat(result.duplicates()).isEmpty();
        assertThat(result.ignored()).isEqualTo(Map.of(".txt", 2));
        assertThat(result.counts()).containsOnlyKeys("avv", "crema-d", "emov-db", "ravdess", "savee", "tess");
        assertThat(result.countsByEmotion()).containsEntry(Emotion.ANGER, 5).containsEntry(Emotion.SURPRISE, 2);
        assertThat(result.summaryLines().get(result.summaryLines().size() - 1))
                .isEqualTo("labelled 13, unlabeled 1, excluded 1, bad 3, duplicates 0; other files ignored: 2 (.txt 2)");
        assertThat(result.issueLines()).hasSize(5).anySatisfy(l -> assertThat(l).startsWith("bad: ").endsWith("empty file"));
    }

    @Test
    void treeOfTheEightNewerLayouts() throws IOException {
        put("EMO-DB/wav/03a01Fa.wav", wav());
        put("EMO-DB/wav/16b10La.wav", wav());
        put("EMO-DB/wav/04a01Fa.wav", wav());
        put("ESD/0011/Angry/0011_000351.wav", wav());
        put("ESD/0003/Surprise/train/0003_001401.wav", wav());
        put("EMOVO/f1/gio-f1-b1.wav", wav());
        put("URDU/Sad/SF2_F1_S004.wav", wav());
        put("URDU/Sad/SM3_F1_H004.wav", wav());
        put("ShEMO/female/F01W02.wav", wav());
        put("JL/female2_excited_10b_2.wav", wav());
        put("JL/male1_apologetic_1a_1.wav", wav());
        put("SUBESCO/M_01_ARIF_S_2_FEAR_3.wav", wav());
        ZipFiles.zip(root.resolve("CaFE_48k.zip"), "CaFE_48k/Colère/Faible/01-C-1-1.wav", wav(),
                "CaFE_48k/Neutre/12-N-1-2.wav", wav());

        ScanResult result = scanner.scan(List.of(root));

        assertThat(result.rows()).extracting(ManifestRow::id, ManifestRow::speaker, r -> r.gender().orElse(""),
                ManifestRow::sourceLabel, ManifestRow::emotion).containsExactly(
                        tuple("cafe/CaFE_48k/Colère/Faible/01-C-1-1", "01", "male", "anger", Emotion.ANGER),
                        tuple("cafe/CaFE_48k/Neutre/12-N-1-2", "12", "female", "neutral", Emotion.NEUTRAL),
                        tuple("emo-db/EMO-DB/wav/03a01Fa", "03", "male", "happiness", Emotion.HAPPY),
                        tuple("emo-db/EMO-DB/wav/16b10La", "16", "female", "boredom", Emotion.OTHERS),
                        tuple("emovo/EMOVO/f1/gio-f1-b1", "f1", "female", "joy", Emotion.HAPPY),
                        tuple("esd/ESD/0003/Surprise/train/0003_001401", "0003", "", "surprise", Emotion.SURPRISE),
                        tuple("esd/ESD/0011/Angry/0011_000351", "0011", "", "angry", Emotion.ANGER),
                        tuple("jl-corpus/JL/female2_excited_10b_2", "female2", "female", "excited", Emotion.OTHERS),
                        tuple("jl-corpus/JL/male1_apologetic_1a_1", "male1", "male", "apologetic", Emotion.OTHERS),
                        // sorted by path relative to the root: SUBESCO before ShEMO
                        tuple("subesco/SUBESCO/M_01_ARIF_S_2_FEAR_3", "M_01_ARIF", "male", "fear", Emotion.FEAR),
                        tuple("shemo/ShEMO/female/F01W02", "F01", "female", "surprise", Emotion.SURPRISE),
                        tuple("urdu/URDU/Sad/SF2_F1_S004", "SF2", "female", "sad", Emotion.SAD));
        assertThat(result.excluded()).extracting(ScanResult.Issue::reason).containsExactly(
                "emo-db: speaker 04 is not an EMO-DB speaker (03, 08, 09, 10, 11, 12, 13, 14, 15, 16)",
                "urdu: folder Sad disagrees with the emotion letter H of the file name");
        assertThat(result.unlabeled()).isEmpty();
        assertThat(result.bad()).isEmpty();
    }

    @Test
    void zipGivenDirectlyAndFolderOfTheSameAreOneCorpus() throws IOException {
        Path zip = root.resolve("AVV_dataset.zip");
        ZipFiles.zip(zip, "Male/ANGRY/a.wav", wav(), "Male/SAD/b.wav", wav());
        ScanResult direct = scanner.scan(List.of(zip));
        assertThat(direct.rows()).extracting(ManifestRow::id).containsExactly("avv/Male/ANGRY/a", "avv/Male/SAD/b");

        // The extracted folder beside the zip: the zip's entries get the same ids and are duplicates.
        put("AVV_dataset/Male/ANGRY/a.wav", wav());
        ScanResult both = scanner.scan(List.of(root));
        assertThat(both.rows()).extracting(ManifestRow::id, ManifestRow::location).containsExactly(
                tuple("avv/AVV_dataset/Male/ANGRY/a", root.resolve("AVV_dataset/Male/ANGRY/a.wav").toString()),
                tuple("avv/AVV_dataset/Male/SAD/b", zip + "!/Male/SAD/b.wav"));
        assertThat(both.duplicates()).containsExactly(new ScanResult.Issue(zip + "!/Male/ANGRY/a.wav",
                "duplicate utterance id avv/AVV_dataset/Male/ANGRY/a (kept " + root.resolve("AVV_dataset/Male/ANGRY/a.wav") + ")"));
    }

    @Test
    void zipEntriesThatEscapeTheArchiveAreRefused() throws IOException {
        Path zip = root.resolve("evil.zip");
        ZipFiles.zip(zip, "../evil.wav", wav(), "/abs/x.wav", wav(), "a/../../up.wav", wav(), "C:\\win\\x.wav", wav(),
                "ok/../Male/HAPPY/fine.wav", wav());
        ScanResult result = scanner.scan(List.of(zip));
        assertThat(result.bad()).extracting(ScanResult.Issue::location, ScanResult.Issue::reason).containsExactlyInAnyOrder(
                tuple(zip + "!/../evil.wav", "zip entry escapes the archive root"),
                tuple(zip + "!//abs/x.wav", "zip entry escapes the archive root"),
                tuple(zip + "!/a/../../up.wav", "zip entry escapes the archive root"),
                tuple(zip + "!/C:\\win\\x.wav", "zip entry escapes the archive root"));
        assertThat(result.rows()).extracting(ManifestRow::id).containsExactly("avv/Male/HAPPY/fine");
        assertThat(CorpusScanner.normalizeEntry("a/./b//c.wav")).isEqualTo("a/b/c.wav");
        assertThat(CorpusScanner.normalizeEntry("..")).isNull();
    }

    @Test
    @Timeout(20)
    void symbolicLinkLoopIsReportedNotFollowed() throws IOException {
        put("RAVDESS/Actor_01/03-01-05-01-02-01-01.wav", wav());
        Path link = Files.createSymbolicLink(root.resolve("RAVDESS/Actor_01/loop"), root.resolve("RAVDESS"));
        ScanResult result = scanner.scan(List.of(root));
        assertThat(result.rows()).extracting(ManifestRow::id).containsExactly("ravdess/RAVDESS/Actor_01/03-01-05-01-02-01-01");
        assertThat(result.bad()).containsExactly(new ScanResult.Issue(link.toString(), "symbolic link loop, not followed"));
    }

    @Test
    void sameFileThroughALinkIsADuplicate() throws IOException {
        Path real = put("RAVDESS/Actor_01/03-01-05-01-02-01-01.wav", wav());
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("RAVDESS"));
        ScanResult result = scanner.scan(List.of(root));
        assertThat(result.rows()).extracting(ManifestRow::location).containsExactly(real.toString());
        assertThat(result.duplicates()).containsExactly(new ScanResult.Issue(root.resolve("alias/Actor_01/03-01-05-01-02-01-01.wav")
                .toString(), "same file as " + real));

        CorpusScanner noLinks = new CorpusScanner(TestConfig.with("ser.prepare.follow-symlinks = false"), CorpusAdaptersTest.providers());
        ScanResult plain = noLinks.scan(List.of(root));
        assertThat(plain.rows()).hasSize(1);
        assertThat(plain.duplicates()).isEmpty();
        assertThat(plain.ignored()).containsEntry("(symbolic links, not followed)", 1);
    }

    @Test
    void overlappingRootsKeepTheFirstRoot() throws IOException {
        put("RAVDESS/Actor_01/03-01-05-01-02-01-01.wav", wav());
        ScanResult result = scanner.scan(List.of(root.resolve("RAVDESS"), root));
        assertThat(result.rows()).extracting(ManifestRow::id).containsExactly("ravdess/Actor_01/03-01-05-01-02-01-01");
        assertThat(result.duplicates()).hasSize(1);
    }

    @Test
    void customLabelMapSkipsUnmappedLabels() throws IOException {
        put("AVV/male/BORED/s1_x.wav", wav());
        put("AVV/male/CALM/s1_y.wav", wav());
        CorpusScanner custom = new CorpusScanner(TestConfig.with("ser.labels.map.calm = neutral\nser.labels.unmapped = skip"),
                CorpusAdaptersTest.providers());
        ScanResult result = custom.scan(List.of(root));
        assertThat(result.rows()).extracting(ManifestRow::sourceLabel, ManifestRow::emotion).containsExactly(tuple("calm", Emotion.NEUTRAL));
        assertThat(result.excluded()).containsExactly(new ScanResult.Issue(root.resolve("AVV/male/BORED/s1_x.wav").toString(),
                "avv: source label 'bored' is not in ser.labels.map and ser.labels.unmapped = skip"));
    }

    @Test
    void macOsMetadataInArchivesIsIgnored() throws IOException {
        Path zip = root.resolve("c.zip");
        ZipFiles.zip(zip, "c/Male/SAD/x.wav", wav(), "__MACOSX/c/Male/SAD/._x.wav", new byte[] {0, 5, 22, 7});
        ScanResult result = scanner.scan(List.of(root));
        assertThat(result.rows()).extracting(ManifestRow::id).containsExactly("avv/c/Male/SAD/x");
        assertThat(result.bad()).isEmpty();
    }

    @Test
    void unreadableFolderIsReported() throws IOException {
        assumeThat(System.getProperty("user.name")).as("root reads every folder").isNotEqualTo("root");
        Path locked = Files.createDirectories(root.resolve("locked"));
        put("locked/03-01-05-01-02-01-01.wav", wav());
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            ScanResult result = scanner.scan(List.of(root));
            assertThat(result.bad()).containsExactly(new ScanResult.Issue(locked.toString(), "cannot read: permission denied"));
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aBrokenArchiveIsBad() throws IOException {
        Path zip = Files.writeString(root.resolve("broken.zip"), "PK but not really");
        ScanResult result = scanner.scan(List.of(root));
        assertThat(result.bad()).singleElement().satisfies(i -> {
            assertThat(i.location()).isEqualTo(zip.toString());
            assertThat(i.reason()).startsWith("cannot read zip archive: ");
        });
    }
}
