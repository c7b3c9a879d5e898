package ser.pipeline.evaluate;

import ser.pipeline.model.BundleInfo;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.train.OutputLayouts;
import ser.pipeline.train.Split;
import ser.pipeline.util.StagedDir;
import ser.pipeline.train.Trainer;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import ser.pipeline.BadInputException;
import ser.pipeline.RunFailure;
import ser.pipeline.store.FeatureSet;
import ser.pipeline.store.UtteranceInfo;
import ser.pipeline.report.Json;
import ser.pipeline.report.Metrics;
import ser.pipeline.report.Predictions;
import ser.pipeline.report.Reports;

/**
 * {@code ser evaluate}: a bundle's metrics on a features folder. Writes {@code metrics.json},
 * {@code confusion.png} and {@code predictions.csv} into OUT (staged, then renamed). The features
 * must have the bundle's schema hash. With {@link Subset#TEST} only the bundle's own test
 * utterances (from its {@code split.csv}) are evaluated, which reproduces the test metrics of
 * {@code ser train}; with {@link Subset#ALL} every utterance is, and a warning says how many come
 * from speakers the model was trained or validated on.
 */
public final class Evaluator {

    public static final String PREDICTIONS_CSV = "predictions.csv";

    public enum Subset {
        ALL, TEST;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private Evaluator() {
    }

    public static Metrics run(ModelBundle bundle, FeatureSet features, Path featuresDir, Subset subset, Path outDir, PrintWriter out,
            PrintWriter err) {
        bundle.requireSchema(features.schema(), featuresDir.toString());
        List<UtteranceInfo> utterances = features.utterances();
        int[] indices = subset == Subset.ALL ? originalIndices(utterances) : testIndices(bundle, utterances, featuresDir);
        if (indices.length == 0) {
            throw new BadInputException(featuresDir.toString(), "no utterances to evaluate");
        }
        BundleInfo.SplitInfo split = bundle.info().split();
        Set<String> seen = new HashSet<>(split.trainSpeakers());
        seen.addAll(split.validationSpeakers());
        Set<String> evaluatedSpeakers = new TreeSet<>();
        Set<String> overlap = new TreeSet<>();
        int overlapping = 0;
        for (int i : indices) {
            String speaker = utterances.get(i).speakerKey();
            evaluatedSpeakers.add(speaker);
            if (seen.contains(speaker)) {
                overlap.add(speaker);
                overlapping++;
            }
        }
        if (overlapping > 0) {
            err.printf(Locale.ROOT, "warning: %d of %d utterances are by %d speaker(s) the model was trained or validated on%s; "
                    + "these scores are optimistic%n", overlapping, indices.length, overlap.size(),
                    "random".equals(split.kind()) ? " (random split)" : "");
            err.flush();
        }
        Predictions predictions = Trainer.predict(bundle, features, indices);
        Metrics metrics = predictions.metrics();
        String splitLabel = subset == Subset.TEST ? split.kind() : "all";
        try (StagedDir staged = StagedDir.begin(outDir, OutputLayouts.EVALUATION,
                "an evaluation folder", "ser evaluate")) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("subset", subset.id());
            extra.put("model", bundle.dir() == null ? "" : bundle.dir().toString());
            extra.put("features", featuresDir.toString());
            extra.put("backend", bundle.info().backend());
            extra.put("schema_hash", bundle.schema().hash());
            extra.put("normalization", bundle.info().normalization().mode().id());
            extra.put("per_corpus", Reports.perCorpusJson(predictions.byCorpus()));
            extra.put("speakers_seen_in_training", new ArrayList<>(overlap));
            extra.put("utterances_by_seen_speakers", overlapping);
            Json.write(staged.dir().resolve(Reports.METRICS_JSON),
                    Reports.metricsJson(metrics, splitLabel, evaluatedSpeakers, extra));
            Reports.writeConfusion(staged.dir().resolve(Reports.CONFUSION_PNG), metrics,
                    (subset == Subset.TEST ? "Test set (" + split.kind() + " split)" : "All utterances") + ", "
                            + bundle.info().backend());
            predictions.writeCsv(staged.dir().resolve(PREDICTIONS_CSV));
            staged.commit();
        } catch (IOException e) {
            throw new RunFailure(outDir + ": cannot write the evaluation: " + e.getMessage(), e);
        }
        out.printf(Locale.ROOT, "%s (%s, %d utterances, %d speakers, normalization %s): accuracy %.4f  UAR %.4f  macro-F1 %.4f%n",
                featuresDir, subset.id(), metrics.count(), evaluatedSpeakers.size(), bundle.info().normalization().mode().id(),
                metrics.accuracy(), metrics.uar(), metrics.macroF1());
        Reports.printPerCorpus(out, "  ", predictions.byCorpus());
        out.println("reports: " + outDir);
        out.flush();
        return metrics;
    }

    /** Every utterance but the augmented copies (ser.extract.augment), which are for training only. */
    static int[] originalIndices(List<UtteranceInfo> utterances) {
        return java.util.stream.IntStream.range(0, utterances.size()).filter(i -> !utterances.get(i).isAugmented()).toArray();
    }

    /** Indices of the features' utterances that split.csv of the bundle puts in the test part. */
    static int[] testIndices(ModelBundle bundle, List<UtteranceInfo> utterances, Path featuresDir) {
        Path file = bundle.dir().resolve(ModelBundle.SPLIT_CSV);
        Set<String> testIds = new HashSet<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
            for (CSVRecord r : csv) {
                if (Split.TEST.equals(r.get("part"))) {
                    testIds.add(r.get("id"));
                }
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException(bundle.dir().toString(), "no " + ModelBundle.SPLIT_CSV + ", so its test part is unknown");
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
        Map<String, Integer> byId = new HashMap<>();
        for (int i = 0; i < utterances.size(); i++) {
            byId.put(utterances.get(i).id(), i);
        }
        List<Integer> found = new ArrayList<>();
        int missing = 0;
        for (String id : testIds) {
            Integer i = byId.get(id);
            if (i == null) {
                missing++;
            } else {
                found.add(i);
            }
        }
        if (found.isEmpty()) {
            throw new BadInputException(featuresDir.toString(), "none of the model's " + testIds.size() + " test utterances are here");
        }
        if (missing > 0) {
            throw new BadInputException(featuresDir.toString(), missing + " of the model's " + testIds.size()
                    + " test utterances are missing here");
        }
        return found.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
