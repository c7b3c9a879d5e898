package ser.pipeline.train;

import ser.pipeline.model.BundleInfo;
import ser.pipeline.model.ModelBundle;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ser.api.EpochMetrics;
import ser.api.SequenceDataset;
import ser.api.SequenceModel;
import ser.api.SequenceModelProvider;
import ser.api.TrainingListener;
import ser.api.TrainingResult;
import ser.pipeline.RunFailure;
import ser.pipeline.normalize.Normalization;
import ser.pipeline.normalize.NormalizedFeatures;
import ser.pipeline.store.FeatureSet;
import ser.pipeline.store.UtteranceInfo;
import ser.pipeline.report.Metrics;
import ser.pipeline.report.Predictions;
import ser.pipeline.report.Reports;

/**
 * Trains one model on one split: shapes the inputs, fits the scaler on the training part only,
 * standardizes every part with it, builds the backend's model, trains it with the
 * {@link TrainingLoop} (early stopping on the validation part; without one, every epoch runs and the
 * last is kept), and predicts the test part. The test part is only ever predicted, after
 * fitting; nothing about training looks at it.
 */
public final class Trainer {

    private final TrainSettings settings;
    private final SequenceModelProvider provider;
    private final Config backendSettings;
    private final PrintWriter out;
    /** Fitted beside the model on the same split ({@code ser.train.baseline}); none unless set. */
    private Baseline baseline = Baseline.NONE;

    /**
     * @param backendSettings the backend's {@code ser.backends.<name>} block
     * @param out             where progress lines go
     */
    public Trainer(TrainSettings settings, SequenceModelProvider provider, Config backendSettings, PrintWriter out) {
        if (!provider.name().equals(settings.backend())) {
            throw new IllegalArgumentException("provider " + provider.name() + " is not the configured backend " + settings.backend());
        }
        this.settings = settings;
        this.provider = provider;
        this.backendSettings = backendSettings;
        this.out = out;
    }

    public TrainSettings settings() {
        return settings;
    }

    /** The baseline fitted beside every model this trainer trains. */
    public Baseline baseline() {
        return baseline;
    }

    /** Sets the baseline (see {@link Baseline}); returns this trainer. */
    public Trainer withBaseline(Baseline baseline) {
        this.baseline = java.util.Objects.requireNonNull(baseline, "baseline");
        return this;
    }

    /**
     * A fitted model and its test-set results. Close it to free the backend's model.
     *
     * @param bundle      the model with its bundle description (weights not yet saved)
     * @param result      the training history and best epoch
     * @param test        predictions for the test part
     * @param split       the split it was trained on
     */
    public record Trained(ModelBundle bundle, TrainingResult result, Predictions test, Split split) implements AutoCloseable {

        public Metrics metrics() {
            return test.metrics();
        }

        @Override
        public void close() {
            bundle.close();
        }
    }

    /**
     * Trains on {@code split} of {@code features}.
     *
     * @param label       prefix of the progress lines (e.g. {@code "fold 2/5 "}), may be empty
     * @param historyFile rewritten after every epoch with the history so far; may be null
     */
    public Trained fit(FeatureSet given, Split split, String label, Path historyFile) {
        InputShape input = settings.input();
        FeatureSet features = NormalizedFeatures.of(given, settings.normalization());
        input.check(features.schema().grid()); // a step that is not a whole number of hops fails before any work
        int featureCount = input.featureCount(features.schema());
        BundleInfo.NormalizationInfo normalization = normalizationInfo(NormalizedFeatures.of(given, Normalization.OFF),
                split, featureCount);

        Standardizer.Accumulator acc = new Standardizer.Accumulator(featureCount);
        for (int i : split.train()) {
            acc.add(input.of(features, i));
        }
        Standardizer scaler = acc.result();
        SequenceDataset train = dataset(features, split.train(), scaler, featureCount);
        SequenceDataset validation = dataset(features, split.validation(), scaler, featureCount);

        SequenceModel model = provider.create(settings.modelContext(featureCount, backendSettings));
        boolean ok = false;
        try {
            out.printf(Locale.ROOT, "%straining %s on %d utterances (%s), %d features per frame, input %s, normalization %s%n",
                    label, provider.name(), train.size(), validationNote(validation.size()), featureCount,
                    input.describe(features.schema().grid()), settings.normalization().id());
            out.flush();
            long start = System.nanoTime();
            TrainingResult result = settings.loop(features.schema().grid()).fit(model, train, validation,
                    new Progress(label, historyFile, validation.size() > 0));
            double seconds = (System.nanoTime() - start) / 1e9;
            if (result.history().isEmpty()) {
                throw new RunFailure("backend " + provider.name() + " trained no epoch");
            }
            BundleInfo info = new BundleInfo(ModelBundle.FORMAT_VERSION, provider.name(), ModelBundle.now(), ModelBundle.versions(),
                    settings.architecture(), settings.training(), settings.optimizer(), settings.seed(), settings.threads(),
                    ModelBundle.render(backendSettings), input, featureCount,
                    features.schema(), scaler, splitInfo(split),
                    new BundleInfo.Result(result.history().size(), result.bestEpoch(), result.stoppedEarly(), seconds), Map.of(),
                    normalization);
            ModelBundle bundle = new ModelBundle(null, info, model);
            Predictions test = predict(bundle, features, split.test());
            ok = true;
            return new Trained(bundle, result, test, split);
        } finally {
            if (!ok) {
                model.close();
            }
        }
    }

