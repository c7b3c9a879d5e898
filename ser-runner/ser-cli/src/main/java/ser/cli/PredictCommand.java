package ser.cli;

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
import ser.pipeline.model.ModelBundle;
import ser.pipeline.model.ModelBundles;
import ser.pipeline.predict.Predictor;

/** {@code ser predict}: emotion and probabilities for audio files. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predict the emotion of audio files with a model bundle: each file is decoded, its features "
                + "computed with the bundle's extractors and settings, standardized with the bundle's scaler.",
                "Prints the emotion and all eight probabilities per file. A folder is searched for .wav files. "
                        + "A file that fails is reported on stderr and the others still print; exit code 0 when "
                        + "every file succeeded, 1 when any failed."})
public final class PredictCommand implements Callable<Integer> {

    @ParentCommand
    SerCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "model bundle written by ser train")
    Path model;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "load the weights into this backend instead of the one that trained them (weights are "
                    + "backend-neutral; predictions agree within float rounding)")
    String backend;

    @Option(names = "--format", paramLabel = "table|json|csv", defaultValue = "table",
            description = "table (default), json (one object per line) or csv")
    String format;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "audio files (or zip!/entry) and folders")
    List<String> inputs = new ArrayList<>();

    @Override
    public Integer call() {
        PredictionFormat output = PredictionFormat.parse(format);
        Injector injector = root.injector();
        try (ModelBundle bundle = injector.getInstance(ModelBundles.class).open(model, backend)) {
            Predictor predictor = Predictor.forBundle(bundle, injector.getInstance(PluginRegistry.class),
                    injector.getInstance(Config.class));
            return PredictionPrinter.run(predictor, inputs, output, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }
}
