/**
 * Report files: {@link ser.pipeline.report.Metrics} (accuracy, UAR, macro-F1, per class,
 * confusion; definitions for empty classes in the class comment), history.csv, metrics.json,
 * test_predictions.csv ({@link ser.pipeline.report.Predictions}) and the PNG charts
 * ({@link ser.pipeline.report.Charts}: accuracy and loss per epoch with the best epoch marked, and
 * the confusion matrix).
 */
package ser.pipeline.report;
