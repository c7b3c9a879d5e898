package ser.dl4j;

import ser.api.ModelContext;
import ser.api.SequenceModel;
import ser.api.SequenceModelProvider;

/** The {@code dl4j} backend: the shared architecture on ND4J arrays with hand-written gradients. */
public final class Dl4jSequenceModelProvider implements SequenceModelProvider {

    @Override
    public String name() {
        return Dl4jSequenceModel.BACKEND;
    }

    @Override
    public String description() {
        return "Deeplearning4j/ND4J 1.0.0-M2.1 (CPU): (bi)GRU stack with hand-written backward pass, Adam";
    }

    @Override
    public SequenceModel create(ModelContext context) {
        return new Dl4jSequenceModel(context);
    }
}
