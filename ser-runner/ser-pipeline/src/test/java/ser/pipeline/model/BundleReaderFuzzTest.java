package ser.pipeline.model;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import ser.pipeline.BadInputException;
import ser.pipeline.train.CentroidModelProvider;
import ser.pipeline.train.SyntheticFeatures;
import ser.pipeline.train.TestSupport;
import ser.pipeline.train.TrainJob;

/**
 * A real (tiny, centroid-model) bundle with one file replaced by arbitrary bytes, opened with
 * {@link ModelBundle#open}: the first input byte chooses the file ({@code bundle.json}, the
 * safetensors weights, or the scaler/split files), the rest is its content. The answer is a
 * bundle or a {@link BadInputException} naming the bundle folder; any other exception (a raw
 * Jackson, NIO or arithmetic exception, an OutOfMemoryError from a size the file claims) is a
 * finding. Seeds in {@code BundleReaderFuzzTestInputs/open/}; see FUZZING.md to fuzz.
 */
class BundleReaderFuzzTest {

    private static Path work;
    private static Path pristine;
    private static Path bundle;
    private static String[] files;

    @BeforeAll
    static void trainOnce() throws IOException {
        ser.pipeline.fuzz.JazzerModes.configure();
        work = Files.createTempDirectory("bundle-fuzz");
        pristine = work.resolve("pristine");
        TrainJob.run(TestSupport.trainer(TestSupport.config("ser.train.epochs = 2"), TestSupport.sink(new StringWriter())),
                SyntheticFeatures.builder().speakers(6).perEmotion(1).build(), pristine, TestSupport.sink(new StringWriter()));
        try (Stream<Path> all = Files.walk(pristine)) {
            files = all.filter(Files::isRegularFile).map(p -> pristine.relativize(p).toString())
                    .filter(n -> !n.startsWith(ModelBundle.REPORTS)).sorted().toArray(String[]::new);
        }
        bundle = work.resolve("bundle");
        String seeds = System.getProperty("ser.fuzz.write-seeds");
        if (seeds != null) {
            // Writes one seed per file: its index byte, then its pristine content.
            Path out = Files.createDirectories(Path.of(seeds));
            for (int i = 0; i < files.length; i++) {
                byte[] content = Files.readAllBytes(pristine.resolve(files[i]));
                byte[] seed = new byte[content.length + 1];
                seed[0] = (byte) i;
                System.arraycopy(content, 0, seed, 1, content.length);
                Files.write(out.resolve("seed_" + files[i].replaceAll("[^A-Za-z0-9.]", "_")), seed);
            }
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        delete(work);
    }

    @FuzzTest(maxDuration = "10m")
    void open(byte[] data) throws IOException {
        if (data.length == 0) {
            return;
        }
        delete(bundle);
        copy(pristine, bundle);
        String target = files[Math.floorMod(data[0], files.length)];
        Files.write(bundle.resolve(target), Arrays.copyOfRange(data, 1, data.length));
        try (ModelBundle opened = ModelBundle.open(bundle, new CentroidModelProvider(), TestSupport.config())) {
            opened.info();
        } catch (BadInputException e) {
            if (!e.location().startsWith(bundle.toString()) || e.problem() == null || e.problem().isBlank()) {
                throw new IllegalStateException("unclear refusal: " + e.getMessage(), e);
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
