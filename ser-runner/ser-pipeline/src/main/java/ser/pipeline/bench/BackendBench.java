package ser.pipeline.bench;

import ser.pipeline.model.ModelBundle;
import ser.pipeline.train.Split;
import ser.pipeline.train.Splitter;
import ser.pipeline.train.TrainSettings;
import ser.pipeline.train.Trainer;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import ser.api.EpochMetrics;
import ser.api.SequenceModelProvider;
import ser.pipeline.store.FeatureSet;
import ser.pipeline.report.Metrics;
import ser.pipeline.util.AtomicFiles;

/**
 * {@code ser bench backends}: trains every named backend with the same architecture, training
 * settings, split and seed, and measures each: epochs run, seconds per epoch, milliseconds per
 * training step (all epoch time over all steps, so it includes the validation pass), milliseconds
 * to predict one utterance (median of up to {@value #TIMED_PREDICTIONS} single test utterances
 * after {@value #WARMUP} warm-up calls), and test accuracy and UAR.
 */
public final class BackendBench {

    static final int TIMED_PREDICTIONS = 20;
    static final int WARMUP = 3;

    public static final List<String> CSV_COLUMNS = List.of("backend", "epochs_run", "best_epoch", "s_per_epoch", "ms_per_step",
            "ms_per_prediction", "test_accuracy", "uar", "test_count", "split", "seed", "error");

    private BackendBench() {
    }

    /** One backend's numbers; {@code error} is non-null when it failed. */
    public record Row(String backend, int epochsRun, int bestEpoch, double secondsPerEpoch, double msPerStep, double msPerPrediction,
            double testAccuracy, double uar, int testCount, String error) {
    }

    /**
     * @param backends providers by name (e.g. {@code PluginRegistry::backend}, which names the
     *                 known ones for an unknown name)
     * @param names    the backends to compare, in order
     */
    public static List<Row> run(TrainSettings settings, Function<String, SequenceModelProvider> backends, Config config,
            FeatureSet features, List<String> names, PrintWriter out) {
        for (String name : names) {
            backends.apply(name); // unknown names fail before any work
        }
        Split split = Splitter.split(features.utterances(), settings.split(), settings.testFraction(),
                settings.validationFraction(), settings.seed());
        out.println(split.describe());
        List<Row> rows = new ArrayList<>();
        for (String name : names) {
            TrainSettings s = settings.withBackend(name);
            Trainer trainer = new Trainer(s, backends.apply(name), TrainSettings.backendSettings(config, name), out);
            try (Trainer.Trained trained = trainer.fit(features, split, "[" + name + "] ", null)) {
                double seconds = 0;
                long steps = 0;
                for (EpochMetrics m : trained.result().history()) {
                    seconds += m.seconds();
                    steps += m.steps();
                }
                int epochs = trained.result().history().size();
                Metrics metrics = trained.metrics();
                double msPredict = timeSinglePredictions(trained.bundle(), features, split.test());
                rows.add(new Row(name, epochs, trained.result().bestEpoch(), seconds / Math.max(1, epochs),
                        steps == 0 ? Double.NaN : 1000 * seconds / steps, msPredict, metrics.accuracy(), metrics.uar(),
                        metrics.count(), null));
            } catch (RuntimeException e) {
                String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                out.println("[" + name + "] failed: " + message);
                rows.add(new Row(name, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, message));
            }
            out.flush();
        }
        return rows;
    }

    static double timeSinglePredictions(ModelBundle bundle, FeatureSet features, int[] test) {
        int n = Math.min(TIMED_PREDICTIONS, test.length);
        if (n == 0) {
            return Double.NaN;
        }
        List<float[][]> inputs = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            inputs.add(bundle.input().of(features, test[j]));
        }
        for (int w = 0; w < WARMUP; w++) {
            bundle.predict(List.<float[][]>of(inputs.get(w % n)));
        }
        double[] ms = new double[n];
        for (int j = 0; j < n; j++) {
            long start = System.nanoTime();
            bundle.predict(List.<float[][]>of(inputs.get(j)));
            ms[j] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return n % 2 == 1 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
    }

    public static void printTable(PrintWriter out, List<Row> rows) {
        int w = Math.max(7, rows.stream().mapToInt(r -> r.backend().length()).max().orElse(7));
        out.println();
        out.printf(Locale.ROOT, "%-" + w + "s %7s %6s %9s %9s %10s %9s %7s%n", "backend", "epochs", "best", "s/epoch", "ms/step",
                "ms/predict", "test acc", "UAR");
        for (Row r : rows) {
            if (r.error() != null) {
                out.printf(Locale.ROOT, "%-" + w + "s failed: %s%n", r.backend(), r.error());
                continue;
            }
            out.printf(Locale.ROOT, "%-" + w + "s %7d %6d %9.2f %9.1f %10.2f %9.4f %7.4f%n", r.backend(), r.epochsRun(),
                    r.bestEpoch(), r.secondsPerEpoch(), r.msPerStep(), r.msPerPrediction(), r.testAccuracy(), r.uar());
        }
        out.flush();
    }

    public static void writeCsv(Path file, List<Row> rows, TrainSettings settings) throws IOException {
        StringBuilder csv = new StringBuilder(String.join(",", CSV_COLUMNS)).append('\n');
        for (Row r : rows) {
            csv.append(String.join(",", List.of(r.backend(), Integer.toString(r.epochsRun()), Integer.toString(r.bestEpoch()),
                    num(r.secondsPerEpoch()), num(r.msPerStep()), num(r.msPerPrediction()), num(r.testAccuracy()), num(r.uar()),
                    Integer.toString(r.testCount()), settings.split().id(), Long.toString(settings.seed()),
                    r.error() == null ? "" : '"' + r.error().replace("\"", "\"\"").replaceAll("\\R", " ") + '"')))
                    .append('\n');
        }
        AtomicFiles.writeString(file, csv.toString());
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }
}
