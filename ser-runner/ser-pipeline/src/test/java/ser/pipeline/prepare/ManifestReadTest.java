package ser.pipeline.prepare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import ser.api.Emotion;
import ser.pipeline.BadInputException;

/** Manifest.read on malformed files: one line naming the file, the line and the problem. */
class ManifestReadTest {

    private static final String HEADER = "id,path,corpus,speaker,gender,source_label,emotion,emotion_label,duration_s,sample_rate\n";

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("manifest.csv"), text, StandardCharsets.UTF_8);
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstColumn() throws IOException {
        Path file = write("\uFEFF" + HEADER + "r/a,/a.wav,r,1,,calm,others,8,1.5,16000\n");
        assertThat(Manifest.read(file)).singleElement().satisfies(row -> {
            assertThat(row.id()).isEqualTo("r/a");
            assertThat(row.emotion()).isEqualTo(Emotion.OTHERS);
            assertThat(row.durationSeconds()).isEqualTo(1.5);
        });
    }

    /** row after the header, problem. */
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "r/a,/a.wav,r | bad manifest row: 3 field(s), the header has 10",
        "r/a,/a.wav,r,1,,x,others,8,1,16000,extra | bad manifest row: 11 field(s), the header has 10",
        "' ',/a.wav,r,1,,x,others,8,1,16000 | bad manifest row: empty id",
        "r/a,,r,1,,x,others,8,1,16000 | bad manifest row: empty path",
        "r/a,/a.wav,r,1,,x,others,8,NaN,16000 | bad manifest row: duration_s 'NaN' is not a finite number >= 0",
        "r/a,/a.wav,r,1,,x,others,8,-1,16000 | bad manifest row: duration_s '-1' is not a finite number >= 0",
        "r/a,/a.wav,r,1,,x,others,8,1,0 | bad manifest row: sample_rate 0 is not positive",
        "r/a,/a.wav,r,1,,x,others,8,1,16k | bad manifest row: sample_rate '16k' is not a number",
        "r/a,/a.wav,r,1,,x,others,9,1,16000 | bad manifest row: emotion_label 9 is not 1..8",
    })
    void badRowsAreNamedByLine(String row, String problem) throws IOException {
        Path file = write(HEADER + "r/ok,/ok.wav,r,1,,x,others,8,1,16000\n" + row.replace("' '", " ") + "\n");
        assertThatThrownBy(() -> Manifest.read(file)).isInstanceOfSatisfying(BadInputException.class, e -> {
            assertThat(e.location()).isEqualTo(file + ":3");
            assertThat(e.problem()).isEqualTo(problem.trim());
        });
    }

    @Test
    void malformedCsvAndEmptyHeaderNamesAreRefusedNamingTheFile() throws IOException {
        Path quotes = write(HEADER + "\"r/a\"x,/a.wav,r,1,,x,others,8,1,16000\n");
        assertThatThrownBy(() -> Manifest.read(quotes)).isInstanceOfSatisfying(BadInputException.class, e -> {
            assertThat(e.location()).isEqualTo(quotes.toString());
            assertThat(e.problem()).startsWith("cannot read manifest: ").contains("Invalid character between encapsulated token and delimiter at line: 2");
        });
        Path emptyName = write("id,path,,\n");
        assertThatThrownBy(() -> Manifest.read(emptyName)).isInstanceOfSatisfying(BadInputException.class,
                e -> assertThat(e.problem()).startsWith("cannot read manifest: A header name is missing"));
        Path latin1 = Files.write(dir.resolve("l.csv"), new byte[] {'i', 'd', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> Manifest.read(latin1)).isInstanceOfSatisfying(BadInputException.class,
                e -> assertThat(e.problem()).isEqualTo("cannot read manifest: not UTF-8 text"));
    }

    /** Every refusal closes the file, also one whose very first bytes cannot be decoded (Jazzer: "Too many open files"). */
    @Test
    void refusalsCloseTheFile() throws IOException {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(os instanceof com.sun.management.UnixOperatingSystemMXBean,
                "open file count needs a Unix JVM");
        com.sun.management.UnixOperatingSystemMXBean unix = (com.sun.management.UnixOperatingSystemMXBean) os;
        Path undecodable = Files.write(dir.resolve("u.csv"), new byte[] {(byte) 0xFF, 'i', 'd', '\n'});
        Path duplicate = write("id,id\n");
        Path shortRow = write(HEADER + "r/a,/a.wav,r\n");
        long before = unix.getOpenFileDescriptorCount();
        for (int i = 0; i < 300; i++) {
            for (Path file : new Path[] {undecodable, duplicate, shortRow}) {
                assertThatThrownBy(() -> Manifest.read(file)).isInstanceOf(BadInputException.class);
            }
        }
        // 900 refusals: a leak per refusal would show hundreds; a little slack for the JVM's own files
        assertThat(unix.getOpenFileDescriptorCount()).isLessThan(before + 50);
    }
}
