package ser.cli;

import ser.pipeline.store.FeatureSet;
import ser.pipeline.store.FeatureStore;
import ser.pipeline.extract.Fixtures;
import ser.pipeline.store.UtteranceInfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.api.AudioClip;
import ser.api.Emotion;
import ser.pipeline.prepare.Manifest;
import ser.pipeline.prepare.ManifestRow;

/** The CLI end to end, on real WAV files through the audio loader. */
class ExtractCommandTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private static void wav(Path file, AudioClip clip) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(2 * clip.length()).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : clip.samples()) {
            b.putShort((short) Math.round(v * 32767));
        }
        AudioFormat format = new AudioFormat(clip.sampleRate(), 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(b.array()), format, clip.length())) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
    }

    private Path manifest(List<String> files) throws IOException {
        List<ManifestRow> rows = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Emotion e = Emotion.ofIndex(i % 8);
            rows.add(new ManifestRow("t/" + i, files.get(i), "t", "s" + i, Optional.empty(), e.id(), e, 1.0, 16000));
        }
        Path m = tmp.resolve("manifest.csv");
        Manifest.write(m, rows);
        return m;
    }

    @Test
    void extractsSkipsBadFilesAndSucceeds() throws IOException {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path f = tmp.resolve("ok" + i + ".wav");
            wav(f, Fixtures.tone(i, 8000 + 1000 * i));
            files.add(f.toString());
        }
        Path corrupt = Files.write(tmp.resolve("corrupt.wav"), "RIFF not really a wav file".getBytes());
        files.add(1, corrupt.toString());
        files.add(tmp.resolve("vanished.wav").toString());
        Path features = tmp.resolve("features");

        int code = run("extract", "--manifest", manifest(files).toString(), "--out", features.toString(), "--threads", "2",
                "--set", "ser.extract.extractors=[test-level, test-zcr]");

        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains(corrupt + ": ").contains("vanished.wav: ");
        assertThat(out.toString()).contains("extracted 3 of 5 utterances").contains("skipped 2")
                .contains("real-time factor").contains("schema " + Fixtures.pipeline().schema().hash());
        FeatureSet set = FeatureStore.open(features);
        assertThat(set.utterances()).extracting(UtteranceInfo::id).containsExactly("t/0", "t/2", "t/3");
        assertThat(set.sequence(0)).hasNumberOfRows(1 + 8000 / 160);
    }

    @Test
    void nothingUsableFails() throws IOException {
        int code = run("extract", "--manifest", manifest(List.of(tmp.resolve("gone.wav").toString())).toString(),
                "--out", tmp.resolve("f").toString(), "--set", "ser.extract.extractors=[test-zcr]");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("no utterance could be extracted");
    }

    @Test
    void unknownExtractorIsAUsageError() throws IOException {
        int code = run("extract", "--manifest", manifest(List.of("x.wav")).toString(), "--out", tmp.toString(),
                "--set", "ser.extract.extractors=[test-zcr, mfcc-typo]");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("unknown extractor 'mfcc-typo' (known: ").contains("test-zcr");
    }

    @Test
    void benchExtractPrintsATable() {
        int code = run("bench", "extract", "--seconds", "3", "--warmup", "0.05", "--threads", "2",
                "--set", "ser.extract.extractors=[test-level, test-zcr]");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("bench extract: 3.0 s of audio").contains("test-level").contains("test-zcr")
                .contains("all ").contains("2 threads s").contains("multi-core speed-up");
    }

    @Test
    void benchHasExtractAndBackends() {
        assertThat(run("bench")).isZero();
        assertThat(out.toString()).contains("extract").contains("backends");
    }
}
