package ser.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.api.Emotion;
import ser.pipeline.prepare.Manifest;
import ser.pipeline.prepare.ManifestRow;

/**
 * {@code ser predict --segments}, {@code ser listen --input} and compressed formats end to end,
 * with a model trained (test-centroid backend) on tones whose pitch and loudness depend on the
 * emotion, as in {@link CliEndToEndTest}: a recording of such tones separated by pauses must
 * come back as one segment per tone, at its time, with its emotion.
 */
class SegmentsAndListenTest {

    static final int RATE = CliEndToEndTest.RATE;

    @TempDir
    static Path root;

    static Path model;

    record Run(int code, String out, String err) {
    }

    static Run ser(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(CliEndToEndTest.COMMON));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void train() throws IOException {
        List<ManifestRow> rows = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            for (Emotion e : Emotion.values()) {
                for (int r = 0; r < 2; r++) {
                    Path wav = root.resolve("audio/spk" + s + "/" + e.id() + "_" + r + ".wav");
                    CliEndToEndTest.writeWav(wav, e.index(), s, 100L * s + 10L * e.index() + r);
                    rows.add(new ManifestRow("seg/spk" + s + "/" + e.id() + "_" + r, wav.toString(), "seg", "spk" + s,
                            Optional.empty(), e.id(), e, 0.6, RATE));
                }
            }
        }
        Path manifest = root.resolve("manifest.csv");
        Manifest.write(manifest, rows);
        Path features = root.resolve("features");
        Run extract = ser("extract", "--manifest", manifest.toString(), "--out", features.toString());
        assertThat(extract.code()).as(extract.err()).isZero();
        model = root.resolve("model");
        Run train = ser("train", "--features", features.toString(), "--out", model.toString());
        assertThat(train.code()).as(train.err()).isZero();
    }

    /** Tones of the given emotions (as in training, speaker 3), 1.2 s each, with 1 s of quiet noise around each. */
    static Path recording(String name, Emotion... emotions) throws IOException {
        return write(root.resolve(name), tones(emotions), 0, Integer.MAX_VALUE);
    }

    /** A 16-bit WAV of {@code pcm[from, to)}. */
    static Path write(Path file, short[] pcm, int from, int to) throws IOException {
        to = Math.min(to, pcm.length);
        int n = to - from;
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * n).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(RATE).putInt(2 * RATE)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(2 * n);
        for (int i = from; i < to; i++) {
            b.putShort(pcm[i]);
        }
        Files.write(file, b.array());
        return file;
    }

    static short[] tones(Emotion... emotions) {
        Random rng = new Random(5);
        int tone = RATE * 12 / 10;
        int gap = RATE;
        int n = gap + emotions.length * (tone + gap);
        short[] pcm = new short[n];
        for (int i = 0; i < n; i++) {
            int k = (i - gap) / (tone + gap);
            int at = (i - gap) % (tone + gap);
            double x = 0.002 * rng.nextGaussian();
            if (i >= gap && at < tone) {
                int e = emotions[k].index();
                double f = 180 + 140 * e + 6 * 3;
                double amp = 0.05 + 0.1 * e * (0.95 + 0.02 * 3);
                x += amp * Math.sin(2 * Math.PI * f * i / RATE);
            }
            pcm[i] = (short) Math.round(Math.max(-1, Math.min(1, x)) * 32767);
        }
        return pcm;
    }

    /** What plain {@code ser predict} says about {@code pcm[from, to)} written as its own file. */
    static CSVRecord predictCut(short[] pcm, double from, double to) throws IOException {
        Path cut = write(root.resolve("cut-" + from + "-" + to + ".wav"), pcm, (int) Math.round(from * RATE),
                (int) Math.round(to * RATE));
        Run r = ser("predict", "--model", model.toString(), "--format", "csv", cut.toString());
        assertThat(r.code()).as(r.err()).isZero();
        return csv(r.out()).get(0);
    }

    /** Segment rows carry exactly the probabilities of predicting their audio as a file. */
    static void assertSameProbabilities(CSVRecord segment, CSVRecord whole, double tolerance) {
        assertThat(segment.get("emotion")).isEqualTo(whole.get("emotion"));
        for (Emotion e : Emotion.values()) {
            assertThat(Double.parseDouble(segment.get(e.id()))).as(e.id()).isCloseTo(Double.parseDouble(whole.get(e.id())),
                    within(tolerance));
        }
    }

    static List<CSVRecord> csv(String text) throws IOException {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(new java.io.StringReader(text))
                .getRecords();
    }

    @Test
    void voiceActivitySegmentsGiveEachToneItsTimeAndEmotion() throws IOException {
        Emotion[] said = {Emotion.ANGER, Emotion.NEUTRAL, Emotion.SURPRISE};
        Path wav = recording("three.wav", said);
        Run r = ser("predict", "--model", model.toString(), "--segments", "--format", "csv", wav.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<CSVRecord> rows = csv(r.out());
        assertThat(rows).hasSize(3);
        for (int k = 0; k < 3; k++) {
            CSVRecord row = rows.get(k);
            assertThat(row.get("file")).isEqualTo(wav.toString());
            assertThat(Double.parseDouble(row.get("start"))).isCloseTo(1 + 2.2 * k, within(0.05));
            assertThat(Double.parseDouble(row.get("end"))).isCloseTo(2.2 + 2.2 * k + 0.2, within(0.05));
            assertSameProbabilities(row, predictCut(tones(said), Double.parseDouble(row.get("start")),
                    Double.parseDouble(row.get("end"))), 1e-5);
            double sum = 0;
            for (Emotion e : Emotion.values()) {
                sum += Double.parseDouble(row.get(e.id()));
            }
            assertThat(sum).isCloseTo(1, within(1e-4));
        }
    }

    @Test
    void fixedWindowsInJsonAndATableHeader() throws IOException {
        Path wav = recording("fixed.wav", Emotion.FEAR);
        Run r = ser("predict", "--model", model.toString(), "--segments", "--segment-mode", "fixed", "--window", "1", "--hop", "1", "--format",
                "json", wav.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3); // 3.2 s: three whole windows and a 0.2 s tail, below min-segment-s
        JsonNode second = new ObjectMapper().readTree(lines.get(1));
        assertThat(second.get("start").asDouble()).isEqualTo(1.0);
        assertThat(second.get("end").asDouble()).isEqualTo(2.0);
        assertThat(second.get("emotion").asText()).isEqualTo(predictCut(tones(Emotion.FEAR), 1, 2).get("emotion"));
        assertThat(second.get("probabilities")).hasSize(8);

        Run table = ser("predict", "--model", model.toString(), "--segments", wav.toString());
        assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("    start       end  emotion").endsWith("  file");
        Run usage = ser("predict", "--model", model.toString(), "--window", "1", wav.toString());
        assertThat(usage.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(usage.err()).contains("--segment-mode, --window and --hop need --segments");
    }

    @Test
    void aBadFileInSegmentsModeIsOneLineAndTheOthersRun() throws IOException {
        Path wav = recording("ok.wav", Emotion.HAPPY);
        Path bad = root.resolve("bad.mp3");
        Files.writeString(bad, "not audio at all");
        Run r = ser("predict", "--model", model.toString(), "--segments", "--format", "csv", bad.toString(), wav.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.RUN_FAILURE);
        assertThat(csv(r.out())).hasSize(1);
        assertThat(r.err().lines().toList()).containsExactly(
                bad + ": not a supported audio file (WAV, MP3, FLAC, Ogg, M4A/AAC, WebM) (starts with 0x6E6F7420)",
                "ser predict: 1 input(s) failed, 1 segmented");
    }

    @Test
    void listenPrintsTheRollingEmotionOfAFilePlayedAsIfLive() throws IOException {
        Emotion[] said = {Emotion.SAD, Emotion.ANGER};
        Path wav = recording("live.wav", said); // 5.4 s
        Run r = ser("listen", "--model", model.toString(), "--input", wav.toString(), "--window", "1", "--hop", "0.5",
                "--format", "csv");
        assertThat(r.code()).as(r.err()).isZero();
        List<CSVRecord> rows = csv(r.out());
        // windows [0,1), [0.5,1.5), ... up to [4.0,5.0): 9 of them; the 0.4 s tail waits for more audio
        assertThat(rows).hasSize(9);
        for (int k = 0; k < rows.size(); k++) {
            assertThat(Double.parseDouble(rows.get(k).get("start"))).isCloseTo(0.5 * k, within(1e-6));
            assertThat(Double.parseDouble(rows.get(k).get("end"))).isCloseTo(0.5 * k + 1, within(1e-6));
        }
        // each window is predicted as its audio would be as a file (through 16-bit PCM, as a microphone delivers it)
        assertSameProbabilities(rows.get(2), predictCut(tones(said), 1, 2), 1e-3);
        assertSameProbabilities(rows.get(7), predictCut(tones(said), 3.5, 4.5), 1e-3);
        // --backend reaches the bundle loader (this test model's backend has no counterpart to load into)
        Run b = ser("listen", "--model", model.toString(), "--backend", "no-such-backend", "--input", wav.toString());
        assertThat(b.code()).isNotZero();
        assertThat(b.err().strip()).contains("no-such-backend").doesNotContain("\n");
    }

    @Test
    void predictReadsCompressedFormats() throws IOException {
        List<String> files = new ArrayList<>();
        for (String name : List.of("speech.mp3", "speech.ogg", "speech.opus", "speech.m4a", "speech_stereo.webm", "speech_1s.flac")) {
            Path file = root.resolve("formats/" + name);
            Files.createDirectories(file.getParent());
            try (InputStream in = SegmentsAndListenTest.class.getResourceAsStream("/audio/formats/" + name)) {
                Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            files.add(file.toString());
        }
        Run r = ser("predict", "--model", model.toString(), "--format", "csv", root.resolve("formats").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(csv(r.out())).extracting(row -> Path.of(row.get("file")).getFileName().toString())
                .containsExactly("speech.m4a", "speech.mp3", "speech.ogg", "speech.opus", "speech_1s.flac", "speech_stereo.webm");
    }
}
