package ser.spark;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import ser.pipeline.BadInputException;
import ser.pipeline.UsageException;
import ser.pipeline.extract.FeatureFolderWriter;
import ser.pipeline.store.FeatureSchema;

/**
 * {@code ser spark export}: the Parquet output of {@code ser spark extract} as a features folder
 * ({@code ser train --features}), written by the same journal and store writer as
 * {@code ser extract}, in input order: for the same files and settings the folder is
 * byte-identical to the one {@code ser extract} writes. Error rows are left out, as extract leaves
 * out files it cannot use.
 */
public final class SparkExport {

    private final SparkSession spark;

    public SparkExport(SparkSession spark) {
        this.spark = spark;
    }

    /** @return the number of utterances written */
    public int run(String in, Path out, PrintWriter err) {
        FeatureSchema schema = schema(in);
        Dataset<Row> table = spark.read().parquet(in);
        long unlabelled = table.where(col(FeatureRows.ERROR).isNull().and(col("emotion_label").isNull())).count();
        if (unlabelled > 0) {
            throw new UsageException(in + ": " + unlabelled + " extracted rows have no emotion label (extracted from"
                    + " --files); a features folder for training needs a --manifest with labels");
        }
        Iterator<Row> rows = SparkExtract.successes(table);
        try (FeatureFolderWriter writer = FeatureFolderWriter.open(out, schema, "ser spark export", err::println)) {
            while (rows.hasNext()) {
                Row r = rows.next();
                writer.add(FeatureRows.manifestRow(r), FeatureRows.extraction(r, schema));
            }
            return writer.finish();
        }
    }

    /** The feature schema a ser spark extract output was written with. */
    public FeatureSchema schema(String in) {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(in, SparkOutput.SCHEMA_FILE);
        try {
            FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(file)) {
                throw new BadInputException(in, "not a ser spark extract output (no " + SparkOutput.SCHEMA_FILE + ")");
            }
            try (var stream = fs.open(file)) {
                return FeatureSchema.fromJson(new String(stream.readAllBytes(), StandardCharsets.UTF_8), file.toString());
            }
        } catch (IOException e) {
            throw new BadInputException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
    }
}