    /** What the training line says of the validation part: its size, or that there is none and what follows. */
    private String validationNote(int validationCount) {
        if (validationCount > 0) {
            return validationCount + " validation";
        }
        int epochs = settings.training().maxEpochs();
        return "no validation part: " + (epochs == 1 ? "1 epoch" : "all " + epochs + " epochs, no early stopping")
                + ", the last epoch's weights kept";
    }

    /** The mode, and for predict's fallback the raw input statistics of the whole training part. */
    private BundleInfo.NormalizationInfo normalizationInfo(FeatureSet raw, Split split, int featureCount) {
        if (settings.normalization() == Normalization.OFF) {
            return BundleInfo.NormalizationInfo.OFF;
        }
        Standardizer.Accumulator acc = new Standardizer.Accumulator(featureCount);
        for (int i : split.train()) {
            acc.add(settings.input().of(raw, i));
        }
        return new BundleInfo.NormalizationInfo(settings.normalization(), acc.result());
    }

    BundleInfo.SplitInfo splitInfo(Split split) {
        return new BundleInfo.SplitInfo(split.kind().id(), split.seed(), settings.testFraction(), settings.validationFraction(),
                Map.of(Split.TRAIN, split.train().length, Split.VALIDATION, split.validation().length, Split.TEST,
                        split.test().length),
                split.trainSpeakers(), split.validationSpeakers(), split.testSpeakers());
    }

    private SequenceDataset dataset(FeatureSet features, int[] indices, Standardizer scaler, int featureCount) {
        List<float[][]> inputs = new ArrayList<>(indices.length);
        int[] labels = new int[indices.length];
        for (int j = 0; j < indices.length; j++) {
            inputs.add(scaler.apply(settings.input().of(features, indices[j])));
            labels[j] = features.utterances().get(indices[j]).emotion().index();
        }
        return new SequenceDataset(inputs, labels, featureCount);
    }

    /**
     * Predictions of a bundle for the given utterances of a feature set, in chunks, normalized
     * as the bundle was trained (each speaker or corpus with its own statistics in {@code given}).
     */
    public static Predictions predict(ModelBundle bundle, FeatureSet given, int[] indices) {
        FeatureSet features = NormalizedFeatures.of(given, bundle.info().normalization().mode());
        List<Predictions.Row> rows = new ArrayList<>(indices.length);
        for (int from = 0; from < indices.length; from += ModelBundle.PREDICT_CHUNK) {
            int to = Math.min(indices.length, from + ModelBundle.PREDICT_CHUNK);
            List<float[][]> shaped = new ArrayList<>(to - from);
            for (int j = from; j < to; j++) {
                shaped.add(bundle.input().of(features, indices[j]));
            }
            float[][] p = bundle.predict(shaped);
            for (int j = from; j < to; j++) {
                UtteranceInfo u = features.utterances().get(indices[j]);
                rows.add(Predictions.Row.of(u.id(), u.speakerKey(), u.emotion(), p[j - from]));
            }
        }
        return new Predictions(rows);
    }

    /** Prints one line per epoch and keeps history.csv current. */
    private final class Progress implements TrainingListener {
        private final String label;
        private final Path historyFile;
        private final boolean validated;
        private final List<EpochMetrics> history = new ArrayList<>();
        private double bestLoss = Double.POSITIVE_INFINITY;

        Progress(String label, Path historyFile, boolean validated) {
            this.label = label;
            this.historyFile = historyFile;
            this.validated = validated;
        }

        @Override
        public void onEpoch(EpochMetrics m) {
            history.add(m);
            boolean best = m.validationLoss() < bestLoss;
            if (best) {
                bestLoss = m.validationLoss();
            }
            // Without a validation part there are no validation figures to show, nor a best epoch to mark.
            String validation = !validated ? ""
                    : String.format(Locale.ROOT, "  val_loss %.4f  val_acc %.3f", m.validationLoss(), m.validationAccuracy());
            out.printf(Locale.ROOT, "%sepoch %3d/%d  loss %.4f  acc %.3f%s  lr %.2e  %.1fs%s%n", label,
                    m.epoch(), settings.training().maxEpochs(), m.loss(), m.accuracy(), validation, m.learningRate(), m.seconds(),
                    best ? "  *" : "");
            out.flush();
            if (historyFile != null) {
                try {
                    Reports.writeHistory(historyFile, history);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
