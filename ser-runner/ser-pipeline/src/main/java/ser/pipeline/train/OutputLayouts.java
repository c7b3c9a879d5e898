package ser.pipeline.train;

import ser.pipeline.evaluate.Evaluator;
import ser.pipeline.model.ModelBundle;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import ser.pipeline.report.Reports;
import ser.pipeline.util.FolderLayout;

/**
 * What {@code train}, {@code train --cv} and {@code evaluate} write, so that an existing output
 * folder is replaced only when it holds nothing but an earlier output of the same command.
 */
public final class OutputLayouts {

    /** A training run's reports folder. */
    static final FolderLayout REPORTS = FolderLayout.of(null, Set.of(Reports.HISTORY_CSV, Reports.METRICS_JSON,
            Reports.PREDICTIONS_CSV, Reports.ACCURACY_PNG, Reports.LOSS_PNG, Reports.CONFUSION_PNG), Map.of());

    /** A model bundle: bundle.json, split.csv, the backend's weights files, the reports. */
    static final FolderLayout BUNDLE = FolderLayout.of(ModelBundle.BUNDLE_JSON,
            Set.of(ModelBundle.BUNDLE_JSON, ModelBundle.SPLIT_CSV),
            Map.of(ModelBundle.WEIGHTS, FolderLayout.anyFiles(), ModelBundle.REPORTS, REPORTS));

    /** {@code train --cv}: cv.json, pooled predictions and confusion, one reports folder per fold. */
    static final FolderLayout CROSS_VALIDATION = FolderLayout.of(CrossValidation.CV_JSON,
            Set.of(CrossValidation.CV_JSON, Reports.PREDICTIONS_CSV, Reports.CONFUSION_PNG), Map.of())
            .withFolders(Pattern.compile("fold-\\d+|" + FolderLayout.TEMPORARY.pattern()), REPORTS);

    /** {@code evaluate}: metrics.json, confusion.png, predictions.csv. */
    public static final FolderLayout EVALUATION = FolderLayout.of(Reports.METRICS_JSON,
            Set.of(Reports.METRICS_JSON, Reports.CONFUSION_PNG, Evaluator.PREDICTIONS_CSV), Map.of());

    private OutputLayouts() {
    }
}
