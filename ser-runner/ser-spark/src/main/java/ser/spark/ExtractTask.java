package ser.spark;

import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import ser.api.AudioClip;
import ser.pipeline.BadInputException;
import ser.pipeline.audio.AudioLoader;
import ser.pipeline.extract.Extraction;
import ser.pipeline.extract.FeaturePipeline;

/**
 * Extraction on the executors: each input row becomes a {@link FeatureRows} row, an unreadable
 * or unusable file an error row. A pure function of the row, so a retried task writes the same
 * rows. The pipeline is built once per executor JVM: it lives in the broadcast value, which Spark
 * deserializes once per executor; every task thread gets its own extractor instances from it.
 */
public final class ExtractTask implements FlatMapFunction<Iterator<Row>, Row> {

    private static final long serialVersionUID = 1L;

    private final Broadcast<Shared> shared;

    public ExtractTask(Broadcast<Shared> shared) {
        this.shared = shared;
    }

    /** What every task of one job shares: settings, the expected schema hash, the file reader. */
    public static final class Shared implements Serializable {

        private static final long serialVersionUID = 1L;

        private final JobSettings settings;
        private final String schemaHash;
        private final AudioSource source;
        private transient volatile Built built;

        public Shared(JobSettings settings, String schemaHash, AudioSource source) {
            this.settings = settings;
            this.schemaHash = schemaHash;
            this.source = source;
        }

        Built built() {
            Built b = built;
            if (b == null) {
                synchronized (this) {
                    b = built;
                    if (b == null) {
                        b = new Built(settings);
                        // Executors must compute the features the driver announced (same jars, same settings).
                        if (!b.pipeline.schema().hash().equals(schemaHash)) {
                            throw new IllegalStateException("executor feature schema " + b.pipeline.schema().hash()
                                    + " differs from the driver's " + schemaHash + " (different plugin jars?)");
                        }
                        built = b;
                    }
                }
            }
            return b;
        }
    }

    private static final class Built {
        final FeaturePipeline pipeline;
        final AudioLoader loader;

        Built(JobSettings settings) {
            var config = settings.config();
            this.pipeline = FeaturePipeline.fromConfig(config, settings.plugins());
            this.loader = new AudioLoader(config);
        }
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        Shared s = shared.value();
        Built b = s.built();
        int featureColumns = b.pipeline.schema().utteranceColumns().size();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                Row input = rows.next();
                String location = input.getString(2);
                try {
                    AudioClip clip = s.source.load(b.loader, location);
                    Extraction x = b.pipeline.extract(clip, location);
                    return FeatureRows.extracted(input, clip.durationSeconds(), x);
                } catch (BadInputException e) {
                    return FeatureRows.failed(input, featureColumns, e.problem());
                } catch (RuntimeException e) {
                    return FeatureRows.failed(input, featureColumns, FeaturePipeline.describe(e));
                } catch (OutOfMemoryError e) {
                    return FeatureRows.failed(input, featureColumns,
                            FeaturePipeline.outOfMemory("executor heap", "raise spark.executor.memory"));
                }
            }
        };
    }
}
