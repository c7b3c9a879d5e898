package ser.djl;

import ser.api.ModelContext;
import ser.api.SequenceModel;
import ser.api.SequenceModelProvider;

/**
 * The {@code djl} backend: the {@link ser.api.ArchitectureSpec} network on DJL + PyTorch (CPU,
 * offline from the Maven native jars). Settings: {@code ser.backends.djl} in reference.conf.
 */
public final class DjlSequenceModelProvider implements SequenceModelProvider {

    public static final String NAME = "djl";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "BiGRU + attention on DJL 0.36 / PyTorch (libtorch fused GRU kernels, CPU)";
    }

    @Override
    public SequenceModel create(ModelContext context) {
        return new DjlSequenceModel(context);
    }
}
