package ser.spark;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.TaskCompletionListener;
import ser.api.Emotion;
import ser.pipeline.BadInputException;
import ser.pipeline.audio.AudioLoader;
import ser.pipeline.extract.ExtractSettings;
import ser.pipeline.extract.FeaturePipeline;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.plugins.PluginRegistry;
import ser.pipeline.store.FeatureSchema;
import ser.pipeline.predict.Predictor;
import ser.pipeline.report.Metrics;

/**
 * Prediction on the executors, with the model bundle Spark shipped to each of them
 * ({@code SparkContext.addFile}). Per executor JVM the bundle's feature pipeline is built once;
 * models are kept in a pool: a task takes one (loading it only when none is free, so at most one
 * per concurrently running task thread) and gives it back when it completes.
 */
public final class PredictTask implements FlatMapFunction<Iterator<Row>, Row> {

    private static final long serialVersionUID = 1L;

    /** ord, id, path, emotion, emotion_label, the eight probabilities (named by class), error. */
    public static final StructType SCHEMA = schema();

    private static StructType schema() {
        StructType s = new StructType().add("ord", DataTypes.LongType, false).add("id", DataTypes.StringType, false)
                .add("path", DataTypes.StringType, false).add("emotion", DataTypes.StringType, true)
                .add("emotion_label", DataTypes.IntegerType, true);
        for (Emotion e : Emotion.values()) {
            s = s.add(e.id(), DataTypes.FloatType, true);
        }
        return s.add(FeatureRows.ERROR, DataTypes.StringType, true);
    }

    private final Broadcast<Shared> shared;

    public PredictTask(Broadcast<Shared> shared) {
        this.shared = shared;
    }

    /** What every task of one job shares: settings, the shipped bundle's name, the backend, the file reader. */
    public static final class Shared implements Serializable {

        private static final long serialVersionUID = 1L;

        private final JobSettings settings;
        private final String bundleName;
        private final String backend;
        private final AudioSource source;
        private transient volatile Models models;
        private transient volatile SegmentTask.Pool segmenters;

        public Shared(JobSettings settings, String bundleName, String backend, AudioSource source) {
            this.settings = settings;
            this.bundleName = bundleName;
            this.backend = backend;
            this.source = source;
        }

        Models models() {
            Models m = models;
            if (m == null) {
                synchronized (this) {
                    m = models;
                    if (m == null) {
                        m = new Models(this);
                        models = m;
                    }
                }
            }
            return m;
        }

        SegmentTask.Pool segmenters() {
            SegmentTask.Pool p = segmenters;
            if (p == null) {
                synchronized (this) {
                    p = segmenters;
                    if (p == null) {
                        p = SegmentTask.Pool.of(settings, bundleName, backend, source);
                        segmenters = p;
                    }
                }
            }
            return p;
        }
    }

    /** One executor's bundle: the feature pipeline, shared, and a pool of loaded models. */
    private static final class Models {
        final Path dir;
        final Config config;
        final PluginRegistry plugins;
        final String backend;
        final FeaturePipeline pipeline;
        final AudioLoader loader;
        final AudioSource source;
        final Queue<Predictor> idle = new ConcurrentLinkedQueue<>();

        Models(Shared s) {
            this.dir = Path.of(SparkFiles.get(s.bundleName));
            this.config = s.settings.config();
            this.plugins = s.settings.plugins();
            this.backend = s.backend;
            this.source = s.source;
            // As AudioFeaturizer.forBundle (ser predict): the bundle's rate with ser.audio's per-file
            // limits, the stored extractors (hash checked), ser.extract's minimum duration.
            FeatureSchema schema = ModelBundle.readInfo(dir).schema();
            this.loader = AudioLoader.atRate(schema.grid().sampleRate(), config);
            this.pipeline = FeaturePipeline.fromSchema(schema, plugins, ExtractSettings.minDuration(config));
        }

        Predictor take() {
            Predictor p = idle.poll();
            if (p != null) {
                return p;
            }
            ModelBundle bundle = ModelBundle.open(dir, plugins, config, backend);
            return new Predictor(bundle, location -> bundle.input().features(pipeline, source.load(loader, location), location));
        }
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        Models models = shared.value().models();
        Predictor predictor = models.take();
        TaskContext.get().addTaskCompletionListener(new TaskCompletionListener() {
            @Override
            public void onTaskCompletion(TaskContext context) {
                models.idle.offer(predictor);
            }
        });
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                Row in = rows.next();
                String location = in.getString(2);
                Object[] v = new Object[SCHEMA.size()];
                v[0] = in.get(0);
                v[1] = in.get(1);
                v[2] = location;
                try {
                    float[] p = predictor.predict(location);
                    Emotion e = Emotion.ofIndex(Metrics.argmax(p));
                    v[3] = e.id();
                    v[4] = e.label();
                    for (int i = 0; i < p.length; i++) {
                        v[5 + i] = p[i];
                    }
                } catch (BadInputException e) {
                    v[v.length - 1] = e.problem();
                } catch (RuntimeException e) {
                    v[v.length - 1] = FeaturePipeline.describe(e);
                }
                return RowFactory.create(v);
            }
        };
    }
}
