package ser.pipeline.linear;

import ser.api.ModelContext;
import ser.api.SequenceModel;
import ser.api.SequenceModelProvider;

/**
 * The {@code linear} backend: multinomial logistic regression with L2 ({@link SoftmaxRegression}),
 * pure Java, built into the pipeline (so it needs no engine and is always there to compare
 * with). Meant for {@code ser.train.input = utterance}; on frame sequences it sees the mean frame.
 */
public final class LinearModelProvider implements SequenceModelProvider {

    public static final String NAME = "linear";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "multinomial logistic regression with L2 (scikit-learn's objective), full-batch L-BFGS, pure Java";
    }

    @Override
    public SequenceModel create(ModelContext context) {
        return new LinearModel(context.featureCount(), context.architecture().classes(), LinearSettings.of(context.settings()));
    }
}
