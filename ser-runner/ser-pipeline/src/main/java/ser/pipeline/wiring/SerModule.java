package ser.pipeline.wiring;

import com.google.inject.AbstractModule;
import com.typesafe.config.Config;
import ser.pipeline.audio.AudioSettings;
import ser.pipeline.extract.ExtractSettings;
import ser.pipeline.plugins.PluginRegistry;

/** Binds the checked settings and the discovered plugins; services take what they need by injection. */
public final class SerModule extends AbstractModule {

    private final Config config;
    private final PluginRegistry plugins;

    public SerModule(Config config, PluginRegistry plugins) {
        this.config = config;
        this.plugins = plugins;
    }

    @Override
    protected void configure() {
        bind(Config.class).toInstance(config);
        bind(PluginRegistry.class).toInstance(plugins);
        // Typed settings, each read once from the checked config.
        bind(AudioSettings.class).toInstance(AudioSettings.from(config));
        // Read when a command first needs it: predicting with a bundle must not fail on extract settings it does not use.
        bind(ExtractSettings.class).toProvider(() -> ExtractSettings.from(config)).in(com.google.inject.Singleton.class);
    }
}
