package ser.pipeline.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import ser.pipeline.BadInputException;

/** Every broken or unsupported input gives a BadInputException naming the file and the exact problem. */
class WavErrorsTest {

    private static final double[] FOUR = {0.1, 0.2, 0.3, 0.4};

    @TempDir
    Path dir;

    private final AudioLoader loader = new AudioLoader(16000);

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    /** Compressed headers with nothing after them reach FFmpeg, which names the container it could not read. */
    private static final String NOT_AUDIO = "not a supported audio file (WAV, MP3, FLAC, Ogg, M4A/AAC, WebM)";

    static Stream<Arguments> badFiles() {
        byte[] header12 = concat(ascii("RIFF"), TestWav.le32(4), ascii("WAVE"));
        return Stream.of(
                Arguments.of("empty file", new byte[0], "empty file"),
                Arguments.of("text", ascii("hello, this is not audio\n"), NOT_AUDIO + " (starts with 0x68656C6C)"),
                Arguments.of("html", ascii("<!DOCTYPE html><html></html>"), NOT_AUDIO + " (starts with 0x3C21444F)"),
                Arguments.of("mp3 id3", concat(ascii("ID3"), new byte[] {4, 0, 0, 0, 0, 0, 0}), "cannot read as MP3 (invalid argument)"),
                Arguments.of("mp3 frame", new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64, 0, 0, 0, 0}, "cannot read as MP3 (invalid argument)"),
                Arguments.of("aac adts", new byte[] {(byte) 0xFF, (byte) 0xF1, 0x50, (byte) 0x80, 0, 0, 0, 0}, "cannot read as AAC (ADTS) (invalid data found when processing input)"),
                Arguments.of("flac", concat(ascii("fLaC"), new byte[30]), "cannot read as FLAC (invalid data found when processing input)"),
                Arguments.of("ogg", concat(ascii("OggS"), new byte[30]), "cannot read as Ogg (Vorbis/Opus) (the file ends too early)"),
                Arguments.of("m4a", concat(new byte[] {0, 0, 0, 0x20}, ascii("ftypM4A "), new byte[20]), "cannot read as M4A/MP4 (AAC) (invalid data found when processing input)"),
                Arguments.of("aiff", concat(ascii("FORM"), TestWav.le32(100), ascii("AIFF"), new byte[20]), "unsupported format: AIFF"),
                Arguments.of("rifx", concat(ascii("RIFX"), TestWav.le32(100), ascii("WAVE"), new byte[20]), "unsupported format: big-endian WAV (RIFX)"),
                Arguments.of("avi", concat(ascii("RIFF"), TestWav.le32(100), ascii("AVI "), new byte[20]), NOT_AUDIO + ": RIFF form type 'AVI '"),
                Arguments.of("riff cut", ascii("RIFF\0\0\0\0"), "truncated: the file ends inside the RIFF header (8 bytes)"),
                Arguments.of("header only", header12, "no fmt chunk"),
                Arguments.of("no data chunk", TestWav.pcm(16, 16000, FOUR).noData().bytes(), "no data chunk"),
                Arguments.of("no fmt chunk", TestWav.pcm(16, 16000, FOUR).noFmt().bytes(), "data chunk comes before the fmt chunk"),
                Arguments.of("data before fmt", TestWav.pcm(16, 16000, FOUR).dataBeforeFmt().bytes(), "data chunk comes before the fmt chunk"),
                Arguments.of("chunk header cut", concat(TestWav.pcm(16, 16000, FOUR).noData().bytes(), ascii("dat")),
                        "no data chunk (the file ends inside a chunk header at offset 36)"),
                Arguments.of("chunk runs past the end", TestWav.pcm(16, 16000, FOUR).lyingChunkBeforeData("LIST", 1000, new byte[4]).noData().bytes(),
                        "no data chunk (chunk 'LIST' at offset 36 declares 1000 bytes, past the end of the file)"),
                Arguments.of("truncated data", TestWav.pcm(16, 16000, TestWav.sine(440, 16000, 1, 0.5)).cut(10000).bytes(),
                        "truncated: data chunk declares 32000 bytes but only 22000 follow"),
                Arguments.of("data size larger than the file (2 GB+)", TestWav.pcm(16, 16000, FOUR).dataSize(0xFFFFFFF0L).bytes(),
                        "truncated: data chunk declares 4294967280 bytes but only 8 follow"),
                Arguments.of("rf64 ds64 lies", TestWav.pcm(16, 16000, FOUR).rf64().ds64DataSize(1L << 40).bytes(),
                        "truncated: data chunk declares 1099511627776 bytes but only 8 follow"),
                Arguments.of("empty data chunk", TestWav.pcm(16, 16000, new double[0]).bytes(), "no audio: the data chunk is empty"),
                Arguments.of("less than a frame", new TestWav().bits(16).channels(2).rawData(new byte[3]).bytes(),
                        "no audio: the data chunk holds 3 bytes, less than one 4-byte frame"),
                Arguments.of("zero channels", new TestWav().channels(0).blockAlign(2).rawData(new byte[8]).bytes(), "zero channels"),
                Arguments.of("rate 0", TestWav.pcm(16, 0, FOUR).bytes(), "sample rate 0 Hz is out of range (1000..768000 Hz)"),
                Arguments.of("rate 1", TestWav.pcm(16, 1, FOUR).bytes(), "sample rate 1 Hz is out of range (1000..768000 Hz)"),
                Arguments.of("rate 1e9", TestWav.pcm(16, 1_000_000_000, FOUR).bytes(), "sample rate 1000000000 Hz is out of range (1000..768000 Hz)"),
                Arguments.of("0 bits", new TestWav().bits(0).blockAlign(2).rawData(new byte[8]).bytes(), "0 bits per sample"),
                Arguments.of("64-bit integer", TestWav.pcm(64, 16000, FOUR).bytes(), "unsupported WAV encoding 64-bit integer PCM (format tag 0x0001)"),
                Arguments.of("16-bit float", new TestWav().tag(TestWav.FLOAT).bits(16).rawData(new byte[8]).bytes(),
                        "unsupported WAV encoding 16-bit IEEE float (format tag 0x0003)"),
                Arguments.of("bits exceed container", new TestWav().bits(24).blockAlign(2).rawData(new byte[8]).bytes(),
                        "24 bits per sample do not fit the 2-byte samples of block align 2"),
                Arguments.of("block align mismatch", new TestWav().bits(16).blockAlign(4).rawData(new byte[8]).bytes(),
                        "block align 4 does not match 1 channel(s) of 16-bit samples"),
                Arguments.of("block align not a channel multiple", new TestWav().bits(16).channels(2).blockAlign(3).rawData(new byte[9]).bytes(),
                        "block align 3 is not a multiple of the 2 channel(s)"),
                Arguments.of("fmt too short", TestWav.pcm(16, 16000, FOUR).fmtSize(14).bytes(), "fmt chunk too short (14 bytes, need 16)"),
                Arguments.of("extensible fmt too short", new TestWav().extensible(1).bits(16).fmtSize(18).rawData(new byte[8]).bytes(),
                        "WAVE_FORMAT_EXTENSIBLE fmt chunk too short (18 bytes, need 40)"),
                Arguments.of("mu-law", new TestWav().tag(7).bits(8).rawData(new byte[8]).bytes(), "unsupported WAV encoding mu-law (format tag 0x0007)"),
                Arguments.of("a-law", new TestWav().tag(6).bits(8).rawData(new byte[8]).bytes(), "unsupported WAV encoding A-law (format tag 0x0006)"),
                Arguments.of("ms adpcm", new TestWav().tag(2).bits(4).blockAlign(256).rawData(new byte[256]).bytes(),
                        "unsupported WAV encoding MS ADPCM (format tag 0x0002)"),
                Arguments.of("ima adpcm", new TestWav().tag(0x11).bits(4).blockAlign(256).rawData(new byte[256]).bytes(),
                        "unsupported WAV encoding IMA ADPCM (format tag 0x0011)"),
                Arguments.of("gsm", new TestWav().tag(0x31).bits(0).blockAlign(65).rawData(new byte[65]).bytes(),
                        "unsupported WAV encoding GSM 6.10 (format tag 0x0031)"),
                Arguments.of("mp3 in wav", new TestWav().tag(0x55).bits(0).blockAlign(1).rawData(new byte[100]).bytes(),
                        "unsupported WAV encoding MP3 (format tag 0x0055)"),
                Arguments.of("unknown codec", new TestWav().tag(0x1234).bits(16).rawData(new byte[8]).bytes(),
                        "unsupported WAV encoding unknown (format tag 0x1234)"),
                Arguments.of("extensible mu-law", new TestWav().extensible(7).bits(8).rawData(new byte[8]).bytes(),
                        "unsupported WAV encoding mu-law (WAVE_FORMAT_EXTENSIBLE sub-format 0x0007)"),
                Arguments.of("extensible foreign guid", new TestWav().extensible(1).bits(16).guidTail(new byte[14]).rawData(new byte[8]).bytes(),
                        "unsupported WAV encoding: WAVE_FORMAT_EXTENSIBLE sub-format {00000001-0000-0000-0000-000000000000} (format tag 0xFFFE)"),
                Arguments.of("rf64 without ds64", concat(ascii("RF64"), TestWav.le32(0xFFFFFFFFL), ascii("WAVE"), ascii("fmt "), TestWav.le32(16), new byte[16]),
                        "RF64 file without a ds64 chunk (found 'fmt ' first)"),
                Arguments.of("float NaN", TestWav.float32(16000, new double[] {0.1, 0.2, Double.NaN, 0.3}).bytes(),
                        "contains NaN/Inf samples (first at frame 2)"),
                Arguments.of("float64 Inf", TestWav.float64(16000, new double[] {Double.POSITIVE_INFINITY}).bytes(),
                        "contains NaN/Inf samples (first at frame 0)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void badFileIsNamedWithItsProblem(String name, byte[] bytes, String problem) throws IOException {
        Path file = Files.write(dir.resolve("x.wav"), bytes);
        assertThatThrownBy(() -> loader.load(file.toString()))
                .isInstanceOfSatisfying(BadInputException.class, e -> {
                    assertThat(e.problem()).isEqualTo(problem);
                    assertThat(e.location()).isEqualTo(file.toString());
                });
    }

    @Test
    void missingFile() {
        String where = dir.resolve("nope.wav").toString();
        assertThatThrownBy(() -> loader.load(where)).isInstanceOf(BadInputException.class).hasMessage(where + ": no such file");
        assertThatThrownBy(() -> loader.probe(where)).isInstanceOf(BadInputException.class).hasMessage(where + ": no such file");
    }

    @Test
    void directoryNamedLikeAWav() throws IOException {
        Path d = Files.createDirectory(dir.resolve("x.wav"));
        assertThatThrownBy(() -> loader.load(d.toString())).isInstanceOf(BadInputException.class)
                .hasMessage(d + ": is a directory, not a file");
    }

    @Test
    void unreadableFile() throws IOException {
        assumeThat(System.getProperty("user.name")).as("root reads every file").isNotEqualTo("root");
        Path file = TestWav.pcm(16, 16000, FOUR).write(dir.resolve("locked.wav"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assertThatThrownBy(() -> loader.load(file.toString())).isInstanceOf(BadInputException.class)
                .hasMessage(file + ": cannot read: permission denied");
    }

    @Test
    void truncatedStreamOfUnknownSizeIsFoundWhileDecoding() throws IOException {
        byte[] b = TestWav.pcm(16, 16000, TestWav.sine(440, 16000, 1, 0.5)).cut(10000).bytes();
        assertThatThrownBy(() -> loader.decode(new java.io.ByteArrayInputStream(b), -1, "in.zip!/a.wav"))
                .isInstanceOf(BadInputException.class)
                .hasMessage("in.zip!/a.wav: truncated: data chunk declares 32000 bytes but only 22000 follow");
    }
}
