package ser.pipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ser.pipeline.UsageException;

/**
 * Layers the user's settings: {@code --set} over {@code --config} files (later over earlier) over
 * {@code config/application.conf} of the installation. Defaults ({@code reference.conf} of every
 * jar) are added by {@link ConfigValidator} once the plugins are known.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /**
     * @param defaultFile the installation's {@code config/application.conf}, used when present
     * @param files       {@code --config} files, in command-line order
     * @param overrides   {@code --set key=value} pairs, in command-line order
     */
    public static Config userSettings(Path defaultFile, List<Path> files, List<String> overrides) {
        Config user = ConfigFactory.empty();
        if (defaultFile != null && Files.isRegularFile(defaultFile)) {
            user = parseFile(defaultFile).withFallback(user);
        }
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new UsageException(file + ": config file not found");
            }
            user = parseFile(file).withFallback(user);
        }
        for (String override : overrides) {
            user = parseOverride(override).withFallback(user);
        }
        return user;
    }

    private static Config parseFile(Path file) {
        try {
            return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new UsageException(file + ": " + e.getMessage(), e);
        }
    }

    static Config parseOverride(String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new UsageException("--set " + override + ": expected key=value");
        }
        String key = override.substring(0, eq).trim();
        String value = override.substring(eq + 1).trim();
        try {
            // HOCON value syntax first, so lists and numbers keep their types...
            return ConfigFactory.parseString(key + " = " + value, ConfigParseOptions.defaults().setOriginDescription("--set " + key))
                    .resolve(ConfigResolveOptions.noSystem());
        } catch (ConfigException e) {
            // ...and anything that is not valid HOCON (a path with colons, say) as a plain string.
            try {
                return ConfigFactory.empty("--set " + key).withValue(key, ConfigValueFactory.fromAnyRef(value, "--set " + key));
            } catch (ConfigException.BadPath bad) {
                throw new UsageException("--set " + override + ": '" + key + "' is not a valid config key", bad);
            }
        }
    }
}
