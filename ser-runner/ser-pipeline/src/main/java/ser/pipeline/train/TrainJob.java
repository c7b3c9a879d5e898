package ser.pipeline.train;

import ser.pipeline.model.BundleInfo;
import ser.pipeline.normalize.NormalizedFeatures;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.util.StagedDir;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import ser.pipeline.RunFailure;
import ser.pipeline.store.FeatureSet;
import ser.pipeline.store.UtteranceInfo;
import ser.pipeline.report.Json;
import ser.pipeline.report.Metrics;
import ser.pipeline.report.Reports;
import ser.pipeline.util.AtomicFiles;

/**
 * {@code ser train}: split, train, and write the model bundle with its reports. MODEL_DIR is
 * built in a hidden sibling folder and renamed into place when complete (see {@link StagedDir}).
 */
public final class TrainJob {

    private TrainJob() {
    }

    /** Trains on {@code features} and writes the bundle to {@code modelDir}; returns the test metrics. */
    public static Metrics run(Trainer trainer, FeatureSet features, Path modelDir, PrintWriter out) {
        TrainSettings s = trainer.settings();
        Split split = Splitter.split(features.utterances(), s.split(), s.testFraction(), s.validationFraction(),
                s.seed());
        out.println(split.describe());
        out.flush();
        try (StagedDir staged = StagedDir.begin(modelDir, OutputLayouts.BUNDLE, "a model bundle", "ser train")) {
            Path reports = staged.dir().resolve(ModelBundle.REPORTS);
            Files.createDirectories(reports);
            Metrics metrics;
            java.util.Map<String, Metrics> perCorpus;
            Baseline.Result baseline;
            try (Trainer.Trained trained = trainer.fit(features, split, "", reports.resolve(Reports.HISTORY_CSV))) {
                BundleInfo info = ModelBundle.save(staged.dir(), trained.bundle().info(), trained.bundle().model());
                writeSplit(staged.dir().resolve(ModelBundle.SPLIT_CSV), features.utterances(), split);
                // The baseline sees the features as the model does: normalized the same way.
                baseline = trainer.baseline().fit(NormalizedFeatures.of(features, s.normalization()), split);
                metrics = writeReports(reports, trained, info, baseline);
                perCorpus = trained.test().byCorpus();
            }
            staged.commit();
            out.printf(Locale.ROOT, "test (%s split, %d utterances, %d speakers, normalization %s): accuracy %.4f  UAR %.4f  "
                    + "macro-F1 %.4f%n", split.kind().id(), metrics.count(), split.testSpeakers().size(), s.normalization().id(),
                    metrics.accuracy(), metrics.uar(), metrics.macroF1());
            Reports.printPerCorpus(out, "  ", perCorpus);
            if (baseline != null) {
                out.println("  " + baseline.summary());
            }
            out.println("model bundle: " + modelDir);
            out.flush();
            return metrics;
        } catch (IOException e) {
            throw new RunFailure(modelDir + ": cannot write the model bundle: " + e.getMessage(), e);
        }
    }

    /** history.csv, accuracy.png, loss.png, test_predictions.csv, metrics.json, confusion.png. */
    static Metrics writeReports(Path reports, Trainer.Trained trained, BundleInfo info) throws IOException {
        return writeReports(reports, trained, info, null);
    }

    /** As {@link #writeReports(Path, Trainer.Trained, BundleInfo)}, with the baseline's results in metrics.json (if not null). */
    static Metrics writeReports(Path reports, Trainer.Trained trained, BundleInfo info, Baseline.Result baseline) throws IOException {
        Files.createDirectories(reports);
        Split split = trained.split();
        String splitLabel = split.kind().id() + " split";
        Reports.writeHistory(reports.resolve(Reports.HISTORY_CSV), trained.result().history());
        Reports.writeCurves(reports, trained.result().history(), trained.result().bestEpoch(),
                info.backend() + ", " + splitLabel);
        trained.test().writeCsv(reports.resolve(Reports.PREDICTIONS_CSV));
        Metrics metrics = trained.metrics();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("subset", "test");
        extra.put("backend", info.backend());
        extra.put("best_epoch", trained.result().bestEpoch());
        extra.put("epochs_run", trained.result().history().size());
        extra.put("epoch_kept_by", epochKeptBy(split));
        extra.put("split_counts", splitCounts(split));
        extra.put("augmented_train", split.augmentedTrain());
        extra.put("schema_hash", info.schema().hash());
        extra.put("input", info.input().mode().id());
        extra.put("normalization", info.normalization().mode().id());
        extra.put("per_corpus", Reports.perCorpusJson(trained.test().byCorpus()));
        if (baseline != null) {
            extra.put("baseline", baseline.json());
        }
        Json.write(reports.resolve(Reports.METRICS_JSON),
                Reports.metricsJson(metrics, split.kind().id(), split.testSpeakers(), extra));
        Reports.writeConfusion(reports.resolve(Reports.CONFUSION_PNG), metrics,
                "Test set, " + splitLabel + ", " + info.backend());
        return metrics;
    }

    /** How the kept epoch was chosen, for metrics.json and cv.json: by validation loss, or the last for want of a validation part. */
    static String epochKeptBy(Split split) {
        return split.hasValidation() ? "lowest validation loss" : "last epoch (no validation part)";
    }

    /** Utterances per part (train, validation, test), as in bundle.json. */
    static Map<String, Integer> splitCounts(Split split) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put(Split.TRAIN, split.train().length);
        counts.put(Split.VALIDATION, split.validation().length);
        counts.put(Split.TEST, split.test().length);
        return counts;
    }

    /** split.csv: id, speaker, emotion, part for every utterance. */
    static void writeSplit(Path file, List<UtteranceInfo> utterances, Split split) throws IOException {
        String[] part = new String[utterances.size()];
        for (int i : split.train()) {
            part[i] = Split.TRAIN;
        }
        for (int i : split.validation()) {
            part[i] = Split.VALIDATION;
        }
        for (int i : split.test()) {
            part[i] = Split.TEST;
        }
        AtomicFiles.write(file, stream -> {
            try (CSVPrinter csv = new CSVPrinter(new OutputStreamWriter(stream, StandardCharsets.UTF_8),
                    CSVFormat.DEFAULT.builder().setRecordSeparator("\n").setHeader("id", "speaker", "emotion", "part").get())) {
                for (int i = 0; i < utterances.size(); i++) {
                    UtteranceInfo u = utterances.get(i);
                    csv.printRecord(u.id(), u.speakerKey(), u.emotion().id(), part[i] == null ? "" : part[i]);
                }
            }
        });
    }
}
