package ser.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import com.google.inject.Injector;
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

    /**
     * The object graph of this invocation, the only way a command gets its services: settings
     * are layered ({@code config/application.conf}, {@code leadingConfig} such as the demo's,
     * {@code --config} files, then {@code --set}, then the command's options), checked, and the
     * plugins discovered, by {@link Bootstrap}.
     *
     * @param leadingConfig config files under the user's {@code --config} files (the demo's own)
     * @param options       a command's options as settings: {@code --backend X} is
     *                      {@code ser.train.backend = X}, exactly as {@code --set} would give it
     *                      (and over a {@code --set} of the same key); null values are unset options
     */
    public Injector injector(List<Path> leadingConfig, OptionSettings options) {
        List<Path> files = new ArrayList<>(leadingConfig);
        files.addAll(configFiles);
        // A command's own option is the most specific statement: it wins over a --set of the same key.
        List<String> all = new ArrayList<>(overrides);
        all.addAll(options.overrides());
        return new Bootstrap(home(), files, all).injector();
    }

    public Injector injector(OptionSettings options) {
        return injector(List.of(), options);
    }

    public Injector injector() {
        return injector(List.of(), OptionSettings.NONE);
    }
}
