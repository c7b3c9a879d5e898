package ser.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import ser.pipeline.wiring.Bootstrap;

/** {@code ser}: the top-level command and its options shared by every subcommand. */
@Command(name = "ser", mixinStandardHelpOptions = true, version = "ser 0.1.0",
        description = "Speech emotion recognition: prepare corpora, extract features, train and evaluate BiGRU classifiers, predict.",
        subcommands = {PrepareCommand.class, ExtractCommand.class, TrainCommand.class, EvaluateCommand.class,
                PredictCommand.class, ServeCommand.class, ListenCommand.class, DemoCommand.class, PluginsCommand.class, BenchCommand.class, ExperimentCommand.class, SparkCommand.class},
        scope = ScopeType.INHERIT)
public final class SerCommand implements Runnable {

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "HOCON settings file, over config/application.conf (repeatable; later wins)")
    List<Path> configFiles = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE", scope = ScopeType.INHERIT,
            description = "override one setting, e.g. --set ser.train.backend=dl4j (repeatable; wins over files)")
    List<String> overrides = new ArrayList<>();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The installation folder the launcher names ({@code -Dser.home}), or null when run otherwise. */
    public Path home() {
        String home = System.getProperty("ser.home");
        return home == null ? null : Path.of(home);
    }

    /** The composition root for this invocation's options. */
    public Bootstrap bootstrap() {
        return bootstrap(List.of());
    }

    /** Adds a command-specific override that wins over files but not over explicit --set. */
    public Bootstrap bootstrap(List<String> commandOverrides) {
        List<String> all = new ArrayList<>(commandOverrides);
        all.addAll(overrides);
        return new Bootstrap(home(), configFiles, all);
    }
}
