package ser.pipeline.train;

import ser.pipeline.util.StagedDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import ser.pipeline.RunFailure;
import ser.pipeline.normalize.NormalizedFeatures;
import ser.pipeline.store.FeatureSet;
import ser.pipeline.report.Json;
import ser.pipeline.report.Metrics;
import ser.pipeline.report.Predictions;
import ser.pipeline.report.Reports;

/**
 * {@code ser train --cv K}: K folds grouped as {@code ser.train.split} says (by speaker by
 * default), each fold's validation part carved from its own training speakers (none with
 * {@code ser.train.validation-fraction = 0}: every non-test speaker trains); one model per
 * fold, tested on the fold's held-out speakers. Writes, into OUT (staged, then renamed):
 * {@code cv.json} (mean and sample standard deviation over folds of accuracy, UAR and macro-F1,
 * every fold's numbers, and the metrics of all folds' test predictions pooled),
 * {@code confusion.png} and {@code test_predictions.csv} (pooled), and {@code fold-<k>/} with
 * each fold's reports. No weights are kept: cross-validation estimates how well the recipe
 * generalizes; {@code ser train} without {@code --cv} makes the model to keep.
 */
public final class CrossValidation {

    public static final String CV_JSON = "cv.json";

    private CrossValidation() {
    }

    /** Per-fold and summary numbers. */
    public record Outcome(List<Metrics> folds, Metrics pooled) {

        public double mean(ToDoubleFunction<Metrics> metric) {
            return folds.stream().mapToDouble(metric).average().orElse(Double.NaN);
        }

        /** Sample standard deviation (n - 1) over folds. */
        public double std(ToDoubleFunction<Metrics> metric) {
            if (folds.size() < 2) {
                return 0;
            }
            double m = mean(metric);
            double ss = 0;
            for (Metrics f : folds) {
                double d = metric.applyAsDouble(f) - m;
                ss += d * d;
            }
            return Math.sqrt(ss / (folds.size() - 1));
        }
    }

    private static final Map<String, ToDoubleFunction<Metrics>> METRICS = metricsByName();

    private static Map<String, ToDoubleFunction<Metrics>> metricsByName() {
        Map<String, ToDoubleFunction<Metrics>> m = new LinkedHashMap<>();
        m.put("accuracy", Metrics::accuracy);
        m.put("uar", Metrics::uar);
        m.put("macro_f1", Metrics::macroF1);
        return m;
    }

