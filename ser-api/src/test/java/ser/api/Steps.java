package ser.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;


/**
 * Training steps in a fixed order for the backends' own tests (shared through this module's test-jar): batches of {@code batch}
 * consecutive sequences, every epoch the same. The real protocol (shuffling, early stopping,
 * noise) is the runner's TrainingLoop, tested there on both backends.
 */
public final class Steps {

    private Steps() {
    }

    /** Runs {@code epochs} passes; returns every step's result in order. */
    public static List<SequenceModel.StepResult> run(SequenceModel model, SequenceDataset data, int batch, int epochs, double lr) {
        List<SequenceModel.StepResult> steps = new ArrayList<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int from = 0; from < data.size(); from += batch) {
                int to = Math.min(data.size(), from + batch);
                steps.add(model.trainStep(TrainingBatch.unweighted(data.inputs().subList(from, to),
                        Arrays.copyOfRange(data.labels(), from, to)), lr));
            }
        }
        return steps;
    }

    /** Share of {@code data} whose arg-max prediction is its label (inference mode). */
    public static double accuracy(SequenceModel model, SequenceDataset data) {
        float[][] p = model.predict(data.inputs());
        int correct = 0;
        for (int i = 0; i < p.length; i++) {
            int arg = 0;
            for (int c = 1; c < p[i].length; c++) {
                if (p[i][c] > p[i][arg]) {
                    arg = c;
                }
            }
            correct += arg == data.labels()[i] ? 1 : 0;
        }
        return (double) correct / p.length;
    }
}
