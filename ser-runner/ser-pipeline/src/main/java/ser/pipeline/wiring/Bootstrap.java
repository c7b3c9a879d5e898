package ser.pipeline.wiring;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import ser.pipeline.config.ConfigLoader;
import ser.pipeline.config.ConfigValidator;
import ser.pipeline.plugins.PluginRegistry;

/**
 * The composition root: settings are layered and checked, plugins discovered, and the object
 * graph built by Guice. Nothing else looks services up.
 *
 * @param home        the installation folder holding {@code config/application.conf}, or null
 * @param configFiles {@code --config} files
 * @param overrides   {@code --set key=value} pairs
 */
public record Bootstrap(Path home, List<Path> configFiles, List<String> overrides) {

    public Bootstrap {
        configFiles = List.copyOf(configFiles);
        overrides = List.copyOf(overrides);
    }

    /** Checked settings and the plugins they were checked against. */
    private record Setup(Config config, PluginRegistry plugins) {
    }

    private Setup setup() {
        Path defaults = home == null ? null : home.resolve("config").resolve("application.conf");
        Config user = ConfigLoader.userSettings(defaults, configFiles, overrides);
        ClassLoader app = Bootstrap.class.getClassLoader();
        // The plugins folder is itself a setting; its default comes from our own reference.conf.
        Config ownDefaults = ConfigValidator.reference(List.of(app));
        String dir = ConfigValidator.resolve(user, ownDefaults, true).getString("ser.plugins.dir");
        PluginRegistry plugins = PluginRegistry.discover(app, Path.of(dir));
        Config config = ConfigValidator.validate(user, ConfigValidator.reference(plugins.loaders()));
        return new Setup(config, plugins);
    }

    /** The object graph: every command, the demo included, gets its services from here. */
    public Injector injector() {
        Setup setup = setup();
        return Guice.createInjector(new SerModule(setup.config(), setup.plugins()));
    }
}
