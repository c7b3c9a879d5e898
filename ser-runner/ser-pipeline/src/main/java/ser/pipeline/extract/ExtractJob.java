package ser.pipeline.extract;

import ser.pipeline.util.Progress;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import ser.pipeline.UsageException;
import ser.pipeline.audio.AudioLoader;
import ser.pipeline.prepare.ManifestRow;
import ser.pipeline.plugins.PluginRegistry;

/** {@code ser extract} as a service: the configured pipeline over manifest rows, into a features folder. */
public final class ExtractJob {

    public static final String THREADS = ExtractSettings.THREADS;

    private final FeaturePipeline pipeline;
    private final AudioLoader loader;
    private final int threads;
    private final int requestedThreads;
    private final AudioAugmentSettings augment;

    @Inject
    public ExtractJob(ExtractSettings extract, Config config, PluginRegistry plugins, AudioLoader loader) {
        this.pipeline = FeaturePipeline.fromSettings(extract, config, plugins);
        this.loader = loader;
        this.requestedThreads = extract.threads();
        this.threads = workerThreads(requestedThreads);
        this.augment = AudioAugmentSettings.from(config);
    }

    public FeaturePipeline pipeline() {
        return pipeline;
    }

    /** Extracts {@code rows} into {@code out}; progress goes to {@code err}, the summary to {@code stdout}. */
    public ExtractRun.Summary run(List<ManifestRow> rows, Path out, PrintWriter stdout, PrintWriter err) {
        if (requestedThreads > threads) {
            err.println("note: " + THREADS + " = " + requestedThreads + " capped at " + threads + " (twice the "
                    + Runtime.getRuntime().availableProcessors() + " cores)");
        }
        Progress progress = Progress.onConsole("extract", "files", rows.size(), err).withAmount("audio-s");
        ExtractRun.Summary summary = new ExtractRun(pipeline, loader::load, threads, augment).run(rows, out, progress);
        stdout.print(summary.describe(out));
        stdout.println("  schema " + pipeline.schema().hash());
        stdout.flush();
        return summary;
    }

    /**
     * {@code ser.extract.threads}: 0 means all cores; more than twice the cores is capped there
     * (each worker holds a decoded clip and 4 more wait in line, so threads cost memory, and
     * extraction is CPU-bound: more workers than cores gain nothing).
     */
    public static int workerThreads(int configured) {
        if (configured < 0) {
            throw new UsageException(THREADS + ": must be 0 (all cores) or more, got " + configured);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return configured == 0 ? cores : Math.min(configured, maxThreads());
    }

    /** The cap on worker threads: twice the cores. */
    public static int maxThreads() {
        return 2 * Runtime.getRuntime().availableProcessors();
    }
}
