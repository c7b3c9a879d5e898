package ser.pipeline.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Classification metrics of one set of predictions, from its confusion matrix.
 *
 * <p>Definitions (all classes {@code 0..classes-1}, rows of the confusion matrix are the true
 * class, columns the predicted one):
 * <ul>
 * <li>accuracy: correct / all.</li>
 * <li>per class: support = row sum; precision = tp / column sum, <b>0 when the class is never
 * predicted</b>; recall = tp / support, <b>0 when the class has no support</b>; F1 = harmonic mean of
 * precision and recall, <b>0 when both are 0</b>.</li>
 * <li>UAR (unweighted average recall) and macro-F1: plain means over the classes that occur in the
 * true labels (support &gt; 0). A class with no support has no recall to speak of, so it is left
 * out rather than counted as 0; wrong predictions of such a class still lower the recall of the
 * classes they were taken from. {@link #averagedClasses()} lists the classes averaged.</li>
 * </ul>
 */
public final class Metrics {

    /** One class's scores. */
    public record ClassScores(double precision, double recall, double f1, int support) {
    }

    private final int[][] confusion;
    private final List<ClassScores> perClass;
    private final List<Integer> averagedClasses;
    private final int count;
    private final double accuracy;
    private final double uar;
    private final double macroF1;

    private Metrics(int[][] confusion) {
        int classes = confusion.length;
        this.confusion = new int[classes][];
        for (int i = 0; i < classes; i++) {
            this.confusion[i] = confusion[i].clone();
        }
        int n = 0;
        int correct = 0;
        int[] predictedCount = new int[classes];
        int[] support = new int[classes];
        for (int t = 0; t < classes; t++) {
            for (int p = 0; p < classes; p++) {
                int c = confusion[t][p];
                n += c;
                support[t] += c;
                predictedCount[p] += c;
                if (t == p) {
                    correct += c;
                }
            }
        }
        List<ClassScores> scores = new ArrayList<>(classes);
        List<Integer> averaged = new ArrayList<>();
        double recallSum = 0;
        double f1Sum = 0;
        for (int k = 0; k < classes; k++) {
            int tp = confusion[k][k];
            double precision = predictedCount[k] == 0 ? 0 : tp / (double) predictedCount[k];
            double recall = support[k] == 0 ? 0 : tp / (double) support[k];
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            scores.add(new ClassScores(precision, recall, f1, support[k]));
            if (support[k] > 0) {
                averaged.add(k);
                recallSum += recall;
                f1Sum += f1;
            }
        }
        this.count = n;
        this.perClass = Collections.unmodifiableList(scores);
        this.averagedClasses = List.copyOf(averaged);
        this.accuracy = n == 0 ? 0 : correct / (double) n;
        this.uar = averaged.isEmpty() ? 0 : recallSum / averaged.size();
        this.macroF1 = averaged.isEmpty() ? 0 : f1Sum / averaged.size();
    }

    /** Metrics of predictions {@code predicted[i]} for true classes {@code truth[i]}. */
    public static Metrics of(int[] truth, int[] predicted, int classes) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " true labels but " + predicted.length + " predictions");
        }
        int[][] confusion = new int[classes][classes];
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] < 0 || truth[i] >= classes || predicted[i] < 0 || predicted[i] >= classes) {
                throw new IllegalArgumentException("class index out of range 0.." + (classes - 1) + " at " + i);
            }
            confusion[truth[i]][predicted[i]]++;
        }
        return new Metrics(confusion);
    }

    /** Metrics of a confusion matrix (rows true, columns predicted). */
    public static Metrics ofConfusion(int[][] confusion) {
        for (int[] row : confusion) {
            if (row.length != confusion.length) {
                throw new IllegalArgumentException("confusion matrix must be square");
            }
        }
        return new Metrics(confusion);
    }

    /** Index of the largest probability; the lowest index wins a tie. */
    public static int argmax(float[] probabilities) {
        int best = 0;
        for (int k = 1; k < probabilities.length; k++) {
            if (probabilities[k] > probabilities[best]) {
                best = k;
            }
        }
        return best;
    }

    public int classes() {
        return confusion.length;
    }

    public int count() {
        return count;
    }

    public double accuracy() {
        return accuracy;
    }

    /** Unweighted average recall over the classes with support. */
    public double uar() {
        return uar;
    }

    /** Mean F1 over the classes with support. */
    public double macroF1() {
        return macroF1;
    }

    public List<ClassScores> perClass() {
        return perClass;
    }

    /** Classes (0-based) that UAR and macro-F1 average over: those with support. */
    public List<Integer> averagedClasses() {
        return averagedClasses;
    }

    /** A copy of the confusion matrix: {@code [true][predicted]}. */
    public int[][] confusion() {
        int[][] copy = new int[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }

    /**
     * The confusion matrix as a text table for a terminal: rows true class, columns predicted,
     * with class names abbreviated to their first four letters.
     */
    public String confusionTable() {
        StringBuilder text = new StringBuilder(String.format(java.util.Locale.ROOT, "%-10s", "true\\pred"));
        for (int c = 0; c < confusion.length; c++) {
            text.append(String.format(java.util.Locale.ROOT, "%6s", abbreviation(c)));
        }
        text.append('\n');
        for (int t = 0; t < confusion.length; t++) {
            text.append(String.format(java.util.Locale.ROOT, "%-10s", ser.api.Emotion.ofIndex(t).id()));
            for (int p = 0; p < confusion.length; p++) {
                text.append(String.format(java.util.Locale.ROOT, "%6d", confusion[t][p]));
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static String abbreviation(int index) {
        String id = ser.api.Emotion.ofIndex(index).id();
        return id.length() <= 4 ? id : id.substring(0, 4);
    }
}
