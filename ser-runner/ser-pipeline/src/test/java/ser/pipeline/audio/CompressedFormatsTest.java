package ser.pipeline.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import ser.api.AudioClip;
import ser.pipeline.BadInputException;

/**
 * The compressed formats decode through FFmpeg to the same speech as the WAV they were made from.
 * The fixtures in {@code /audio/formats} were encoded from the golden WAVs with Debian's ffmpeg 5.1:
 * <pre>
 * ffmpeg -i speech_f_22050.wav -c:a libmp3lame -b:a 24k speech.mp3
 * ffmpeg -i speech_f_22050.wav -t 1.0 -c:a flac -compression_level 8 speech_1s.flac
 * ffmpeg -i speech_f_22050.wav -c:a libvorbis -q:a 0 speech.ogg
 * ffmpeg -i speech_f_22050.wav -c:a libopus -b:a 16k speech.opus
 * ffmpeg -i speech_f_22050.wav -c:a aac -b:a 24k speech.m4a            (index after the audio)
 * ffmpeg -i speech_f_48000_stereo24.wav -c:a libopus -b:a 24k speech_stereo.webm
 * </pre>
 * (all with {@code -map_metadata -1}). Lossy codecs are compared by the normalized correlation
 * with the original at the best lag within 20 ms, and by length and RMS.
 */
class CompressedFormatsTest {

    private static final int RATE = 16000;

    @TempDir
    Path tmp;

    static Path resource(String name) throws URISyntaxException {
        return Path.of(CompressedFormatsTest.class.getResource("/audio/" + name).toURI());
    }

    private static float[] reference(String wav) throws Exception {
        return new AudioLoader(RATE).load(resource(wav).toString()).samples();
    }

    @ParameterizedTest
    @CsvSource({
            "formats/speech.mp3,         speech_f_22050.wav,         0.95",
            "formats/speech.ogg,         speech_f_22050.wav,         0.95",
            "formats/speech.opus,        speech_f_22050.wav,         0.90",
            "formats/speech.m4a,         speech_f_22050.wav,         0.90",
            "formats/speech_stereo.webm, speech_f_48000_stereo24.wav, 0.90"})
    void lossyFormatsDecodeToTheOriginalSpeech(String file, String wav, double minCorrelation) throws Exception {
        AudioClip clip = new AudioLoader(RATE).load(resource(file).toString());
        float[] original = reference(wav);
        assertThat(clip.sampleRate()).isEqualTo(RATE);
        assertThat(clip.length() / (double) RATE).isCloseTo(original.length / (double) RATE, within(0.08));
        double correlation = bestCorrelation(original, clip.samples(), RATE / 50);
        assertThat(correlation).isGreaterThan(minCorrelation);
        assertThat(Signals.rms(clip.samples()) / Signals.rms(original)).isCloseTo(1.0, within(0.15));
    }

    @Test
    void flacIsLossless() throws Exception {
        AudioClip flac = new AudioLoader(22050).load(resource("formats/speech_1s.flac").toString());
        float[] wav = new AudioLoader(22050).load(resource("speech_f_22050.wav").toString()).samples();
        assertThat(flac.length()).isEqualTo(22050);
        assertThat(flac.samples()).containsExactly(Arrays.copyOf(wav, 22050));
    }

    @Test
    void probeReadsTheContainer() throws Exception {
        AudioInfo info = new AudioLoader(RATE).probe(resource("formats/speech_stereo.webm").toString());
        assertThat(info.sampleRate()).isEqualTo(48000);
        assertThat(info.channels()).isEqualTo(2);
        assertThat(info.format()).contains("WebM").contains("opus");
        assertThat(info.durationSeconds()).isCloseTo(3.45, within(0.05));
        AudioInfo flac = new AudioLoader(RATE).probe(resource("formats/speech_1s.flac").toString());
        assertThat(flac.frames()).isEqualTo(22050);
    }

