package ser.pipeline.train;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import ser.pipeline.plugins.PluginRegistry;

/** Builds a {@link Trainer} from the checked settings and the discovered backends. */
public final class TrainerFactory {

    private final Config config;
    private final PluginRegistry plugins;

    @Inject
    public TrainerFactory(Config config, PluginRegistry plugins) {
        this.config = config;
        this.plugins = plugins;
    }

    /**
     * @param backend a backend name that wins over {@code ser.train.backend} (a command's
     *                {@code --backend}), or null
     * @param out     where epoch lines go
     */
    public Trainer create(String backend, PrintWriter out) {
        TrainSettings settings = TrainSettings.from(config);
        if (backend != null) {
            settings = settings.withBackend(backend.trim());
        }
        return new Trainer(settings, plugins.backend(settings.backend()), TrainSettings.backendSettings(config, settings.backend()), out)
                .withBaseline(Baseline.from(config));
    }
}
