package ser.pipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import ser.pipeline.UsageException;

/**
 * Merges user settings over the defaults every jar ships in its {@code reference.conf} and
 * fails fast, naming the key, when the user sets a key no jar declares or gives a value of the
 * wrong type. Only the maps in {@link #OPEN_MAPS} take keys of the user's choosing.
 */
public final class ConfigValidator {

    public static final String ROOT = "ser";

    /** Blocks whose keys are data, not settings: the source-label to emotion map. */
    static final Set<String> OPEN_MAPS = Set.of("ser.labels.map");

    /** Keys that were renamed: the old key fails naming its replacement. */
    static final Map<String, String> RENAMED = Map.of(
            "ser.train.max-frames", "ser.train.max-duration-s (in seconds: frames changed meaning with the grid's hop)");

    private ConfigValidator() {
    }

    /** The defaults of the given class loaders' {@code reference.conf} files, merged. */
    public static Config reference(Collection<ClassLoader> loaders) {
        Config reference = ConfigFactory.empty();
        for (ClassLoader loader : loaders) {
            reference = reference.withFallback(ConfigFactory.parseResources(loader, "reference.conf"));
        }
        return reference;
    }

    /** Resolved settings: user values over defaults, checked. */
    public static Config validate(Config user, Config reference) {
        if (user.hasPath(ROOT) && user.getValue(ROOT).valueType() != ConfigValueType.OBJECT) {
            throw new UsageException("ser: must be an object of settings");
        }
        List<String> problems = new ArrayList<>();
        if (user.hasPath(ROOT)) {
            checkKnown(user.getObject(ROOT), ROOT, reference, problems);
        }
        if (!problems.isEmpty()) {
            throw new UsageException(String.join("; ", problems));
        }
        try {
            return user.withFallback(reference).resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(true));
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    private static String describe(com.typesafe.config.ConfigOrigin origin) {
        return origin == null || origin.description() == null ? "" : " (" + origin.description() + ")";
    }

    private static void checkKnown(ConfigObject object, String path, Config reference, List<String> problems) {
        if (OPEN_MAPS.contains(path)) {
            return;
        }
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String childPath = path + "." + quote(entry.getKey());
            ConfigValue value = entry.getValue();
            if (RENAMED.containsKey(childPath) && !reference.hasPathOrNull(childPath)) {
                problems.add(childPath + ": renamed to " + RENAMED.get(childPath) + describe(value.origin()));
            } else if (!reference.hasPathOrNull(childPath)) {
                problems.add(childPath + ": unknown setting" + suggestion(reference, path, entry.getKey())
                        + describe(value.origin()));
            } else {
                ConfigValue expected = reference.getValue(childPath);
                String mismatch = typeMismatch(expected, value);
                if (mismatch != null) {
                    problems.add(childPath + ": " + mismatch + describe(value.origin()));
                } else if (value.valueType() == ConfigValueType.OBJECT) {
                    checkKnown((ConfigObject) value, childPath, reference, problems);
                }
            }
        }
    }

    /**
     * Typesafe Config converts lazily (and its checkValid lets any string pass for a number), so
     * the types are compared here, as the getters would see them: a number may be written as a
     * numeric string, a boolean as true/false/yes/no/on/off, and a string setting takes any
     * scalar.
     */
    static String typeMismatch(ConfigValue expected, ConfigValue actual) {
        ConfigValueType want = expected.valueType();
        ConfigValueType got = actual.valueType();
        if (want == ConfigValueType.NULL || got == want) {
            if (want == ConfigValueType.LIST) {
                return listMismatch((com.typesafe.config.ConfigList) expected, (com.typesafe.config.ConfigList) actual);
            }
            return null;
        }
        boolean ok = switch (want) {
            case NUMBER -> got == ConfigValueType.STRING && isNumber((String) actual.unwrapped());
            case BOOLEAN -> got == ConfigValueType.STRING
                    && Set.of("true", "false", "yes", "no", "on", "off").contains(((String) actual.unwrapped()).toLowerCase(java.util.Locale.ROOT));
            case STRING -> got == ConfigValueType.NUMBER || got == ConfigValueType.BOOLEAN;
            default -> false;
        };
        return ok ? null : "expected " + article(want) + ", got " + article(got) + " (" + actual.render() + ")";
    }

    private static String listMismatch(com.typesafe.config.ConfigList expected, com.typesafe.config.ConfigList actual) {
        if (expected.isEmpty()) {
            return null;
        }
        for (int i = 0; i < actual.size(); i++) {
            String mismatch = typeMismatch(expected.get(0), actual.get(i));
            if (mismatch != null) {
                return "list element " + i + ": " + mismatch;
            }
        }
        return null;
    }

    private static boolean isNumber(String text) {
        try {
            Double.parseDouble(text.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String article(ConfigValueType type) {
        String name = type.name().toLowerCase(java.util.Locale.ROOT);
        return (type == ConfigValueType.OBJECT ? "an " : "a ") + name;
    }

    private static String quote(String key) {
        return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key.replace("\"", "\\\"") + "\"";
    }

    private static String suggestion(Config reference, String parentPath, String key) {
        if (!reference.hasPath(parentPath) || reference.getValue(parentPath).valueType() != ConfigValueType.OBJECT) {
            return "";
        }
        Set<String> siblings = reference.getObject(parentPath).keySet();
        Optional<String> nearest = siblings.stream()
                .filter(s -> editDistance(s, key) <= Math.max(2, key.length() / 3))
                .min(Comparator.comparingInt(s -> editDistance(s, key)));
        if (nearest.isPresent()) {
            return " (did you mean " + parentPath + "." + nearest.get() + "?)";
        }
        return siblings.isEmpty() ? "" : " (known here: " + String.join(", ", new java.util.TreeSet<>(siblings)) + ")";
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
