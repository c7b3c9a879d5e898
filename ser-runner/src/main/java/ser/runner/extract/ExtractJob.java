package ser.runner.extract;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import ser.runner.UsageException;
import ser.runner.audio.AudioLoader;
import ser.runner.corpus.ManifestRow;
import ser.runner.plugins.PluginRegistry;

/** {@code ser extract} as a service: the configured pipeline over manifest rows, into a features folder. */
public final class ExtractJob {

    public static final String THREADS = "ser.extract.threads";

    private final FeaturePipeline pipeline;
    private final AudioLoader loader;
    private final int threads;

    @Inject
    public ExtractJob(Config config, PluginRegistry plugins, AudioLoader loader) {
        this.pipeline = FeaturePipeline.fromConfig(config, plugins);
        this.loader = loader;
        this.threads = workerThreads(config.getInt(THREADS));
    }

    public FeaturePipeline pipeline() {
        return pipeline;
    }

    /** Extracts {@code rows} into {@code out}; progress goes to {@code err}, the summary to {@code stdout}. */
    public ExtractRun.Summary run(List<ManifestRow> rows, Path out, PrintWriter stdout, PrintWriter err) {
        Progress progress = Progress.onConsole("extract", "files", rows.size(), err).withAmount("audio-s");
        ExtractRun.Summary summary = new ExtractRun(pipeline, loader::load, threads).run(rows, out, progress);
        stdout.print(summary.describe(out));
        stdout.println("  schema " + pipeline.schema().hash());
        stdout.flush();
        return summary;
    }

    /** {@code ser.extract.threads}: 0 means all cores. */
    public static int workerThreads(int configured) {
        if (configured < 0) {
            throw new UsageException(THREADS + ": must be 0 (all cores) or more, got " + configured);
        }
        return configured == 0 ? Runtime.getRuntime().availableProcessors() : configured;
    }
}
