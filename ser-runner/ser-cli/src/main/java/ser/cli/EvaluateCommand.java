package ser.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import ser.pipeline.store.FeatureSet;
import ser.pipeline.store.FeatureStore;
import ser.pipeline.evaluate.Evaluator;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.model.ModelBundles;
import ser.pipeline.util.OutputPaths;

/** {@code ser evaluate}: a model bundle's metrics on a features folder. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a model bundle on a features folder: writes metrics.json (accuracy, UAR, macro-F1, "
                + "per class, confusion), confusion.png and predictions.csv to OUT.",
                "The features must have the bundle's feature schema (same hash). With --subset test only the "
                        + "bundle's own test utterances are used (reproducing ser train's test metrics)."})
public final class EvaluateCommand implements Callable<Integer> {

    @ParentCommand
    SerCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions bundleOptions;

    @Option(names = "--features", required = true, paramLabel = "DIR", description = "features folder written by ser extract")
    Path features;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "folder for the reports")
    Path out;

    @Option(names = "--subset", paramLabel = "all|test", defaultValue = "all",
            description = "all utterances of DIR (default), or only the bundle's test part (from its split.csv)")
    String subset;

    @Override
    public Integer call() {
        Evaluator.Subset which = switch (subset.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "all" -> Evaluator.Subset.ALL;
            case "test" -> Evaluator.Subset.TEST;
            default -> throw new ser.pipeline.UsageException("--subset: must be all or test, got '" + subset + "'");
        };
        OutputPaths.refuseOverlap("--out", out, "--model", bundleOptions.model);
        OutputPaths.refuseOverlap("--out", out, "--features", features);
        try (ModelBundle bundle = root.injector().getInstance(ModelBundles.class).open(bundleOptions.model, bundleOptions.backend)) {
            FeatureSet featureSet = FeatureStore.open(features);
            Evaluator.run(bundle, featureSet, features, which, out, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        return ExitCodes.OK;
    }
}
