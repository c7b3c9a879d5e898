package ser.spark;

import com.typesafe.config.Config;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import ser.pipeline.BadInputException;
import ser.pipeline.extract.FeaturePipeline;
import ser.pipeline.model.BundleInfo;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.plugins.PluginRegistry;
import ser.pipeline.segment.SegmentSettings;

/**
 * {@code ser spark predict}: a model bundle over many files on Spark. The bundle folder is shipped
 * to every executor with {@code addFile}; the output is Parquet ({@link PredictTask#SCHEMA}).
 */
public final class SparkPredict {

    private final SparkSession spark;
    private final Config config;
    private final Path model;
    private final String backend;

    /**
     * Checks the bundle on the driver (bundle.json, backend installed, extractors rebuild with
     * the stored hash) so that a bad bundle stops the job before any task runs.
     */
    public SparkPredict(SparkSession spark, Config config, PluginRegistry plugins, Path model, String backend) {
        this.spark = spark;
        this.config = config;
        this.model = model.toAbsolutePath().normalize();
        this.backend = backend;
        BundleInfo info = ModelBundle.readInfo(this.model);
        String name = backend == null ? info.backend() : backend;
        if (!plugins.backends().containsKey(name)) {
            throw new BadInputException(model.toString(), "backend '" + name + "' is not installed");
        }
        FeaturePipeline.fromSchema(info.schema(), plugins);
    }

    public JobSummary run(InputRows inputs, String out, int rowsPerTask) {
        return run(inputs, out, rowsPerTask, false);
    }

    /**
     * @param segments one row per segment ({@link SegmentTask#SCHEMA}, cut by {@code ser.segments})
     *                 rather than one per file ({@link PredictTask#SCHEMA})
     */
    public JobSummary run(InputRows inputs, String out, int rowsPerTask, boolean segments) {
        if (segments) {
            SegmentSettings.from(config); // bad ser.segments settings stop the job here, not in every task
        }
        long start = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        StagedOutput staged = StagedOutput.open(out, hadoop, spark.sparkContext().applicationId());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String name = model.getFileName().toString();
        if (scala.jdk.javaapi.CollectionConverters.asJava(jsc.sc().listFiles()).stream().noneMatch(f -> f.endsWith("/" + name))) {
            jsc.sc().addFile(model.toString(), true);
        }
        Broadcast<PredictTask.Shared> shared = jsc.broadcast(
                new PredictTask.Shared(JobSettings.of(config), name, backend, new AudioSource(hadoop)));
        boolean committed = false;
        try {
            JavaRDD<Row> slices = inputs.slices(spark, rowsPerTask);
            if (segments) {
                spark.createDataFrame(slices.mapPartitions(new SegmentTask(shared)), SegmentTask.SCHEMA).write().parquet(staged.staging());
            } else {
                spark.createDataFrame(slices.mapPartitions(new PredictTask(shared)), PredictTask.SCHEMA).write().parquet(staged.staging());
            }
            staged.commit();
            committed = true;
        } finally {
            // SparkException is checked in Java's eyes but thrown all the same: clean up on any failure.
            if (!committed) {
                staged.abort();
            }
            shared.destroy();
        }
        return JobSummary.of(spark.read().parquet(staged.target()), staged.target(), (System.nanoTime() - start) / 1e9);
    }
}
