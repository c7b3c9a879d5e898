package ser.pipeline.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.pipeline.BadInputException;
import ser.pipeline.UsageException;

/**
 * Memory per file is bounded by {@code ser.audio.max-duration-s} and {@code max-file-mb}: what a
 * header or an archive declares is checked before anything is allocated, what really arrives is
 * counted. No test allocates more than a few MB: the huge sizes are only declared.
 */
class MemoryLimitsTest {

    private static final long GIB = 1L << 30;

    @Test
    void aHeaderDeclaringHoursIsRefusedBeforeAllocation() {
        // 16-bit mono 16 kHz, 2 GiB of data declared (about 18 hours), 1 kB present, length unknown (a pipe).
        byte[] wav = new TestWav().rate(16000).rawData(new byte[1000]).dataSize(2 * GIB - 2).bytes();
        AudioLoader loader = new AudioLoader(16000);
        assertThatThrownBy(() -> loader.decode(new ByteArrayInputStream(wav), -1, "huge.wav"))
                .isInstanceOf(BadInputException.class)
                .hasMessage("huge.wav: too long: 67108.9 s, over ser.audio.max-duration-s = 600.0 s (raise it to decode"
                        + " longer files)");
    }

    @Test
    void samplesBeyondTheLimitAreRefusedAsTheyArriveWhenTheHeaderCannotTell() throws IOException {
        // A streamed WAV says 0xFFFFFFFF ("until the end"); 3 s arrive, the limit is 1 s.
        byte[] header = new TestWav().rate(16000).rawData(new byte[0]).dataSize(0xFFFFFFFFL).bytes();
        byte[] data = TestWav.pcm(16, 16000, TestWav.sine(200, 16000, 3, 0.3)).bytes();
        byte[] pcm = java.util.Arrays.copyOfRange(data, 44, data.length);
        InputStream stream = new SequenceInputStream(new ByteArrayInputStream(header), new ByteArrayInputStream(pcm));
        AudioLoader loader = new AudioLoader(16000, 1.0, 2048);
        assertThatThrownBy(() -> loader.decode(stream, -1, "stream.wav"))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("stream.wav: too long: over ser.audio.max-duration-s = 1.0 s");
        // Within the limit the same stream decodes.
        AudioLoader roomy = new AudioLoader(16000, 5.0, 2048);
        InputStream again = new SequenceInputStream(new ByteArrayInputStream(header), new ByteArrayInputStream(pcm));
        assertThat(roomy.decode(again, -1, "stream.wav").length()).isEqualTo(48000);
    }

    @Test
    void aFileOrEntryLargerThanTheSizeLimitIsRefusedUnread() {
        AudioLoader loader = new AudioLoader(16000, 600, 1);
        InputStream never = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read although the declared size is over the limit");
            }
        };
        assertThatThrownBy(() -> loader.decode(never, 3L << 20, "big.zip!/a.wav"))
                .isInstanceOf(BadInputException.class)
                .hasMessage("big.zip!/a.wav: too big: is 3 MB, over ser.audio.max-file-mb = 1 (raise it to decode larger files)");
    }

    @Test
    void anEntryInflatingBeyondItsDeclaredSizeIsRefused() {
        byte[] wav = TestWav.pcm(16, 16000, TestWav.sine(200, 16000, 0.5, 0.3)).bytes();
        AudioLoader loader = new AudioLoader(16000);
        assertThatThrownBy(() -> loader.decode(new ByteArrayInputStream(wav), wav.length - 100, "bomb.zip!/x.wav"))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("bomb.zip!/x.wav: ");
    }

    @Test
    void aZipEntryOverTheLimitIsReportedByTheLoader(@TempDir Path dir) throws IOException {
        Path zip = dir.resolve("c.zip");
        byte[] wav = TestWav.pcm(16, 16000, TestWav.sine(200, 16000, 40, 0.3)).bytes(); // 1.28 MB, compresses well
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("long.wav"));
            out.write(wav);
            out.closeEntry();
        }
        assertThat(Files.size(zip)).isLessThan(1L << 20);
        assertThatThrownBy(() -> new AudioLoader(16000, 600, 1).load(zip + "!/long.wav"))
                .isInstanceOf(BadInputException.class)
                .hasMessage(zip + "!/long.wav: too big: is 1 MB, over ser.audio.max-file-mb = 1 (raise it to decode larger files)");
        assertThat(new AudioLoader(16000, 60, 2048).load(zip + "!/long.wav")).isNotNull();
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> new AudioLoader(16000, 0, 1)).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("ser.audio.max-duration-s: must be > 0");
        assertThatThrownBy(() -> new AudioLoader(16000, 10, 0)).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("ser.audio.max-file-mb: must be at least 1");
    }
}