    public static Outcome run(Trainer trainer, FeatureSet given, int k, Path outDir, PrintWriter out) {
        TrainSettings s = trainer.settings();
        // Group statistics do not depend on the fold: computed once, for every fold.
        FeatureSet features = NormalizedFeatures.of(given, s.normalization());
        List<Split> folds = Splitter.folds(features.utterances(), s.split(), k, s.validationFraction(), s.seed());
        out.printf(Locale.ROOT, "%d-fold cross-validation, %s split (seed %d), normalization %s%s%n", k, s.split().id(), s.seed(),
                s.normalization().id(), s.validates() ? "" : ", no validation part (every non-test "
                        + (s.split() == TrainSettings.SplitKind.SPEAKER ? "speaker" : "utterance") + " trains)");
        long started = System.nanoTime();
        try (StagedDir staged = StagedDir.begin(outDir, OutputLayouts.CROSS_VALIDATION,
                "a cross-validation folder", "ser train --cv")) {
            List<Metrics> foldMetrics = new ArrayList<>();
            List<Map<String, Metrics>> foldMetricsByCorpus = new ArrayList<>();
            List<Predictions.Row> pooledRows = new ArrayList<>();
            List<Metrics> baselineFolds = new ArrayList<>();
            List<Predictions.Row> baselineRows = new ArrayList<>();
            List<Double> baselineSeconds = new ArrayList<>();
            ObjectNode root = Json.MAPPER.createObjectNode();
            ArrayNode perFold = Json.MAPPER.createArrayNode();
            String backend = s.backend();
            for (int f = 0; f < k; f++) {
                Split split = folds.get(f);
                String label = String.format(Locale.ROOT, "fold %d/%d  ", f + 1, k);
                out.println(label + split.describe());
                Path reports = staged.dir().resolve("fold-" + (f + 1));
                Files.createDirectories(reports);
                try (Trainer.Trained trained = trainer.fit(features, split, label, reports.resolve(Reports.HISTORY_CSV))) {
                    Baseline.Result baseline = trainer.baseline().fit(features, split);
                    Metrics m = TrainJob.writeReports(reports, trained, trained.bundle().info(), baseline);
                    if (baseline != null) {
                        baselineFolds.add(baseline.metrics());
                        baselineRows.addAll(baseline.test().rows());
                        baselineSeconds.add(baseline.seconds());
                    }
                    foldMetrics.add(m);
                    foldMetricsByCorpus.add(trained.test().byCorpus());
                    pooledRows.addAll(trained.test().rows());
                    ObjectNode fold = perFold.addObject();
                    fold.put("fold", f + 1);
                    fold.put("count", m.count());
                    fold.put("best_epoch", trained.result().bestEpoch());
                    fold.put("epochs_run", trained.result().history().size());
                    fold.put("epoch_kept_by", TrainJob.epochKeptBy(split));
                    fold.set("split_counts", Json.MAPPER.valueToTree(TrainJob.splitCounts(split)));
                    fold.put("augmented_train", split.augmentedTrain());
                    for (Map.Entry<String, ToDoubleFunction<Metrics>> e : METRICS.entrySet()) {
                        fold.put(e.getKey(), e.getValue().applyAsDouble(m));
                    }
                    fold.set("per_corpus", Reports.perCorpusJson(trained.test().byCorpus()));
                    ArrayNode speakers = fold.putArray("test_speakers");
                    split.testSpeakers().forEach(speakers::add);
                    out.printf(Locale.ROOT, "%stest: accuracy %.4f  UAR %.4f  macro-F1 %.4f (%d utterances)%n", label,
                            m.accuracy(), m.uar(), m.macroF1(), m.count());
                    if (baseline != null) {
                        out.println(label + baseline.summary());
                        fold.put("baseline_uar", baseline.metrics().uar());
                    }
                    out.flush();
                }
            }
            Predictions pooled = new Predictions(pooledRows);
            Metrics pooledMetrics = pooled.metrics();
            Outcome outcome = new Outcome(foldMetrics, pooledMetrics);
            root.put("folds", k);
            root.put("split", s.split().id());
            root.put("seed", s.seed());
            root.put("validation_fraction", s.validationFraction());
            root.put("backend", backend);
            root.put("input", s.input().mode().id());
            root.put("normalization", s.normalization().id());
            root.put("schema_hash", features.schema().hash());
            ObjectNode summary = root.putObject("metrics");
            for (Map.Entry<String, ToDoubleFunction<Metrics>> e : METRICS.entrySet()) {
                ObjectNode m = summary.putObject(e.getKey());
                m.put("mean", outcome.mean(e.getValue()));
                m.put("std", outcome.std(e.getValue()));
                ArrayNode values = m.putArray("per_fold");
                foldMetrics.forEach(fm -> values.add(e.getValue().applyAsDouble(fm)));
            }
            root.put("std", "sample standard deviation (n - 1) over folds");
            root.set("per_fold", perFold);
            List<String> allTest = new ArrayList<>();
            folds.forEach(fs -> allTest.addAll(fs.testSpeakers()));
            Map<String, Metrics> perCorpus = pooled.byCorpus();
            root.set("per_corpus", perCorpusSummary(foldMetricsByCorpus, perCorpus));
            root.set("pooled", Reports.metricsJson(pooledMetrics, s.split().id(), allTest, Map.of("subset", "all folds' test parts",
                    "per_corpus", Reports.perCorpusJson(perCorpus))));
            Outcome baselineOutcome = baselineFolds.isEmpty() ? null
                    : new Outcome(baselineFolds, new Predictions(baselineRows).metrics());
            if (baselineOutcome != null) {
                ObjectNode b = root.putObject("baseline");
                b.put("model", trainer.baseline().describe());
                b.put("trained_on", s.validates() ? "each fold's train + validation parts, utterance vectors"
                        : "each fold's train part (no validation part), utterance vectors");
                putSummary(b.putObject("metrics"), baselineOutcome);
                b.put("seconds", baselineSeconds.stream().mapToDouble(Double::doubleValue).sum());
                b.set("pooled", Reports.metricsJson(baselineOutcome.pooled(), s.split().id(), allTest,
                        Map.of("subset", "all folds' test parts")));
            }
            root.put("seconds", (System.nanoTime() - started) / 1e9);
            Json.write(staged.dir().resolve(CV_JSON), root);
            pooled.writeCsv(staged.dir().resolve(Reports.PREDICTIONS_CSV));
            Reports.writeConfusion(staged.dir().resolve(Reports.CONFUSION_PNG), pooledMetrics,
                    k + "-fold CV, " + s.split().id() + " split, " + backend + " (pooled)");
            staged.commit();
            printTable(out, outcome, folds);
            printPerCorpus(out, foldMetricsByCorpus, perCorpus);
            if (baselineOutcome != null) {
                // Labelled in full: a bare row under the per-corpus table read as that table's columns.
                out.printf(Locale.ROOT, "baseline (%s): accuracy %s  UAR %s  macro-F1 %s  pooled UAR %.4f%n",
                        trainer.baseline().describe(), pm(baselineOutcome, Metrics::accuracy), pm(baselineOutcome, Metrics::uar),
                        pm(baselineOutcome, Metrics::macroF1), baselineOutcome.pooled().uar());
            }
            out.println("cross-validation reports: " + outDir);
            out.flush();
            return outcome;
        } catch (IOException e) {
            throw new RunFailure(outDir + ": cannot write the cross-validation reports: " + e.getMessage(), e);
        }
    }

