/**
 * Training, evaluation and prediction: {@code ser train}, {@code ser train --cv K},
 * {@code ser evaluate}, {@code ser predict} and {@code ser bench backends}.
 *
 * <h2>Honest evaluation</h2>
 * <ul>
 * <li>{@link ser.pipeline.train.Splitter} divides utterances <b>by speaker</b> by default
 * ({@code ser.train.split = speaker}): no speaker is in two of train / validation / test. Parts are
 * balanced by emotion as far as whole speakers allow (seeded greedy assignment, see the class).
 * {@code ser.train.split = random} splits utterance by utterance instead and is labelled
 * {@code random} in every report, because its scores are optimistic.</li>
 * <li>The validation part, which early stopping watches, is carved from the training-side
 * speakers ({@code ser.train.validation-fraction}; 0 = none, for a model with no epochs to
 * choose: every non-test speaker trains, every epoch runs and the last is kept). The test part is
 * predicted once, after training; it never chooses an epoch or a setting.</li>
 * <li>{@link ser.pipeline.train.Standardizer}: per-column mean and std fitted on the training part
 * only, stored in the bundle, applied unchanged to validation, test, evaluate and predict.</li>
 * <li>{@link ser.pipeline.train.InputShape}: the model sees the frame sequence (or, with
 * {@code ser.train.input = utterance}, the nppdp.csv row as a one-frame sequence), frames
 * averaged into steps of {@code ser.train.frame-step-s}; sequences longer than
 * {@code ser.train.max-duration-s} are cut to their middle, everywhere alike.</li>
 * </ul>
 *
 * <h2>Model bundle</h2>
 * See {@link ser.pipeline.model.ModelBundle}: {@code bundle.json} (everything prediction needs,
 * with digests of the weights), {@code weights/}, {@code split.csv} and {@code reports/}. Every
 * output folder (bundle, cross-validation, evaluation) is built in a hidden sibling and renamed
 * into place when complete ({@link ser.pipeline.util.StagedDir}); every file in it is written
 * atomically.
 *
 * <h2>Exit codes</h2>
 * 0 success; 1 a run failure (unreadable features, an unusable bundle, a schema hash mismatch,
 * for {@code predict}: any file that failed, for {@code bench backends}: any backend that
 * failed); 2 a usage error (bad option or setting, unknown backend).
 */
package ser.pipeline.train;
