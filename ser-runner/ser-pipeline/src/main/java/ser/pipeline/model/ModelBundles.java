package ser.pipeline.model;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.nio.file.Path;
import ser.pipeline.plugins.PluginRegistry;

/** Opens model bundles with the installed backends and the checked settings (an injectable service). */
public final class ModelBundles {

    private final PluginRegistry plugins;
    private final Config config;

    @Inject
    public ModelBundles(PluginRegistry plugins, Config config) {
        this.plugins = plugins;
        this.config = config;
    }

    /**
     * @param backend load the weights into this backend instead of the one that trained them, or
     *                null (weights are backend-neutral)
     */
    public ModelBundle open(Path dir, String backend) {
        return ModelBundle.open(dir, plugins, config, backend);
    }
}