    /** mean, std and per-fold values of each metric. */
    private static void putSummary(ObjectNode summary, Outcome outcome) {
        for (Map.Entry<String, ToDoubleFunction<Metrics>> e : METRICS.entrySet()) {
            ObjectNode m = summary.putObject(e.getKey());
            m.put("mean", outcome.mean(e.getValue()));
            m.put("std", outcome.std(e.getValue()));
            ArrayNode values = m.putArray("per_fold");
            outcome.folds().forEach(fm -> values.add(e.getValue().applyAsDouble(fm)));
        }
    }

    static void printTable(PrintWriter out, Outcome o, List<Split> folds) {
        out.println();
        out.printf(Locale.ROOT, "%-6s %8s %9s %17s %17s %17s%n", "fold", "test", "speakers", "accuracy", "UAR", "macro-F1");
        for (int f = 0; f < o.folds().size(); f++) {
            Metrics m = o.folds().get(f);
            out.printf(Locale.ROOT, "%-6d %8d %9d %17.4f %17.4f %17.4f%n", f + 1, m.count(), folds.get(f).testSpeakers().size(),
                    m.accuracy(), m.uar(), m.macroF1());
        }
        out.printf(Locale.ROOT, "%-6s %8s %9s %17s %17s %17s%n", "mean", "", "", pm(o, Metrics::accuracy), pm(o, Metrics::uar),
                pm(o, Metrics::macroF1));
        out.printf(Locale.ROOT, "%-6s %8d %9s %17.4f %17.4f %17.4f%n", "pooled", o.pooled().count(), "", o.pooled().accuracy(),
                o.pooled().uar(), o.pooled().macroF1());
    }

    /**
     * Per corpus: mean and sample std of UAR, accuracy and macro-F1 over the folds that test the
     * corpus (a fold whose test speakers include none of it has no score for it), the folds
     * counted, and the pooled metrics of its test predictions.
     */
    static ObjectNode perCorpusSummary(List<Map<String, Metrics>> byFold, Map<String, Metrics> pooled) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        for (Map.Entry<String, Metrics> c : pooled.entrySet()) {
            List<Metrics> present = new ArrayList<>();
            byFold.forEach(f -> {
                if (f.containsKey(c.getKey())) {
                    present.add(f.get(c.getKey()));
                }
            });
            Outcome o = new Outcome(present, c.getValue());
            ObjectNode n = root.putObject(c.getKey());
            n.put("folds_tested", present.size());
            for (Map.Entry<String, ToDoubleFunction<Metrics>> e : METRICS.entrySet()) {
                n.putObject(e.getKey()).put("mean", o.mean(e.getValue())).put("std", o.std(e.getValue()))
                        .put("pooled", e.getValue().applyAsDouble(c.getValue()));
            }
            n.put("count", c.getValue().count());
        }
        return root;
    }

    static void printPerCorpus(PrintWriter out, List<Map<String, Metrics>> byFold, Map<String, Metrics> pooled) {
        out.println();
        out.printf(Locale.ROOT, "%-12s %6s %8s %17s %17s %12s%n", "corpus", "folds", "test", "UAR", "accuracy", "pooled UAR");
        for (Map.Entry<String, Metrics> c : pooled.entrySet()) {
            List<Metrics> present = new ArrayList<>();
            byFold.forEach(f -> {
                if (f.containsKey(c.getKey())) {
                    present.add(f.get(c.getKey()));
                }
            });
            Outcome o = new Outcome(present, c.getValue());
            out.printf(Locale.ROOT, "%-12s %6d %8d %17s %17s %12.4f%n", c.getKey(), present.size(), c.getValue().count(),
                    pm(o, Metrics::uar), pm(o, Metrics::accuracy), c.getValue().uar());
        }
    }

    private static String pm(Outcome o, ToDoubleFunction<Metrics> metric) {
        return String.format(Locale.ROOT, "%.4f ± %.4f", o.mean(metric), o.std(metric));
    }
}
