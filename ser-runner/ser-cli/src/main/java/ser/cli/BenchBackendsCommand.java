package ser.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import com.google.inject.Injector;
import com.typesafe.config.Config;
import ser.pipeline.plugins.PluginRegistry;
import ser.pipeline.RunFailure;
import ser.pipeline.UsageException;
import ser.pipeline.store.FeatureSet;
import ser.pipeline.store.FeatureStore;
import ser.pipeline.bench.BackendBench;
import ser.pipeline.bench.StepBench;
import ser.pipeline.train.TrainSettings;

/** {@code ser bench backends}: the same model, split and seed trained by each backend, compared. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = {"Train every installed backend (or those named) with the same architecture, training settings, "
                + "split and seed on a features folder, and compare: epochs run, s/epoch, ms per training step, ms to "
                + "predict one utterance, test accuracy and UAR. Prints a table and writes a CSV file. First, ms per training step "
                + "at 32 x 300 x 60 (batch x grid frames x features, --steps): the default architecture on raw frames and at the "
                + "default input rate (ser.train.frame-step-s: the 300 frames averaged to the model's steps), and the configured "
                + "architecture at the configured rate.",
                "Exit code 1 if any backend failed."})
public final class BenchBackendsCommand implements Callable<Integer> {

    @ParentCommand
    BenchCommand bench;

    @Spec
    CommandSpec spec;

    @Option(names = "--features", paramLabel = "DIR",
            description = "features folder written by ser extract: train on it and compare (without it, only the step timings)")
    Path features;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "3",
            description = {"timed training steps at 32 x 300 x 60 per row (default architecture raw and at the default rate,",
                "configured architecture at the configured rate)",
                "(0 skips them; default: ${DEFAULT-VALUE})"})
    int steps;

    @Option(names = "--epochs", paramLabel = "N", description = "at most N epochs per backend (default: ser.train.epochs)")
    Integer epochs;

    @Option(names = "--csv", paramLabel = "FILE", defaultValue = "bench-backends.csv",
            description = "where to write the results (default: ${DEFAULT-VALUE})")
    Path csv;

    @Parameters(arity = "0..*", paramLabel = "BACKEND", description = "backends to compare (default: all installed)")
    List<String> backends = new ArrayList<>();

    @Override
    public Integer call() {
        if (epochs != null && epochs < 1) {
            throw new UsageException("--epochs: must be at least 1, got " + epochs);
        }
        Injector injector = bench.root().injector(OptionSettings.NONE.with(TrainSettings.TRAIN + ".epochs", epochs));
        PluginRegistry plugins = injector.getInstance(PluginRegistry.class);
        Config config = injector.getInstance(Config.class);
        TrainSettings settings = TrainSettings.from(config);
        List<String> names = backends.isEmpty()
                ? plugins.backends().keySet().stream().sorted().toList() : List.copyOf(backends);
        if (names.isEmpty()) {
            throw new UsageException("no backends installed (see ser plugins)");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (steps < 0) {
            throw new UsageException("--steps: must be >= 0, got " + steps);
        }
        boolean stepFailed = false;
        if (steps > 0) {
            List<StepBench.Row> stepRows = StepBench.run(settings, plugins::backend, config, names, StepBench.cases(config),
                    steps);
            out.print(StepBench.table(stepRows, steps));
            out.flush();
            stepFailed = stepRows.stream().anyMatch(r -> r.error() != null);
        }
        if (features == null) {
            return stepFailed ? ExitCodes.RUN_FAILURE : ExitCodes.OK;
        }
        FeatureSet featureSet = FeatureStore.open(features);
        List<BackendBench.Row> rows = BackendBench.run(settings, plugins::backend, config, featureSet, names, out);
        BackendBench.printTable(out, rows);
        try {
            BackendBench.writeCsv(csv, rows, settings);
        } catch (IOException e) {
            throw new RunFailure(csv + ": cannot write: " + e.getMessage(), e);
        }
        out.println("results: " + csv);
        out.flush();
        return stepFailed || rows.stream().anyMatch(r -> r.error() != null) ? ExitCodes.RUN_FAILURE : ExitCodes.OK;
    }
}
