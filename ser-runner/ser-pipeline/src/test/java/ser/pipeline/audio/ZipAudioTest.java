package ser.pipeline.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.pipeline.BadInputException;

/** WAV files inside zip archives are read in place: {@code archive.zip!/entry}. */
class ZipAudioTest {

    @TempDir
    Path dir;

    private final AudioLoader loader = new AudioLoader(16000);

    static void zip(Path file, boolean stored, Object... namesAndBytes) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
            for (int i = 0; i < namesAndBytes.length; i += 2) {
                byte[] b = (byte[]) namesAndBytes[i + 1];
                ZipEntry e = new ZipEntry((String) namesAndBytes[i]);
                if (stored) {
                    CRC32 crc = new CRC32();
                    crc.update(b);
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(b.length);
                    e.setCrc(crc.getValue());
                }
                z.putNextEntry(e);
                z.write(b);
                z.closeEntry();
            }
        }
    }

    @Test
    void deflatedAndStoredEntriesDecodeLikeFiles() throws IOException {
        byte[] wav = TestWav.pcm(16, 22050, TestWav.sine(500, 22050, 0.5, 0.4)).bytes();
        Path plain = Files.write(dir.resolve("a.wav"), wav);
        Path deflated = dir.resolve("d.zip");
        Path stored = dir.resolve("s.zip");
        zip(deflated, false, "Male/ANGRY/a.wav", wav);
        zip(stored, true, "Male/ANGRY/a.wav", wav);
        float[] expected = loader.load(plain.toString()).samples();
        assertThat(loader.load(deflated + "!/Male/ANGRY/a.wav").samples()).containsExactly(expected);
        assertThat(loader.load(stored + "!/Male/ANGRY/a.wav").samples()).containsExactly(expected);
        assertThat(loader.probe(deflated + "!/Male/ANGRY/a.wav").frames()).isEqualTo(11025);
    }

    @Test
    void truncatedEntryIsFoundFromTheEntrySize() throws IOException {
        byte[] wav = TestWav.pcm(16, 16000, TestWav.sine(500, 16000, 0.5, 0.4)).cut(1000).bytes();
        Path z = dir.resolve("t.zip");
        zip(z, false, "a.wav", wav);
        assertThatThrownBy(() -> loader.probe(z + "!/a.wav")).isInstanceOf(BadInputException.class)
                .hasMessageEndingWith("truncated: data chunk declares 16000 bytes but only 15000 follow");
    }

    @Test
    void missingEntryAndBrokenArchive() throws IOException {
        Path z = dir.resolve("z.zip");
        zip(z, false, "a.wav", TestWav.pcm(16, 16000, new double[] {0.1}).bytes());
        assertThatThrownBy(() -> loader.load(z + "!/b.wav")).isInstanceOf(BadInputException.class)
                .hasMessage(z + "!/b.wav: no such entry in the archive");
        Path notZip = Files.writeString(dir.resolve("n.zip"), "not a zip at all");
        assertThatThrownBy(() -> loader.load(notZip + "!/a.wav")).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(notZip + "!/a.wav: cannot read zip archive: ");
        Path none = dir.resolve("none.zip");
        assertThatThrownBy(() -> loader.load(none + "!/a.wav")).isInstanceOf(BadInputException.class)
                .hasMessage(none + "!/a.wav: no such archive " + none);
    }

    @Test
    void locationsParse() {
        assertThat(AudioLocation.parse("/d/x.zip!/a/b.wav")).isEqualTo(new AudioLocation(Path.of("/d/x.zip"), "a/b.wav"));
        assertThat(AudioLocation.parse("/d/x.wav").inArchive()).isFalse();
        assertThat(AudioLocation.parse("/d/x.zip!/a/b.wav").toString()).isEqualTo("/d/x.zip!/a/b.wav");
    }
}
