package ser.pipeline.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import ser.api.Emotion;
import ser.api.TrainingSpec;
import ser.pipeline.UsageException;
import ser.pipeline.linear.LinearSettings;
import ser.pipeline.linear.SoftmaxRegression;
import ser.pipeline.report.Json;
import ser.pipeline.report.Metrics;
import ser.pipeline.report.Predictions;
import ser.pipeline.store.FeatureSet;
import ser.pipeline.store.UtteranceInfo;

/**
 * The baseline fitted beside every trained model ({@code ser.train.baseline}): multinomial
 * logistic regression on the utterance vectors (nppdp.csv rows), on the same split. It trains on
 * the training and validation parts together (it has no epochs for a validation part to choose;
 * the recurrent model learns from both parts too; with {@code ser.train.validation-fraction = 0}
 * that is the training part alone, every non-test speaker, as the model's), standardized by a scaler
 * fitted on exactly those rows, and is scored on the same test part. A number to beat, so that a sequence model's gain
 * (or loss) over a linear model of its own features is in every report.
 *
 * @param settings     C and solver limits ({@code ser.backends.linear}); null = no baseline
 * @param classWeights per-sample weights ({@code ser.train.class-weights})
 */
public record Baseline(LinearSettings settings, TrainingSpec.ClassWeights classWeights) {

    public static final String KEY = TrainSettings.TRAIN + ".baseline";

    /** No baseline. */
    public static final Baseline NONE = new Baseline(null, TrainingSpec.ClassWeights.NONE);

    /**
     * The test-part results of one fit.
     *
     * @param trainCount      rows it was fitted on (train + validation parts)
     * @param validationCount of those, the validation part's (0 without one)
     */
    public record Result(Baseline baseline, Predictions test, int trainCount, int validationCount, int iterations, boolean converged,
            double seconds) {

        public Metrics metrics() {
            return test.metrics();
        }

        /** The {@code baseline} object of metrics.json (no timing: the same run gives the same file). */
        public ObjectNode json() {
            Metrics m = metrics();
            ObjectNode node = Json.MAPPER.createObjectNode();
            node.put("model", baseline.describe());
            node.put("c", baseline.settings().c());
            node.put("class_weights", baseline.classWeights().id());
            node.put("input", "utterance vector, standardized on the baseline's training rows");
            node.put("trained_on", validationCount > 0 ? "train + validation parts" : "train part (no validation part)");
            node.put("train_count", trainCount);
            node.put("accuracy", m.accuracy());
            node.put("uar", m.uar());
            node.put("macro_f1", m.macroF1());
            node.put("count", m.count());
            node.put("iterations", iterations);
            node.put("converged", converged);
            return node;
        }

        /** One line for the console. */
        public String summary() {
            Metrics m = metrics();
            return String.format(Locale.ROOT, "baseline (%s): accuracy %.4f  UAR %.4f  macro-F1 %.4f  (%.1fs)",
                    baseline.describe(), m.accuracy(), m.uar(), m.macroF1(), seconds);
        }
    }

    /** {@code ser.train.baseline}: {@code linear} or {@code none}. */
    public static Baseline from(Config config) {
        String mode;
        try {
            mode = config.getString(KEY).trim().toLowerCase(Locale.ROOT);
        } catch (ConfigException e) {
            throw new UsageException(KEY + ": " + e.getMessage(), e);
        }
        return switch (mode) {
            case "none" -> NONE;
            case "linear" -> new Baseline(LinearSettings.from(config), TrainSettings.training(config).classWeights());
            default -> throw new UsageException(KEY + ": must be linear or none, got '" + mode + "'");
        };
    }

    public boolean enabled() {
        return settings != null;
    }

    public String describe() {
        return String.format(Locale.ROOT, "linear, C=%s, class weights %s", settings.c(), classWeights.id());
    }

    /** Fits on the split's training and validation parts and predicts its test part; null when disabled. */
    public Result fit(FeatureSet features, Split split) {
        if (!enabled()) {
            return null;
        }
        long start = System.nanoTime();
        int[] train = new int[split.train().length + split.validation().length];
        System.arraycopy(split.train(), 0, train, 0, split.train().length);
        System.arraycopy(split.validation(), 0, train, split.train().length, split.validation().length);
        int width = features.schema().utteranceColumns().size();
        Standardizer.Accumulator acc = new Standardizer.Accumulator(width);
        for (int i : train) {
            acc.add(new float[][] {features.utteranceVector(i)});
        }
        Standardizer scaler = acc.result();
        double[][] x = new double[train.length][];
        int[] y = new int[train.length];
        for (int j = 0; j < train.length; j++) {
            x[j] = row(scaler, features, train[j]);
            y[j] = features.utterances().get(train[j]).emotion().index();
        }
        float[] byClass = ClassWeights.of(y, classWeights);
        double[] w = new double[y.length];
        for (int j = 0; j < y.length; j++) {
            w[j] = byClass[y[j]];
        }
        SoftmaxRegression.Fit fit = SoftmaxRegression.fit(x, y, w, Emotion.COUNT, settings.c(), settings.options(), null);
        List<Predictions.Row> rows = new ArrayList<>(split.test().length);
        for (int i : split.test()) {
            double[] p = fit.model().probabilities(row(scaler, features, i));
            float[] pf = new float[p.length];
            for (int c = 0; c < p.length; c++) {
                pf[c] = (float) p[c];
            }
            UtteranceInfo u = features.utterances().get(i);
            rows.add(Predictions.Row.of(u.id(), u.speakerKey(), u.emotion(), pf));
        }
        return new Result(this, new Predictions(rows), train.length, split.validation().length, fit.iterations(), fit.converged(),
                (System.nanoTime() - start) / 1e9);
    }

    private static double[] row(Standardizer scaler, FeatureSet features, int index) {
        float[] z = scaler.apply(new float[][] {features.utteranceVector(index)})[0];
        double[] d = new double[z.length];
        for (int f = 0; f < z.length; f++) {
            d[f] = z[f];
        }
        return d;
    }
}
