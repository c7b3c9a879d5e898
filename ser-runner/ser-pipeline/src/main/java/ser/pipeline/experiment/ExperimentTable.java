package ser.pipeline.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import ser.pipeline.RunFailure;
import ser.pipeline.report.Json;
import ser.pipeline.report.Metrics;
import ser.pipeline.report.Predictions;
import ser.pipeline.report.Reports;
import ser.pipeline.train.CrossValidation;

/**
 * The results table of {@code ser experiment}: one row per variant, read back from the variant's
 * cross-validation folder ({@code cv.json} and the pooled {@code test_predictions.csv}), so the
 * table can be rebuilt from finished runs. Per-corpus columns are the UAR of that corpus's pooled
 * out-of-fold predictions (the corpus is the part of the speaker key before the slash).
 */
public final class ExperimentTable {

    /** Marks a file as written by this class: {@code ser experiment} only ever replaces such a file. */
    public static final String MARKER = "<!-- written by ser experiment -->";

    /** One finished variant. */
    public record Row(String variant, String backend, String input, String normalization, int folds, double uarMean, double uarStd,
            double accuracyMean, double pooledUar, Map<String, Double> corpusUar, String baseline, double seconds) {
    }

    private ExperimentTable() {
    }

    /** Reads a variant's cross-validation folder. */
    public static Row read(String variant, Path cvDir) {
        try {
            JsonNode cv = Json.MAPPER.readTree(cvDir.resolve(CrossValidation.CV_JSON).toFile());
            Predictions pooled = Predictions.readCsv(cvDir.resolve(Reports.PREDICTIONS_CSV));
            Map<String, List<Predictions.Row>> byCorpus = new TreeMap<>();
            for (Predictions.Row r : pooled.rows()) {
                String key = r.speaker();
                int slash = key.indexOf('/');
                byCorpus.computeIfAbsent(slash < 0 ? "" : key.substring(0, slash), k -> new ArrayList<>()).add(r);
            }
            Map<String, Double> corpusUar = new TreeMap<>();
            byCorpus.forEach((corpus, rows) -> corpusUar.put(corpus, new Predictions(rows).metrics().uar()));
            JsonNode baseline = cv.path("baseline");
            String baselineText = baseline.isMissingNode() ? "" : String.format(Locale.ROOT, "%.3f ± %.3f",
                    baseline.at("/metrics/uar/mean").asDouble(), baseline.at("/metrics/uar/std").asDouble());
            String normalization = cv.hasNonNull("normalization") ? cv.get("normalization").asText()
                    : cv.hasNonNull("normalize") ? cv.get("normalize").asText() : "off";
            return new Row(variant, cv.path("backend").asText(), cv.path("input").asText(), normalization, cv.path("folds").asInt(),
                    cv.at("/metrics/uar/mean").asDouble(), cv.at("/metrics/uar/std").asDouble(),
                    cv.at("/metrics/accuracy/mean").asDouble(), cv.at("/pooled/uar").asDouble(), corpusUar, baselineText,
                    cv.path("seconds").asDouble(Double.NaN));
        } catch (IOException e) {
            throw new RunFailure(cvDir + ": cannot read the cross-validation results: " + e.getMessage(), e);
        }
    }

    /** The markdown page: a title, how to reproduce it, the table and what the columns mean. */
    public static String markdown(List<Row> rows, String command) {
        TreeSet<String> corpora = new TreeSet<>();
        rows.forEach(r -> corpora.addAll(r.corpusUar().keySet()));
        StringBuilder md = new StringBuilder();
        md.append(MARKER).append("\n# Experiments\n\nReproduce with:\n\n```bash\n").append(command).append("\n```\n\n");
        md.append("| variant | backend | input | normalization | folds | UAR mean ± std | accuracy mean | pooled UAR |");
        for (String c : corpora) {
            md.append(' ').append(c.isEmpty() ? "(no corpus)" : c).append(" |");
        }
        md.append(" linear baseline UAR | time (s) |\n|---|---|---|---|---:|---:|---:|---:|");
        md.append("---:|".repeat(corpora.size())).append("---:|---:|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %.3f ± %.3f | %.3f | %.3f |", r.variant(), r.backend(),
                    r.input(), r.normalization(), r.folds(), r.uarMean(), r.uarStd(), r.accuracyMean(), r.pooledUar()));
            for (String c : corpora) {
                Double v = r.corpusUar().get(c);
                md.append(v == null ? " |" : String.format(Locale.ROOT, " %.3f |", v));
            }
            md.append(String.format(Locale.ROOT, " %s | %.0f |\n", r.baseline().isEmpty() ? "-" : r.baseline(), r.seconds()));
        }
        md.append("\nUAR = unweighted average recall (mean of per-class recalls over the classes present), ")
                .append("mean ± sample std over the folds' held-out speakers; pooled = UAR of all folds' test predictions together; ")
                .append("per-corpus columns = pooled UAR of that corpus's utterances; linear baseline = `ser.train.baseline` fitted on ")
                .append("each fold's training side (utterance vectors), mean ± std over the same folds; time = wall-clock seconds of ")
                .append("the whole cross-validation (disturbed by whatever else the machine runs).\n");
        return md.toString();
    }

    /** Refuses to replace a file that this class did not write. */
    public static void checkReplaceable(Path file) {
        try {
            if (Files.exists(file) && !Files.readString(file).startsWith(MARKER)) {
                throw new ser.pipeline.UsageException(file + ": exists and was not written by ser experiment; not replacing it");
            }
        } catch (IOException e) {
            throw new RunFailure(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
