package ser.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import ser.api.AudioClip;
import ser.pipeline.RunFailure;
import ser.pipeline.UsageException;
import ser.pipeline.bench.ExtractBenchmark;
import ser.pipeline.bench.PredictBench;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.predict.AudioFeaturizer;
import ser.pipeline.predict.Predictor;
import com.google.inject.Injector;
import com.typesafe.config.Config;
import ser.pipeline.model.ModelBundles;
import ser.pipeline.plugins.PluginRegistry;

/** {@code ser bench predict}: warm-JVM latency of one prediction, per stage. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Latency of predicting one file in a warm JVM, as ser predict does it (loader, extractors and",
            "model built once): p50/p95 milliseconds of decode, features, model and the total over --calls calls",
            "after --warmup untimed ones. FILE defaults to a generated speech-like clip of --seconds."})
public final class BenchPredictCommand implements Callable<Integer> {

    @ParentCommand
    BenchCommand bench;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions bundleOptions;

    @Option(names = "--calls", paramLabel = "N", defaultValue = "50", description = "timed calls (default: ${DEFAULT-VALUE})")
    int calls;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "200",
            description = "untimed calls first, so that the JIT compiler is done (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "3",
            description = "duration of the generated clip when no FILE is given (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the generated clip (default: ${DEFAULT-VALUE})")
    long seed;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "audio file to predict (default: generated)")
    List<String> file = List.of();

    @Override
    public Integer call() {
        if (calls < 1 || warmup < 0) {
            throw new UsageException("--calls must be at least 1 and --warmup at least 0");
        }
        if (file.isEmpty() && !(seconds > 0)) {
            throw new UsageException("--seconds must be positive");
        }
        Injector injector = bench.root().injector();
        PluginRegistry plugins = injector.getInstance(PluginRegistry.class);
        Config config = injector.getInstance(Config.class);
        PrintWriter out = spec.commandLine().getOut();
        Path generated = null;
        try (ModelBundle bundle = injector.getInstance(ModelBundles.class).open(bundleOptions.model, bundleOptions.backend)) {
            AudioFeaturizer featurizer = AudioFeaturizer.forBundle(bundle, plugins, config);
            Predictor predictor = new Predictor(bundle, featurizer);
            String location;
            if (file.isEmpty()) {
                int rate = bundle.schema().grid().sampleRate();
                AudioClip clip = ExtractBenchmark.speechLike(seconds, rate, seed).get(0);
                generated = Files.createTempFile("ser-bench-predict-", ".wav");
                PredictBench.writeWav(generated, clip);
                location = generated.toString();
            } else {
                location = file.get(0);
            }
            String shape = bundle.input().describe(bundle.schema().grid());
            PredictBench.Result r = PredictBench.run(predictor, featurizer, location, warmup, calls);
            out.printf(Locale.ROOT, "bench predict: %s (%s inference, input %s), %s (%.2f s of audio), %d warm-up + %d timed calls, "
                    + "load average %.2f%n", bundleOptions.model, bundle.inference(), shape, file.isEmpty() ? "generated speech-like clip"
                    : location, r.audioSeconds(), warmup, calls, BenchCommand.loadAverage());
            out.print(PredictBench.table(r));
            out.printf(Locale.ROOT, "end to end: p50 %.1f ms, p95 %.1f ms for %.2f s of audio%n", r.total().p50(), r.total().p95(),
                    r.audioSeconds());
            out.flush();
            return ExitCodes.OK;
        } catch (IOException e) {
            throw new RunFailure("cannot write the generated clip: " + e.getMessage(), e);
        } finally {
            if (generated != null) {
                try {
                    Files.deleteIfExists(generated);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }
}
