package ser.cli;

import com.google.inject.Injector;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import ser.api.Emotion;
import ser.pipeline.RunFailure;
import ser.pipeline.UsageException;
import ser.pipeline.prepare.CorpusScanner;
import ser.pipeline.prepare.Manifest;
import ser.pipeline.prepare.ManifestRow;
import ser.pipeline.prepare.ScanResult;
import ser.pipeline.extract.ExtractJob;
import ser.pipeline.store.FeatureSet;
import ser.pipeline.store.FeatureStore;
import ser.pipeline.plugins.PluginRegistry;
import ser.pipeline.report.Metrics;
import ser.pipeline.evaluate.Evaluator;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.model.ModelBundles;
import ser.pipeline.util.OutputLock;
import ser.pipeline.predict.Predictor;
import ser.pipeline.train.TrainJob;
import ser.pipeline.train.TrainerFactory;
import ser.pipeline.train.TrainSettings;

/**
 * {@code ser demo}: the whole product on the bundled synthetic corpus, with the small model of
 * {@code config/demo.conf}: prepare, extract, train on a speaker split, evaluate the test
 * speakers again from the saved bundle, and predict three of their files.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run prepare -> extract -> train (speaker split) -> evaluate -> predict on the bundled demo corpus "
                + "(synthetic speech, to exercise the pipeline; not an accuracy benchmark).",
                "Settings: config/demo.conf (a small BiGRU) over config/application.conf; --config/--set still apply."})
public final class DemoCommand implements Callable<Integer> {

    static final String DEMO_CORPUS = "ser-runner/demo/corpus";
    static final String DEMO_CONFIG = "config/demo.conf";

    @ParentCommand
    SerCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/demo",
            description = "where the manifest, features, model bundle and reports go (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--backend", paramLabel = "NAME", description = "backend (djl, dl4j, ...); default ser.train.backend")
    String backend;

    @Option(names = "--corpus", paramLabel = "DIR", description = "corpus to use instead of the bundled demo corpus")
    Path corpus;

    @Override
    public Integer call() throws IOException {
        // One demo per output folder at a time: its stages lock their own outputs, but two demos could
        // otherwise interleave them (one's manifest beside the other's features).
        try (OutputLock lock = OutputLock.acquire(out, "ser demo")) {
            return runDemo();
        }
    }

    private int runDemo() throws IOException {
        // Without the launcher's ser.home, the demo looks for its corpus and config from here.
        Path home = (root.home() == null ? Path.of(".") : root.home()).toAbsolutePath().normalize();
        Path corpusDir = corpus != null ? corpus : home.resolve(DEMO_CORPUS);
        if (!Files.isDirectory(corpusDir)) {
            throw new ser.pipeline.BadInputException(corpusDir.toString(), "demo corpus not found (regenerate it with ser-runner/demo/make-demo-corpus.sh)");
        }
        Path demoConfig = home.resolve(DEMO_CONFIG);
        Injector injector = root.injector(Files.isRegularFile(demoConfig) ? List.of(demoConfig) : List.of(),
                OptionSettings.NONE.with(TrainSettings.TRAIN + ".backend", backend));
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        long started = System.nanoTime();

        stdout.println("== 1/5 prepare: " + corpusDir);
        ScanResult scan = injector.getInstance(CorpusScanner.class).scan(List.of(corpusDir));
        scan.issueLines().forEach(line -> stderr.println("ser demo: " + line));
        scan.summaryLines().forEach(stdout::println);
        if (scan.rows().isEmpty()) {
            throw new RunFailure(corpusDir + ": no labelled WAV files");
        }
        Path manifest = out.resolve("manifest.csv");
        Manifest.write(manifest, scan.rows());

        stdout.println("== 2/5 extract");
        Path featuresDir = out.resolve("features");
        injector.getInstance(ExtractJob.class).run(scan.rows(), featuresDir, stdout, stderr);
        FeatureSet features = FeatureStore.open(featuresDir);

        stdout.println("== 3/5 train");
        Path modelDir = out.resolve("model");
        Metrics trained = TrainJob.run(injector.getInstance(TrainerFactory.class).create(null, stdout), features, modelDir, stdout);

        PluginRegistry plugins = injector.getInstance(PluginRegistry.class);
        Config config = injector.getInstance(Config.class);
        try (ModelBundle bundle = injector.getInstance(ModelBundles.class).open(modelDir, null)) {
            stdout.println("== 4/5 evaluate the saved bundle on the test speakers");
            Path evaluation = out.resolve("evaluation");
            Metrics evaluated = Evaluator.run(bundle, features, featuresDir, Evaluator.Subset.TEST, evaluation, stdout, stderr);
            if (evaluated.accuracy() != trained.accuracy() || evaluated.uar() != trained.uar()) {
                throw new RunFailure(evaluation + ": evaluating the saved bundle gave accuracy " + evaluated.accuracy()
                        + ", training measured " + trained.accuracy());
            }

            stdout.println("== 5/5 predict three held-out files");
            List<String> heldOut = heldOutExamples(scan.rows(), Set.copyOf(bundle.info().split().testSpeakers()));
            PredictionPrinter.run(Predictor.forBundle(bundle, plugins, config), heldOut, PredictionFormat.TABLE, stdout, stderr);

            stdout.println();
            stdout.println("== summary");
            stdout.printf(Locale.ROOT, "backend %s, %s split, test speakers %s%n", bundle.info().backend(),
                    bundle.info().split().kind(), bundle.info().split().testSpeakers());
            stdout.printf(Locale.ROOT, "test accuracy %.3f   UAR %.3f   macro-F1 %.3f   (%d utterances; chance UAR 0.125)%n",
                    trained.accuracy(), trained.uar(), trained.macroF1(), trained.count());
            stdout.print(trained.confusionTable());
            stdout.println("reports:  " + modelDir.resolve(ModelBundle.REPORTS)
                    + "  (accuracy.png, loss.png, confusion.png, metrics.json, history.csv)");
            stdout.println("bundle:   " + modelDir);
            stdout.println("features: " + featuresDir + "  (nppdp.csv, sequences.f32)");
            stdout.printf(Locale.ROOT, "done in %.0f s. The demo corpus is synthetic: these numbers exercise the pipeline, "
                    + "they are not a benchmark.%n", (System.nanoTime() - started) / 1e9);
            stdout.flush();
        }
        return ExitCodes.OK;
    }

    /** Up to three files of test speakers, of different emotions, in manifest order. */
    static List<String> heldOutExamples(List<ManifestRow> rows, Set<String> testSpeakers) {
        List<String> chosen = new ArrayList<>();
        Set<Emotion> seen = EnumSet.noneOf(Emotion.class);
        for (ManifestRow row : rows) {
            if (chosen.size() == 3) {
                break;
            }
            if (testSpeakers.contains(row.speakerKey()) && seen.add(row.emotion())) {
                chosen.add(row.location());
            }
        }
        return chosen;
    }
}
