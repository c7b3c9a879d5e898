package ser.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import ser.api.CorpusAdapterProvider;
import ser.api.FeatureExtractorProvider;
import ser.api.SequenceModelProvider;
import ser.pipeline.plugins.Plugin;
import ser.pipeline.plugins.PluginRegistry;

/** {@code ser plugins}: what was discovered, from where, and what failed to load. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List feature extractors, backends and corpus adapters found on the class path and in the plugins folder.")
public final class PluginsCommand implements Callable<Integer> {

    @ParentCommand
    SerCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PluginRegistry plugins = root.injector().getInstance(PluginRegistry.class);
        PrintWriter out = spec.commandLine().getOut();
        section(out, "extractors", plugins.extractors(), FeatureExtractorProvider::description);
        section(out, "backends", plugins.backends(), SequenceModelProvider::description);
        section(out, "corpora", plugins.corpora(), CorpusAdapterProvider::description);
        if (!plugins.problems().isEmpty()) {
            out.println("problems:");
            plugins.problems().forEach(p -> out.println("  " + p));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static <T> void section(PrintWriter out, String title, Map<String, Plugin<T>> plugins,
            java.util.function.Function<T, String> description) {
        out.println(title + ":");
        // Columns as wide as the longest name and origin, so long plugin names keep the table aligned.
        int nameWidth = plugins.keySet().stream().mapToInt(String::length).max().orElse(0);
        int originWidth = plugins.values().stream().mapToInt(p -> p.origin().length() + 2).max().orElse(0);
        String row = "  %-" + Math.max(1, nameWidth) + "s  %-" + Math.max(1, originWidth) + "s  %s%n";
        plugins.values().stream().sorted(java.util.Comparator.comparing(Plugin::name)).forEach(p ->
                out.printf(row, p.name(), "[" + p.origin() + "]", description.apply(p.provider())));
    }
}
