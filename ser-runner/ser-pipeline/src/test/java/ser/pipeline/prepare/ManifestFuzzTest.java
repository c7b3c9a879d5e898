package ser.pipeline.prepare;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import ser.pipeline.BadInputException;

/**
 * Arbitrary bytes as {@code manifest.csv} through {@link Manifest#read}: the answer is rows or a
 * {@link BadInputException} naming the file (and line) and the problem; any other exception is a
 * finding, and so is a row that breaks what a manifest
 * promises (unique non-blank ids, a non-blank path, a finite non-negative duration, a positive
 * sample rate). Seeds in {@code ManifestFuzzTestInputs/read/}; see FUZZING.md to fuzz.
 */
class ManifestFuzzTest {

    private static Path dir;

    @BeforeAll
    static void configureJazzer() throws IOException {
        ser.pipeline.fuzz.JazzerModes.configure();
        dir = Files.createTempDirectory("manifest-fuzz");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        Files.deleteIfExists(dir.resolve("manifest.csv"));
        Files.deleteIfExists(dir);
    }

    @FuzzTest(maxDuration = "10m")
    void read(byte[] data) throws IOException {
        Path file = Files.write(dir.resolve("manifest.csv"), data);
        List<ManifestRow> rows;
        try {
            rows = Manifest.read(file);
        } catch (BadInputException e) {
            // messages echo the file's own text, so only their frame is checked: the file (and
            // line) named, and a problem stated; ManifestReadTest checks the wording of each case
            if (!(e.location().equals(file.toString()) || e.location().startsWith(file + ":"))
                    || e.problem() == null || e.problem().isBlank()) {
                throw new IllegalStateException("unclear refusal: " + e.getMessage(), e);
            }
            return;
        }
        Set<String> ids = new HashSet<>();
        for (ManifestRow row : rows) {
            require(!row.id().isBlank() && ids.add(row.id()), "id", row);
            require(!row.location().isBlank(), "path", row);
            require(Double.isFinite(row.durationSeconds()) && row.durationSeconds() >= 0, "duration", row);
            require(row.sampleRate() > 0, "sample rate", row);
        }
    }

    private static void require(boolean ok, String what, Object value) {
        if (!ok) {
            throw new IllegalStateException("bad " + what + ": " + value);
        }
    }
}
