package ser.spark;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
import ser.pipeline.extract.FeaturePipeline;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.plugins.PluginRegistry;
import ser.pipeline.predict.BundleScorer;
import ser.pipeline.segment.Segment;
import ser.pipeline.segment.SegmentSettings;
import ser.pipeline.segment.Segmenter;

/**
 * {@code ser spark predict --segments} on the executors: every file cut and scored by the
 * pipeline's {@link Segmenter} with {@code ser.segments}, as {@code ser predict --segments} does,
 * one row per segment. Segmenters (each holding a loaded model) are pooled per executor like
 * {@link PredictTask}'s predictors: at most one per concurrently running task thread.
 */
public final class SegmentTask implements FlatMapFunction<Iterator<Row>, Row> {

    private static final long serialVersionUID = 1L;

    /** ord, seg, id, path, start, end, emotion, emotion_label, the eight probabilities, error. */
    public static final StructType SCHEMA = schema();

    private static final int FIRST_PROBABILITY = 8;

    private static StructType schema() {
        StructType s = new StructType().add("ord", DataTypes.LongType, false).add("seg", DataTypes.IntegerType, true)
                .add("id", DataTypes.StringType, false).add("path", DataTypes.StringType, false)
                .add("start", DataTypes.DoubleType, true).add("end", DataTypes.DoubleType, true)
                .add("emotion", DataTypes.StringType, true).add("emotion_label", DataTypes.IntegerType, true);
        for (Emotion e : Emotion.values()) {
            s = s.add(e.id(), DataTypes.FloatType, true);
        }
        return s.add(FeatureRows.ERROR, DataTypes.StringType, true);
    }

    private final Broadcast<PredictTask.Shared> shared;

    public SegmentTask(Broadcast<PredictTask.Shared> shared) {
        this.shared = shared;
    }

    /** One executor's segmenters: the loader and settings, shared, and a pool of segmenters with their models. */
    static final class Pool {
        final Path dir;
        final Config config;
        final PluginRegistry plugins;
        final String backend;
        final int rate;
        final AudioLoader loader;
        final SegmentSettings settings;
        final AudioSource source;
        final Queue<Segmenter> idle = new ConcurrentLinkedQueue<>();

        Pool(Path dir, Config config, PluginRegistry plugins, String backend, AudioSource source) {
            this.dir = dir;
            this.config = config;
            this.plugins = plugins;
            this.backend = backend;
            this.source = source;
            // As SegmentsRun (ser predict --segments): the bundle's rate, the checked ser.segments.
            this.rate = ModelBundle.readInfo(dir).schema().grid().sampleRate();
            this.loader = AudioLoader.atRate(rate, config);
            this.settings = SegmentSettings.from(config);
        }

        static Pool of(JobSettings settings, String bundleName, String backend, AudioSource source) {
            return new Pool(Path.of(SparkFiles.get(bundleName)), settings.config(), settings.plugins(), backend, source);
        }

        Segmenter take() {
            Segmenter s = idle.poll();
            if (s != null) {
                return s;
            }
            ModelBundle bundle = ModelBundle.open(dir, plugins, config, backend);
            return new Segmenter(settings, rate, BundleScorer.forBundle(bundle, plugins, config));
        }
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        Pool pool = shared.value().segmenters();
        Segmenter segmenter = pool.take();
        TaskContext.get().addTaskCompletionListener(new TaskCompletionListener() {
            @Override
            public void onTaskCompletion(TaskContext context) {
                pool.idle.offer(segmenter);
            }
        });
        return new Iterator<>() {
            private Iterator<Row> current = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                // A file without any segment (silence in vad mode) has no rows, as in ser predict --segments.
                while (!current.hasNext() && rows.hasNext()) {
                    current = segments(pool, segmenter, rows.next()).iterator();
                }
                return current.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    /** One file's rows: its segments in time order, then an error row if it failed (the segments before it kept). */
    private static List<Row> segments(Pool pool, Segmenter segmenter, Row in) {
        String location = in.getString(2);
        List<Row> out = new ArrayList<>();
        try {
            segmenter.run(pool.source.segments(pool.loader, location, pool.settings.maxDurationS()), location,
                    segment -> out.add(row(in, out.size(), segment, null)));
        } catch (BadInputException e) {
            out.add(row(in, null, null, e.problem()));
        } catch (RuntimeException e) {
            out.add(row(in, null, null, FeaturePipeline.describe(e)));
        }
        return out;
    }

    private static Row row(Row in, Integer seg, Segment segment, String error) {
        Object[] v = new Object[SCHEMA.size()];
        v[0] = in.get(0);
        v[1] = seg;
        v[2] = in.get(1);
        v[3] = in.getString(2);
        if (segment != null) {
            Emotion e = segment.emotion();
            v[4] = segment.start();
            v[5] = segment.end();
            v[6] = e.id();
            v[7] = e.label();
            float[] p = segment.probabilities();
            for (int i = 0; i < p.length; i++) {
                v[FIRST_PROBABILITY + i] = p[i];
            }
        }
        v[v.length - 1] = error;
        return RowFactory.create(v);
    }
}
