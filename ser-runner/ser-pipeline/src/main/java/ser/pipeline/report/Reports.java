package ser.pipeline.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ser.api.Emotion;
import ser.api.EpochMetrics;
import ser.pipeline.util.AtomicFiles;

/** Writes the report files of a training or evaluation run. */
public final class Reports {

    public static final String HISTORY_CSV = "history.csv";
    public static final String METRICS_JSON = "metrics.json";
    public static final String PREDICTIONS_CSV = "test_predictions.csv";
    public static final String ACCURACY_PNG = "accuracy.png";
    public static final String LOSS_PNG = "loss.png";
    public static final String CONFUSION_PNG = "confusion.png";

    /** Stated in every metrics.json, so the numbers cannot be misread. */
    public static final String DEFINITIONS = "confusion rows = true class, columns = predicted class, both in label order "
            + "(labels); precision is 0 for a class never predicted; recall and f1 are 0 for a class with no support; "
            + "uar (unweighted average recall) and macro_f1 average over the classes with support (macro_over)";

    private Reports() {
    }

    public static List<String> emotionIds() {
        List<String> ids = new ArrayList<>();
        for (Emotion e : Emotion.values()) {
            ids.add(e.id());
        }
        return ids;
    }

    /** history.csv: epoch, loss, accuracy, val_loss, val_accuracy, lr. */
    public static void writeHistory(Path file, List<EpochMetrics> history) throws IOException {
        StringBuilder csv = new StringBuilder("epoch,loss,accuracy,val_loss,val_accuracy,lr\n");
        for (EpochMetrics m : history) {
            csv.append(String.format(Locale.ROOT, "%d,%s,%s,%s,%s,%s%n", m.epoch(), num(m.loss()), num(m.accuracy()),
                    num(m.validationLoss()), num(m.validationAccuracy()), num(m.learningRate())));
        }
        AtomicFiles.writeString(file, csv.toString());
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }

    /**
     * The metrics.json object: accuracy, uar, macro_f1, count, per_class (by emotion id, label
     * order), confusion, labels, macro_over, split, test_speakers, then {@code extra} entries.
     */
    public static ObjectNode metricsJson(Metrics metrics, String split, Collection<String> testSpeakers, Map<String, ?> extra) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("accuracy", metrics.accuracy());
        root.put("uar", metrics.uar());
        root.put("macro_f1", metrics.macroF1());
        root.put("count", metrics.count());
        ObjectNode perClass = root.putObject("per_class");
        for (Emotion e : Emotion.values()) {
            Metrics.ClassScores s = metrics.perClass().get(e.index());
            ObjectNode c = perClass.putObject(e.id());
            c.put("precision", s.precision());
            c.put("recall", s.recall());
            c.put("f1", s.f1());
            c.put("support", s.support());
        }
        ArrayNode confusion = root.putArray("confusion");
        for (int[] row : metrics.confusion()) {
            ArrayNode r = confusion.addArray();
            for (int v : row) {
                r.add(v);
            }
        }
        ArrayNode labels = root.putArray("labels");
        emotionIds().forEach(labels::add);
        ArrayNode over = root.putArray("macro_over");
        metrics.averagedClasses().forEach(k -> over.add(Emotion.ofIndex(k).id()));
        root.put("split", split);
        ArrayNode speakers = root.putArray("test_speakers");
        testSpeakers.stream().sorted().forEach(speakers::add);
        extra.forEach((k, v) -> root.set(k, Json.MAPPER.valueToTree(v)));
        root.put("definitions", DEFINITIONS);
        return root;
    }

    /** {@code per_corpus}: accuracy, uar, macro_f1 and count of each corpus, by corpus name. */
    public static ObjectNode perCorpusJson(Map<String, Metrics> byCorpus) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        byCorpus.forEach((corpus, m) -> root.putObject(corpus).put("accuracy", m.accuracy()).put("uar", m.uar())
                .put("macro_f1", m.macroF1()).put("count", m.count()));
        return root;
    }

    /** One console line per corpus, indented: {@code  corpus  n  accuracy  UAR  macro-F1}. */
    public static void printPerCorpus(java.io.PrintWriter out, String indent, Map<String, Metrics> byCorpus) {
        byCorpus.forEach((corpus, m) -> out.printf(Locale.ROOT, "%s%-12s %5d utterances: accuracy %.4f  UAR %.4f  macro-F1 %.4f%n",
                indent, corpus, m.count(), m.accuracy(), m.uar(), m.macroF1()));
    }

    /** The confusion chart's title: what was evaluated, accuracy and UAR. */
    public static String confusionTitle(String what, Metrics metrics) {
        return String.format(Locale.ROOT, "%s — accuracy %.1f%%, UAR %.1f%% (n=%d)", what, 100 * metrics.accuracy(),
                100 * metrics.uar(), metrics.count());
    }

    public static void writeConfusion(Path file, Metrics metrics, String what) throws IOException {
        Charts.write(file, Charts.confusion(metrics.confusion(), emotionIds(), confusionTitle(what, metrics)));
    }

    /** accuracy.png and loss.png in {@code dir}. */
    public static void writeCurves(Path dir, List<EpochMetrics> history, int bestEpoch, String subtitle) throws IOException {
        Charts.write(dir.resolve(ACCURACY_PNG), Charts.trainingCurve(history, bestEpoch, Charts.Curve.ACCURACY, subtitle));
        Charts.write(dir.resolve(LOSS_PNG), Charts.trainingCurve(history, bestEpoch, Charts.Curve.LOSS, subtitle));
    }
}
