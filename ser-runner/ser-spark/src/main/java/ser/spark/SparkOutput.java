package ser.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import ser.pipeline.store.FeatureStore;

/**
 * What a committed {@code ser spark extract} output folder holds, as the {@code ser} command line
 * needs to recognise one without Spark on its class path (so this class uses no Spark or Hadoop
 * type): Spark's {@code _SUCCESS} marker, {@code part-*.parquet} files and the feature schema.
 */
public final class SparkOutput {

    /** The feature schema with its hash, beside the Parquet parts (skipped by Parquet readers: leading {@code _}). */
    public static final String SCHEMA_FILE = "_ser_schema.json";

    /** Written by Spark's committer when the job's output is complete. */
    public static final String SUCCESS = "_SUCCESS";

    private SparkOutput() {
    }

    /**
     * True when {@code dir} is a local, committed Spark Parquet output (a {@code _SUCCESS} marker
     * and at least one {@code .parquet} part) and not a features folder ({@code ser extract}'s
     * {@code nppdp.csv} and {@code schema.json} absent). Whether it came from {@code extract}
     * (has {@link #SCHEMA_FILE}) is left to the reader, which says so when it did not.
     */
    public static boolean isParquetOutput(Path dir) {
        if (!Files.isDirectory(dir) || !Files.isRegularFile(dir.resolve(SUCCESS))
                || Files.exists(dir.resolve(FeatureStore.NPPDP)) || Files.exists(dir.resolve(FeatureStore.SCHEMA))) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".parquet") && Files.isRegularFile(f));
        } catch (IOException e) {
            return false;
        }
    }
}
