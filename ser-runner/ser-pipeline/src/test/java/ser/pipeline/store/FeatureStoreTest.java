package ser.pipeline.store;

import ser.pipeline.extract.Fixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.pipeline.BadInputException;

class FeatureStoreTest {

    @TempDir
    static Path shared;
    static Path good;

    @TempDir
    Path tmp;

    @BeforeAll
    static void extractOnce() {
        good = shared.resolve("good");
        Fixtures.extract(Fixtures.goodRows(3), good, 1);
    }

    /** A copy of the good folder to damage. */
    private int copies;

    private Path copy() throws IOException {
        Path dir = tmp.resolve("copy" + copies++);
        Files.createDirectories(dir);
        try (var files = Files.list(good)) {
            for (Path p : files.toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        return dir;
    }

    private static void editLines(Path file, java.util.function.UnaryOperator<List<String>> edit) throws IOException {
        List<String> lines = edit.apply(new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8)));
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    @Test
    void opensTheGoodFolder() {
        FeatureSet set = FeatureStore.open(good);
        assertThat(set.utterances()).hasSize(3);
        assertThat(set.sequence(2)[0]).hasSize(3);
        assertThatThrownBy(() -> set.sequence(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void missingFiles() throws IOException {
        assertThatThrownBy(() -> FeatureStore.open(tmp.resolve("nope"))).hasMessageContaining("no such folder");
        for (String name : List.of("schema.json", "nppdp.csv", "nppdp.index.csv", "sequences.f32")) {
            Path dir = copy();
            Files.delete(dir.resolve(name));
            assertThatThrownBy(() -> FeatureStore.open(dir))
                    .isInstanceOf(BadInputException.class)
                    .hasMessage(dir.resolve(name) + ": missing (not a complete feature folder: run ser extract)");
        }
    }

    @Test
    void headerOnlyNppdp() throws IOException {
        Path dir = copy();
        editLines(dir.resolve("nppdp.csv"), l -> l.subList(0, 1));
        assertThatThrownBy(() -> FeatureStore.open(dir))
                .hasMessage(dir.resolve("nppdp.csv") + ": no data rows (header only)");
        Files.writeString(dir.resolve("nppdp.csv"), "");
        assertThatThrownBy(() -> FeatureStore.open(dir)).hasMessageContaining("nppdp.csv: empty file");
    }

    @Test
    void missingColumn() throws IOException {
        Path dir = copy();
        // Drop the second column from every line.
        editLines(dir.resolve("nppdp.csv"), lines -> lines.stream().map(s -> {
            List<String> cells = new ArrayList<>(Arrays.asList(s.split(",", -1)));
            cells.remove(1);
            return String.join(",", cells);
        }).toList());
        assertThatThrownBy(() -> FeatureStore.open(dir))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(dir.resolve("nppdp.csv") + ": missing column 'test-level_rms_std'");
    }

    @Test
    void nonNumericCell() throws IOException {
        Path dir = copy();
        editLines(dir.resolve("nppdp.csv"), lines -> {
            String[] cells = lines.get(2).split(",");
            cells[3] = "abc";
            lines.set(2, String.join(",", cells));
            return lines;
        });
        assertThatThrownBy(() -> FeatureStore.open(dir))
                .hasMessage(dir.resolve("nppdp.csv") + ":3: column 'test-level_rms_max': not a number: 'abc'");
    }

    @Test
    void lengthMismatches() throws IOException {
        Path rows = copy();
        editLines(rows.resolve("nppdp.csv"), l -> l.subList(0, 3));
        assertThatThrownBy(() -> FeatureStore.open(rows))
                .hasMessage(rows.resolve("nppdp.csv") + ": length mismatch: 2 rows, nppdp.index.csv has 3");

        Path seq = copy();
        try (RandomAccessFile f = new RandomAccessFile(seq.resolve("sequences.f32").toFile(), "rw")) {
            f.setLength(f.length() - 4);
        }
        assertThatThrownBy(() -> FeatureStore.open(seq))
                .hasMessageStartingWith(seq.resolve("sequences.f32") + ": length mismatch: ")
                .hasMessageContaining("frames x 3 float32 columns");
    }

    @Test
    void schemaHashMismatchBetweenSchemaAndStoreNamesBothHashes() throws IOException {
        Path dir = copy();
        String stored = FeatureStore.open(good).schema().hash();
        // Another run's sequence file: same shape, other schema hash in its header.
        byte[] bytes = Files.readAllBytes(dir.resolve("sequences.f32"));
        byte[] other = new byte[32];
        Arrays.fill(other, (byte) 0xab);
        System.arraycopy(other, 0, bytes, 32, 32);
        Files.write(dir.resolve("sequences.f32"), bytes);
        assertThatThrownBy(() -> FeatureStore.open(dir))
                .isInstanceOf(BadInputException.class)
                .hasMessage(dir.resolve("sequences.f32") + ": schema hash mismatch: sequences.f32 was written with schema "
                        + "ab".repeat(32) + ", schema.json has " + stored);
    }

    @Test
    void editedSchemaJsonIsRefused() throws IOException {
        Path dir = copy();
        String json = Files.readString(dir.resolve("schema.json"));
        Files.writeString(dir.resolve("schema.json"), json.replace("\"frame_length\" : 512", "\"frame_length\" : 400"));
        assertThatThrownBy(() -> FeatureStore.open(dir))
                .hasMessageContaining("schema.json: schema hash mismatch: the file says " + FeatureStore.open(good).schema().hash());
    }

    @Test
    void labelsMustAgree() throws IOException {
        Path dir = copy();
        editLines(dir.resolve("nppdp.csv"), lines -> {
            String l = lines.get(1);
            lines.set(1, l.substring(0, l.lastIndexOf(',') + 1) + "7");
            return lines;
        });
        assertThatThrownBy(() -> FeatureStore.open(dir))
                .hasMessageContaining("nppdp.csv:2: emotion_label 7 differs from nppdp.index.csv (1)");
    }

    /** A refused header closes its file (the parser's constructor reads it; Manifest leaked this way, see FUZZING.md). */
    @Test
    void undecodableHeadersCloseTheirFiles() throws IOException {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(os instanceof com.sun.management.UnixOperatingSystemMXBean,
                "open file count needs a Unix JVM");
        com.sun.management.UnixOperatingSystemMXBean unix = (com.sun.management.UnixOperatingSystemMXBean) os;
        Path dir = copy();
        Files.write(dir.resolve("nppdp.index.csv"), new byte[] {'i', 'd', (byte) 0xFF, '\n'});
        long before = unix.getOpenFileDescriptorCount();
        for (int i = 0; i < 300; i++) {
            assertThatThrownBy(() -> FeatureStore.open(dir)).isInstanceOf(BadInputException.class)
                    .hasMessageStartingWith(dir.resolve("nppdp.index.csv") + ": cannot read");
        }
        assertThat(unix.getOpenFileDescriptorCount()).isLessThan(before + 50);
    }

    @Test
    void aDuplicateHeaderNameIsOneLineNamingTheFile() throws IOException {
        Path dir = copy();
        Path index = dir.resolve("nppdp.index.csv");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(index));
        lines.set(0, lines.get(0) + ",id");
        Files.write(index, lines);
        assertThatThrownBy(() -> FeatureStore.open(dir)).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(index + ": bad header: ").hasMessageNotContaining("\n");
    }
}
