package ser.spark;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import ser.pipeline.plugins.PluginRegistry;

/**
 * The driver's checked settings as they travel to the executors: rendered once, parsed again
 * there. Plugins are found on the executor's class path (the cluster jar holds the built-in
 * ones) and in {@code ser.plugins.dir} when that folder exists on the executor.
 */
public record JobSettings(String configText) implements Serializable {

    public static JobSettings of(Config config) {
        return new JobSettings(config.root().render(ConfigRenderOptions.concise()));
    }

    public Config config() {
        return ConfigFactory.parseString(configText);
    }

    public PluginRegistry plugins() {
        Path dir = Path.of(config().getString("ser.plugins.dir"));
        return PluginRegistry.discover(JobSettings.class.getClassLoader(), Files.isDirectory(dir) ? dir : null);
    }
}
