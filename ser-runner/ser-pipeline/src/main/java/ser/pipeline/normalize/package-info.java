/**
 * Speaker (or corpus) normalization: each group's features standardized with that group's own
 * statistics, before the scaler fitted on the training split, in train, evaluate and predict
 * alike ({@code ser.train.normalization}).
 */
package ser.pipeline.normalize;
