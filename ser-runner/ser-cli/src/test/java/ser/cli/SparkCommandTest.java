package ser.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import ser.api.Emotion;
import ser.pipeline.extract.Fixtures;
import ser.pipeline.prepare.Manifest;
import ser.pipeline.prepare.ManifestRow;
import ser.pipeline.report.Json;
import ser.spark.SparkJvm;

/**
 * {@code ser spark} starts a Spark JVM from the ser-spark build and relays its output and exit
 * code, and {@code ser train} takes its Parquet output directly. One {@code ser spark extract} run
 * (small data, local[2]) serves every test: a Spark JVM costs seconds to start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkCommandTest {

    /** Cheap real extractor (the Spark JVM has the built-in plugins only) and a fast test backend. */
    static final String[] SETTINGS = {"--set", "ser.extract.extractors=[energy]", "--set", "ser.extract.threads=1",
        "--set", "ser.train.backend=test-centroid", "--set", "ser.train.epochs=12", "--set", "ser.train.learning-rate=0.5",
        "--set", "ser.train.threads=1"};

    Path tmp;
    String classPath;
    Path manifest;
    Path features;
    Path parquet;
    CliRun sparkExtract;

    @BeforeAll
    void extractBothWays(@TempDir Path tmp) throws Exception {
        this.tmp = tmp;
        // The reactor packages ser-spark (target/lib holds Spark) before these tests run.
        classPath = SparkJvm.classPath(Path.of("").toAbsolutePath().getParent().getParent());
        if (classPath == null) {
            return;
        }
        System.setProperty(SparkCommand.CLASSPATH_PROPERTY, classPath);
        List<ManifestRow> rows = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            for (Emotion e : Emotion.values()) {
                Path wav = tmp.resolve("audio/spk" + s + "/" + e.id() + ".wav");
                CliEndToEndTest.writeWav(wav, e.index(), s, 100L * s + 10L * e.index());
                rows.add(new ManifestRow("sc/spk" + s + "/" + e.id(), wav.toString(), "sc", "spk" + s, Optional.empty(),
                        e.id(), e, 0.6, CliEndToEndTest.RATE));
            }
        }
        Path broken = tmp.resolve("audio/broken.wav");
        Files.writeString(broken, "not audio");
        rows.add(new ManifestRow("sc/broken", broken.toString(), "sc", "spk0", Optional.empty(), "anger", Emotion.ANGER,
                0.6, CliEndToEndTest.RATE));
        manifest = tmp.resolve("manifest.csv");
        Manifest.write(manifest, rows);

        parquet = tmp.resolve("features.parquet");
        sparkExtract = ser("spark", "extract", "--manifest", manifest.toString(), "--out", parquet.toString(),
                "--master", "local[2]");
        features = tmp.resolve("features");
        CliRun extract = ser("extract", "--manifest", manifest.toString(), "--out", features.toString());
        assertThat(extract.exitCode()).as(extract.err()).isZero();
        assertThat(extract.out() + extract.err()).contains("broken.wav");
        assertThat(features.resolve("schema.json")).isRegularFile();
    }

    @AfterAll
    void clear() {
        System.clearProperty(SparkCommand.CLASSPATH_PROPERTY);
    }

    static CliRun ser(String... args) {
        List<String> all = new ArrayList<>(List.of(SETTINGS));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void extractsInLocalModeAndReportsErrorRows() {
        assumeTrue(classPath != null, "ser-spark is not packaged");
        assertThat(sparkExtract.exitCode()).as(sparkExtract.err()).isZero();
        assertThat(sparkExtract.out()).contains("extracted 48 of 49 utterances");
        assertThat(sparkExtract.err()).contains("broken.wav: ");
        assertThat(parquet.resolve("_SUCCESS")).exists();
        assertThat(parquet.resolve("_ser_schema.json")).exists();
    }

    @Test
    void trainTakesTheParquetOutputAndTrainsAsOnSerExtractsFolder() throws Exception {
        assumeTrue(classPath != null, "ser-spark is not packaged");
        Path fromParquet = tmp.resolve("model-parquet");
        CliRun train = ser("train", "--features", parquet.toString(), "--out", fromParquet.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        Path converted = tmp.resolve("model-parquet" + ParquetFeatures.SUFFIX);
        assertThat(train.out()).contains("--features " + parquet + " is a ser spark extract output (Parquet): converted")
                .contains(converted + " (48 utterances)");

        // The conversion is ser extract's folder, byte for byte (plus the note of its source).
        TreeMap<String, byte[]> mine = Fixtures.files(converted);
        assertThat(mine.remove(ParquetFeatures.SOURCE)).isNotNull();
        TreeMap<String, byte[]> theirs = Fixtures.files(features);
        assertThat(mine.keySet()).isEqualTo(theirs.keySet());
        mine.forEach((name, bytes) -> assertThat(bytes).as(name).isEqualTo(theirs.get(name)));

        Path fromFolder = tmp.resolve("model-folder");
        CliRun reference = ser("train", "--features", features.toString(), "--out", fromFolder.toString());
        assertThat(reference.exitCode()).as(reference.err()).isZero();
        JsonNode metrics = Json.MAPPER.readTree(fromParquet.resolve("reports/metrics.json").toFile());
        assertThat(metrics.get("uar")).isNotNull();
        assertThat(metrics).isEqualTo(Json.MAPPER.readTree(fromFolder.resolve("reports/metrics.json").toFile()));

        // Again from the same, unchanged output: the conversion is reused (no Spark JVM), the bundle replaced.
        CliRun again = ser("train", "--features", parquet.toString(), "--out", fromParquet.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("using its conversion " + converted + " (48 utterances)");
        assertThat(Json.MAPPER.readTree(fromParquet.resolve("reports/metrics.json").toFile())).isEqualTo(metrics);
    }

    @Test
    void aConversionFolderHoldingOtherFilesIsNeverReplaced() throws Exception {
        assumeTrue(classPath != null, "ser-spark is not packaged");
        Path out = tmp.resolve("cv");
        Path taken = Files.createDirectories(tmp.resolve("cv" + ParquetFeatures.SUFFIX));
        Path mine = Files.writeString(taken.resolve("notes.txt"), "mine");
        CliRun cv = ser("train", "--cv", "2", "--features", parquet.toString(), "--out", out.toString());
        assertThat(cv.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(cv.err()).contains(taken.toString()).contains("notes.txt");
        assertThat(Files.readString(mine)).isEqualTo("mine");
        assertThat(out).doesNotExist();
    }

    @Test
    void theJobsUsageErrorsComeBackAsExitCode2() {
        assumeTrue(classPath != null, "ser-spark is not packaged");
        // Refused before a Spark session starts: cheap.
        CliRun run = ser("spark", "extract", "--manifest", manifest.toString(), "--out", tmp.resolve("x.parquet").toString(),
                "--rows-per-task", "0");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--rows-per-task: must be at least 1");
    }

    @Test
    void withoutTheSparkBuildItSaysHowToBuildIt() {
        String saved = System.clearProperty(SparkCommand.CLASSPATH_PROPERTY);
        try {
            CliRun run = CliRun.of("spark", "extract", "--files", tmp.toString(), "--out", tmp.resolve("o").toString());
            assertThat(run.exitCode()).isEqualTo(ExitCodes.RUN_FAILURE);
            assertThat(run.err()).contains("not built");
        } finally {
            if (saved != null) {
                System.setProperty(SparkCommand.CLASSPATH_PROPERTY, saved);
            }
        }
    }
}
