package ser.pipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Map;
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

    /** Deeper than any setting ser has (ser.model.architecture.gru.units is 5): a guard, not a limit users meet. */
    static final int MAX_DEPTH = 32;

    private static Config parseFile(Path file) {
        Config parsed;
        try {
            parsed = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new UsageException(file + ": " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            // The HOCON parser recurses once per nesting level.
            throw new UsageException(file + ": nested too deeply to read (settings are at most " + MAX_DEPTH + " levels deep)");
        }
        checkDepth(parsed, file.toString());
        return parsed;
    }

    /** Refuses objects nested deeper than {@link #MAX_DEPTH}, naming the first such key (walked without recursion). */
    static void checkDepth(Config config, String source) {
        record Level(String path, int depth, ConfigObject object) {
        }
        ArrayDeque<Level> pending = new ArrayDeque<>();
        pending.push(new Level("", 0, config.root()));
        while (!pending.isEmpty()) {
            Level level = pending.pop();
            java.util.Set<Map.Entry<String, ConfigValue>> entries;
            try {
                entries = level.object().entrySet();
            } catch (ConfigException.NotResolved e) {
                continue; // an object merged with a substitution: checked once resolved (ConfigValidator)
            }
            for (Map.Entry<String, ConfigValue> entry : entries) {
                if (entry.getValue() instanceof ConfigObject child) {
                    String key = ConfigUtil.joinPath(entry.getKey());
                    String path = level.path().isEmpty() ? key : level.path() + "." + key;
                    if (level.depth() + 1 > MAX_DEPTH) {
                        String shown = path.length() > 60 ? path.substring(0, 60) + "..." : path;
                        throw new UsageException(source + ": nested more than " + MAX_DEPTH + " levels deep (at " + shown + ")");
                    }
                    pending.push(new Level(path, level.depth() + 1, child));
                }
            }
        }
    }

    /** Origin description of a {@code --set} value, which ConfigValidator recognises. */
    static final String SET_ORIGIN = "--set ";

    static Config parseOverride(String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new UsageException("--set " + override + ": expected key=value");
        }
        String key = override.substring(0, eq).trim();
        String value = override.substring(eq + 1).trim();
        try {
            // HOCON value syntax first, so lists and numbers keep their types; substitutions stay
            // unresolved here and are resolved with every other setting (ConfigValidator)...
            Config parsed = ConfigFactory.parseString(key + " = " + value, ConfigParseOptions.defaults()
                    .setOriginDescription(SET_ORIGIN + key));
            checkDepth(parsed, "--set " + key);
            return parsed;
        } catch (StackOverflowError e) {
            throw new UsageException("--set " + key + ": nested too deeply to read");
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
