package ser.spark;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import ser.pipeline.RunFailure;
import ser.pipeline.UsageException;
import com.google.inject.Injector;
import com.typesafe.config.Config;
import ser.pipeline.plugins.PluginRegistry;
import ser.pipeline.segment.SegmentSettings;
import ser.pipeline.wiring.Bootstrap;

/**
 * {@code ser spark extract|predict|export}: the entry point for {@code ser spark} (a JVM with this
 * module's class path, {@code local[*]}) and for {@code spark-submit --class ser.spark.SparkMain}.
 * Exit codes as {@code ser}'s: 0 ok (error rows included), 1 run failure, 2 usage or settings.
 */
@Command(name = "ser spark", mixinStandardHelpOptions = true, version = "ser 0.1.0",
        description = "Feature extraction and batch prediction on Apache Spark (local[*] or a cluster).",
        subcommands = {SparkMain.Extract.class, SparkMain.Predict.class, SparkMain.Export.class},
        scope = ScopeType.INHERIT)
public final class SparkMain implements Runnable {

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "HOCON settings file, over config/application.conf (repeatable; later wins)")
    List<Path> configFiles = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE", scope = ScopeType.INHERIT, description = "override one setting (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--master", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "Spark master (default: spark-submit's, else local[*])")
    String master;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a job without exiting the JVM (tests call this). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new SparkMain());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (System.getenv("SER_DEBUG") != null) {
                e.printStackTrace(err);
            }
            // A task's failure reaches the driver wrapped in Spark's exceptions: report ser's own.
            Throwable cause = e;
            for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
                if (t instanceof UsageException || t instanceof RunFailure) {
                    cause = t;
                    break;
                }
                cause = t;
            }
            int code = cause instanceof UsageException || cause instanceof com.typesafe.config.ConfigException ? 2 : 1;
            String message = cause instanceof RunFailure || cause instanceof UsageException ? cause.getMessage()
                    : cause.getClass().getSimpleName() + ": " + cause.getMessage();
            err.println("ser spark " + line.getCommandName() + ": " + String.valueOf(message).replaceAll("\\s*\\R\\s*", " "));
            err.flush();
            return code;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("ser spark: " + e.getMessage());
            e.getCommandLine().usage(err);
            return 2;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    Injector injector() {
        return injector(List.of());
    }

    /** @param options a command's own options as settings: they win over a --set of the same key (as in ser) */
    Injector injector(List<String> options) {
        String home = System.getProperty("ser.home");
        List<String> all = new ArrayList<>(overrides);
        all.addAll(options);
        return new Bootstrap(home == null ? null : Path.of(home), configFiles, all).injector();
    }

    /** The session: the given master, spark-submit's, or all local cores. */
    SparkSession session(String job) {
        SparkSession.Builder b = SparkSession.builder().appName("ser spark " + job);
        if (master != null) {
            b.master(master);
        } else if (!new SparkConf().contains("spark.master")) {
            b.master("local[*]");
        }
        String effective = master != null ? master : new SparkConf().get("spark.master", "local[*]");
        if (effective.startsWith("local")) {
            loopbackOnly(b);
        }
        return b.getOrCreate();
    }

    /**
     * A local session listens on loopback only and starts no web UI: by default Spark binds its
     * driver to the host's first non-loopback address and its UI to every interface, which a
     * one-machine run neither needs nor should expose.
     */
    static SparkSession.Builder loopbackOnly(SparkSession.Builder b) {
        return b.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                .config("spark.ui.enabled", "false");
    }

    /** Where the audio comes from: a manifest, or files found by Spark's binaryFile source. */
    static final class Input {
        @Option(names = "--manifest", paramLabel = "CSV|PARQUET", description = "manifest.csv (ser prepare) or a Parquet manifest with its columns")
        String manifest;

        @Option(names = "--files", paramLabel = "PATH", description = "audio files, folders (recursive) or Hadoop globs; "
                + "unlabelled, id = path (repeatable)")
        List<String> files;

        InputRows rows(SparkSession spark, String pattern) {
            return manifest != null ? InputRows.fromManifest(spark, manifest) : InputRows.fromFiles(spark, files, pattern);
        }
    }

    abstract static class Job implements Callable<Integer> {
        @ParentCommand
        SparkMain root;

        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Input input;

        @Option(names = "--pattern", paramLabel = "GLOB", defaultValue = InputRows.DEFAULT_PATTERN,
                description = "file names --files selects in folders (default: ${DEFAULT-VALUE})")
        String pattern;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Parquet folder to create (must not exist)")
        String out;

        @Option(names = "--rows-per-task", paramLabel = "N", defaultValue = "32", description = "files per Spark task (default: ${DEFAULT-VALUE})")
        int rowsPerTask;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }
    }

    @Command(name = "extract", mixinStandardHelpOptions = true,
            description = {"Extract features on Spark with the same extractors, grid and schema as ser extract.",
                "Writes Parquet: one row per file (input columns, duration_s, frames, error, one float column per",
                "nppdp.csv feature, sequence = float32 little-endian [frames][D]) and _ser_schema.json.",
                "A file that cannot be used becomes a row with its reason in 'error'."})
    static final class Extract extends Job {
        @Option(names = "--nppdp", paramLabel = "CSV", description = "also write nppdp.csv here (local file; manifest input)")
        Path nppdp;

        @Override
        public Integer call() {
            if (rowsPerTask < 1) {
                throw new UsageException("--rows-per-task: must be at least 1");
            }
            Injector injector = root.injector();
            SparkSession spark = root.session("extract");
            try {
                SparkExtract job = new SparkExtract(spark, injector.getInstance(Config.class), injector.getInstance(PluginRegistry.class));
                JobSummary s = job.run(input.rows(spark, pattern), out, nppdp, rowsPerTask);
                s.print("extracted", out(), err());
                out().println("  schema " + job.schema().hash());
                return 0;
            } finally {
                spark.stop();
            }
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = {"Predict emotions on Spark with a model bundle (shipped to every executor).",
                "Writes Parquet: ord, id, path, emotion, emotion_label, the eight probabilities, error;",
                "with --segments one row per segment: ord, seg, id, path, start, end, emotion, emotion_label,",
                "the eight probabilities, error."})
    static final class Predict extends Job {
        @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "model bundle written by ser train")
        Path model;

        @Option(names = "--backend", paramLabel = "NAME", description = "load the weights into this backend")
        String backend;

        @Option(names = "--segments", description = "for long recordings: cut each file into segments (as ser predict --segments) "
                + "and write one row per segment (settings: ser.segments)")
        boolean segments;

        @Option(names = "--segment-mode", paramLabel = "vad|fixed",
                description = "with --segments: vad (voice activity) or fixed (windows); default ser.segments.mode")
        String segmentMode;

        @Option(names = "--window", paramLabel = "SECONDS", description = "with --segments: fixed windows of this length (default ser.segments.fixed.window-s)")
        Double window;

        @Option(names = "--hop", paramLabel = "SECONDS", description = "with --segments: fixed windows, one every SECONDS (default ser.segments.fixed.hop-s)")
        Double hop;

        @Override
        public Integer call() {
            if (rowsPerTask < 1) {
                throw new UsageException("--rows-per-task: must be at least 1");
            }
            if (!segments && (window != null || hop != null || segmentMode != null)) {
                throw new UsageException("--segment-mode, --window and --hop need --segments");
            }
            Injector injector = root.injector(SegmentSettings.overrides(segmentMode, window, hop));
            SparkSession spark = root.session("predict");
            try {
                SparkPredict job = new SparkPredict(spark, injector.getInstance(Config.class), injector.getInstance(PluginRegistry.class), model, backend);
                job.run(input.rows(spark, pattern), out, rowsPerTask, segments).print("predicted", out(), err());
                return 0;
            } finally {
                spark.stop();
            }
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write a ser spark extract output as a features folder for ser train / ser evaluate",
                "(byte-identical to ser extract's for the same files and settings; error rows left out)."})
    static final class Export implements Callable<Integer> {
        @ParentCommand
        SparkMain root;

        @Spec
        CommandSpec spec;

        @Option(names = "--in", required = true, paramLabel = "PARQUET_DIR", description = "output of ser spark extract")
        String in;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "features folder to write")
        Path out;

        @Override
        public Integer call() {
            SparkSession spark = root.session("export");
            try {
                int n = new SparkExport(spark).run(in, out, spec.commandLine().getErr());
                spec.commandLine().getOut().println("exported " + n + " utterances to " + out);
                return 0;
            } finally {
                spark.stop();
            }
        }
    }
}
