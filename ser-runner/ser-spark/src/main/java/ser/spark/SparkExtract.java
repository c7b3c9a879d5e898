package ser.spark;

import static org.apache.spark.sql.functions.col;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import ser.pipeline.RunFailure;
import ser.pipeline.UsageException;
import ser.pipeline.extract.AudioAugmentSettings;
import ser.pipeline.extract.FeaturePipeline;
import ser.pipeline.plugins.PluginRegistry;
import ser.pipeline.store.FeatureSchema;
import ser.pipeline.store.StoreWriter;
import ser.pipeline.util.AtomicFiles;

/**
 * {@code ser spark extract}: the configured feature pipeline over many files on Spark, written as
 * Parquet ({@link FeatureRows}) with the feature schema beside it; optionally also nppdp.csv.
 */
public final class SparkExtract {

    private final SparkSession spark;
    private final Config config;
    private final FeaturePipeline pipeline;

    public SparkExtract(SparkSession spark, Config config, PluginRegistry plugins) {
        this.spark = spark;
        this.config = config;
        // Built on the driver first: bad settings stop the job before any task runs.
        this.pipeline = FeaturePipeline.fromConfig(config, plugins);
        if (AudioAugmentSettings.from(config).enabled()) {
            // Refused rather than ignored: a run would silently lack the copies the settings ask for.
            throw new UsageException(AudioAugmentSettings.COPIES + ": ser spark extract does not write augmented copies; "
                    + "extract them with ser extract, or set copies = 0");
        }
    }

    public FeatureSchema schema() {
        return pipeline.schema();
    }

    /**
     * Extracts {@code inputs} into the Parquet folder {@code out} (which must not exist).
     *
     * @param nppdp a local nppdp.csv to write as well (manifest input only), or null
     */
    public JobSummary run(InputRows inputs, String out, Path nppdp, int rowsPerTask) {
        if (nppdp != null && !inputs.labelled()) {
            throw new UsageException("--nppdp: nppdp.csv needs emotion labels; extract from a --manifest");
        }
        long start = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        StagedOutput staged = StagedOutput.open(out, hadoop, spark.sparkContext().applicationId());
        FeatureSchema schema = pipeline.schema();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<ExtractTask.Shared> shared = jsc.broadcast(
                new ExtractTask.Shared(JobSettings.of(config), schema.hash(), new AudioSource(hadoop)));
        boolean committed = false;
        try {
            JavaRDD<Row> rows = inputs.slices(spark, rowsPerTask).mapPartitions(new ExtractTask(shared));
            spark.createDataFrame(rows, FeatureRows.schema(schema)).write().parquet(staged.staging());
            staged.writeFile(SparkOutput.SCHEMA_FILE, schema.toJson());
            staged.commit();
            committed = true;
        } finally {
            // SparkException is checked in Java's eyes but thrown all the same: clean up on any failure.
            if (!committed) {
                staged.abort();
            }
            shared.destroy();
        }
        Dataset<Row> written = spark.read().parquet(staged.target());
        if (nppdp != null) {
            writeNppdp(written, schema, nppdp);
        }
        return JobSummary.of(written, staged.target(), (System.nanoTime() - start) / 1e9);
    }

    /** nppdp.csv from the committed output: successful rows in input order, as ser extract writes it. */
    static void writeNppdp(Dataset<Row> written, FeatureSchema schema, Path file) {
        Iterator<Row> rows = successes(written);
        try {
            AtomicFiles.write(file, raw -> {
                Writer w = new OutputStreamWriter(raw, StandardCharsets.UTF_8);
                w.write(StoreWriter.nppdpHeader(schema));
                while (rows.hasNext()) {
                    Row r = rows.next();
                    w.write(StoreWriter.nppdpLine(FeatureRows.utteranceVector(r, schema), r.<Integer>getAs("emotion_label")));
                }
                w.flush();
            });
        } catch (IOException e) {
            throw new RunFailure(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** The extracted rows in input order, streamed to the driver one partition at a time. */
    static Iterator<Row> successes(Dataset<Row> written) {
        return written.where(col(FeatureRows.ERROR).isNull()).orderBy("ord").toLocalIterator();
    }
}
