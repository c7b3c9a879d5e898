package ser.pipeline.corpus;

import ser.pipeline.prepare.ScanResult;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import ser.pipeline.BadInputException;

/**
 * Arbitrary bytes as a labelled list through {@link LabelledList#read} (files are only looked
 * up, never opened): the answer is entries and bad rows, or a {@link BadInputException}; any other
 * exception is a finding, and so is an entry with a blank speaker, a label that is blank or not
 * lower case, a gender other than male/female, or a path that is not a file. Seeds in
 * {@code LabelledListFuzzTestInputs/read/}; see FUZZING.md to fuzz.
 */
class LabelledListFuzzTest {

    private static Path dir;

    @BeforeAll
    static void configureJazzer() throws IOException {
        ser.pipeline.fuzz.JazzerModes.configure();
        dir = Files.createTempDirectory("list-fuzz");
        Files.write(dir.resolve("a.wav"), new byte[44]);
        Files.createDirectories(dir.resolve("sub"));
        Files.write(dir.resolve("sub/b.wav"), new byte[44]);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        for (String name : new String[] {"list.csv", "sub/b.wav", "sub", "a.wav"}) {
            Files.deleteIfExists(dir.resolve(name));
        }
        Files.deleteIfExists(dir);
    }

    @FuzzTest(maxDuration = "10m")
    void read(byte[] data) throws IOException {
        Path csv = Files.write(dir.resolve("list.csv"), data);
        LabelledList.Contents contents;
        try {
            contents = LabelledList.read(csv, "list.csv");
        } catch (BadInputException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("--corpus list.csv: ")) {
                throw new IllegalStateException("unclear refusal: " + e.getMessage(), e);
            }
            return;
        }
        for (LabelledList.Entry entry : contents.entries()) {
            var l = entry.labeled();
            require(l.corpus().equals("list"), "corpus", l);
            require(!l.speaker().isBlank(), "speaker", l);
            require(!l.sourceLabel().isBlank() && l.sourceLabel().equals(l.sourceLabel().toLowerCase(Locale.ROOT)), "label", l);
            require(l.gender().isEmpty() || l.gender().get().equals("male") || l.gender().get().equals("female"), "gender", l);
            require(Files.isRegularFile(entry.file()), "file", entry);
        }
        for (ScanResult.Issue issue : contents.bad()) {
            require(issue.location().startsWith(csv + " row ") && !issue.reason().isBlank(), "issue", issue);
        }
    }

    private static void require(boolean ok, String what, Object value) {
        if (!ok) {
            throw new IllegalStateException("bad " + what + ": " + value);
        }
    }
}
