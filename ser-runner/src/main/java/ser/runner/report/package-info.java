/**
 * Report files: {@link ser.runner.report.Metrics} (accuracy, UAR, macro-F1, per class,
 * confusion; definitions for empty classes in the class comment), history.csv, metrics.json,
 * test_predictions.csv ({@link ser.runner.report.Predictions}) and the PNG charts
 * ({@link ser.runner.report.Charts}: accuracy and loss per epoch with the best epoch marked, and
 * the confusion matrix).
 */
package ser.runner.report;