    @Test
    void aZipEntryDecodesLikeTheFile() throws Exception {
        Path zip = tmp.resolve("a.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String name : new String[] {"speech.ogg", "speech.mp3"}) {
                out.putNextEntry(new ZipEntry(name));
                out.write(Files.readAllBytes(resource("formats/" + name)));
                out.closeEntry();
            }
        }
        AudioLoader loader = new AudioLoader(RATE);
        for (String name : new String[] {"speech.ogg", "speech.mp3"}) {
            AudioClip inZip = loader.load(zip + "!/" + name);
            AudioClip file = loader.load(resource("formats/" + name).toString());
            assertThat(inZip.samples()).containsExactly(file.samples());
        }
    }

    @Test
    void anM4aWithItsIndexLastDecodesFromMemory() throws Exception {
        byte[] bytes = Files.readAllBytes(resource("formats/speech.m4a"));
        AudioLoader loader = new AudioLoader(RATE);
        AudioClip fromBytes = loader.decode(bytes, "body.m4a");
        AudioClip fromFile = loader.load(resource("formats/speech.m4a").toString());
        assertThat(fromBytes.samples()).containsExactly(fromFile.samples());
        // Smaller than FFmpeg's read buffer: even a forward-only stream can go back to the audio.
        assertThat(loader.decode(new ByteArrayInputStream(bytes), bytes.length, "pipe.m4a").samples())
                .containsExactly(fromFile.samples());
    }

    /** Containers that state their length: a file cut to 60 % is an error, never a shorter clip. */
    @ParameterizedTest
    @ValueSource(strings = {"speech.mp3", "speech_1s.flac", "speech.m4a", "speech_stereo.webm"})
    void aTruncatedFileIsAOneLineError(String name) throws Exception {
        byte[] bytes = Files.readAllBytes(resource("formats/" + name));
        Path cut = tmp.resolve("cut-" + name);
        Files.write(cut, Arrays.copyOf(bytes, bytes.length * 6 / 10));
        assertThatThrownBy(() -> new AudioLoader(RATE).load(cut.toString())).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(cut + ": ").hasMessageMatching("(?s)[^\\n]*(truncated|corrupt|cannot read)[^\\n]*");
    }

    /** Ogg states no length: a cut file decodes to what is left (a known limit, see the README). */
    @ParameterizedTest
    @ValueSource(strings = {"speech.ogg", "speech.opus"})
    void aTruncatedOggFileDecodesToWhatIsLeft(String name) throws Exception {
        byte[] bytes = Files.readAllBytes(resource("formats/" + name));
        Path cut = tmp.resolve("cut-" + name);
        Files.write(cut, Arrays.copyOf(bytes, bytes.length * 6 / 10));
        double seconds = new AudioLoader(RATE).load(cut.toString()).length() / (double) RATE;
        assertThat(seconds).isBetween(0.5, 3.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"speech.mp3", "speech_1s.flac", "speech.m4a", "speech_stereo.webm", "speech.ogg", "speech.opus"})
    void corruptDataIsAOneLineError(String name) throws Exception {
        byte[] bytes = Files.readAllBytes(resource("formats/" + name));
        java.util.Random random = new java.util.Random(7);
        for (int i = 200; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt();
        }
        Path bad = tmp.resolve("bad-" + name);
        Files.write(bad, bytes);
        assertThatThrownBy(() -> new AudioLoader(RATE).load(bad.toString())).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(bad + ": ").hasMessageNotContaining("\n");
    }

    @Test
    void anUnknownFormatNamesTheSupportedOnes() throws Exception {
        Path aiff = tmp.resolve("x.aiff");
        Files.write(aiff, "FORM\0\0\0\0AIFFCOMM".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> new AudioLoader(RATE).load(aiff.toString())).isInstanceOf(BadInputException.class)
                .hasMessage(aiff + ": unsupported format: AIFF");
        Path text = tmp.resolve("x.mp3");
        Files.writeString(text, "hello world");
        assertThatThrownBy(() -> new AudioLoader(RATE).load(text.toString())).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(text + ": not a supported audio file (WAV, MP3, FLAC, Ogg, M4A/AAC, WebM)");
    }

    @Test
    void prepareFindsCompressedFilesUnderTheirCorpusNames() throws Exception {
        Path corpus = tmp.resolve("ravdess/Actor_12");
        Files.createDirectories(corpus);
        Files.copy(resource("formats/speech.mp3"), corpus.resolve("03-01-05-01-02-01-12.mp3"));
        Files.copy(resource("formats/speech_1s.flac"), corpus.resolve("03-01-03-01-02-01-12.FLAC"));
        Files.writeString(corpus.resolve("03-01-04-01-02-01-12.ogg"), "not audio");
        ser.pipeline.prepare.ScanResult result = new ser.pipeline.prepare.CorpusScanner(ser.pipeline.corpus.TestConfig.defaults(),
                ser.pipeline.corpus.CorpusAdaptersTest.providers()).scan(java.util.List.of(tmp.resolve("ravdess")));
        assertThat(result.rows()).extracting(r -> r.emotion().id(), r -> r.durationSeconds() > 0.9)
                .containsExactlyInAnyOrder(org.assertj.core.api.Assertions.tuple("anger", true),
                        org.assertj.core.api.Assertions.tuple("happy", true));
        assertThat(result.bad()).singleElement().satisfies(i -> assertThat(i.location()).endsWith(".ogg"));
    }

    /** The largest normalized cross-correlation of {@code b} against {@code a} over lags within +-maxLag. */
    static double bestCorrelation(float[] a, float[] b, int maxLag) {
        double best = -1;
        for (int lag = -maxLag; lag <= maxLag; lag++) {
            double ab = 0;
            double aa = 0;
            double bb = 0;
            for (int i = 0; i < a.length; i++) {
                int j = i + lag;
                if (j < 0 || j >= b.length) {
                    continue;
                }
                ab += a[i] * (double) b[j];
                aa += a[i] * (double) a[i];
                bb += b[j] * (double) b[j];
            }
            if (aa > 0 && bb > 0) {
                best = Math.max(best, ab / Math.sqrt(aa * bb));
            }
        }
        return best;
    }
}
