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

    /**
     * Resolved settings: user values over defaults, checked. Substitutions ({@code ${x}},
     * {@code ${?HOME}}) are resolved against the merged settings and the environment; one that
     * cannot be resolved is reported with the key that holds it and where it was written.
     */
    public static Config validate(Config user, Config reference) {
        Config merged = resolve(user, reference);
        // The user's own keys with their values resolved, so that types are checked as read.
        Config resolvedUser;
        try {
            resolvedUser = user.resolveWith(merged, RESOLVE);
            refuseVanishedOverrides(user, resolvedUser);
        } catch (ConfigException e) {
            // Typesafe Config 1.4.3 cannot resolve some self-referencing merges this way
            // (BugOrBroken "replace in parent not possible"; Jazzer finding): check the user's
            // keys with their values as resolved in the merged settings instead.
            resolvedUser = userKeysOf(user, merged);
        }
        if (resolvedUser.hasPath(ROOT) && resolvedUser.getValue(ROOT).valueType() != ConfigValueType.OBJECT) {
            throw new UsageException("ser: must be an object of settings");
        }
        List<String> problems = new ArrayList<>();
        if (resolvedUser.hasPath(ROOT)) {
            checkKnown(resolvedUser.getObject(ROOT), ROOT, reference, problems);
        }
        if (!problems.isEmpty()) {
            throw new UsageException(String.join("; ", problems));
        }
        refuseLostDefaults(merged, reference);
        return merged;
    }

    /**
     * In HOCON a block first set to a plain value and then to an object ({@code ser = 8} then
     * {@code ser { ... }}) no longer falls back to the defaults; every default key must still be
     * there, or the settings would fail later with a library message (Jazzer finding).
     */
    private static void refuseLostDefaults(Config merged, Config reference) {
        Set<Map.Entry<String, ConfigValue>> defaults;
        try {
            defaults = reference.entrySet();
        } catch (ConfigException e) {
            return; // unresolved defaults: not ours to judge
        }
        for (Map.Entry<String, ConfigValue> entry : defaults) {
            if (!merged.hasPathOrNull(entry.getKey())) {
                throw new UsageException(entry.getKey() + ": missing: a block above it was set to a plain value and then to "
                        + "an object, which in HOCON drops the defaults (set only the keys you change)");
            }
        }
    }

    /** The merged (resolved) values at the paths the user set. */
    private static Config userKeysOf(Config user, Config merged) {
        Config projected = ConfigFactory.empty();
        for (String path : leafPaths(user)) {
            if (!path.isEmpty() && merged.hasPath(path)) {
                projected = projected.withValue(path, merged.getValue(path));
            }
        }
        return projected;
    }

    /** Environment variables count: {@code ${?HOME}}, {@code ${SER_DATA}}. */
    static final ConfigResolveOptions RESOLVE = ConfigResolveOptions.defaults().setUseSystemEnvironment(true);

    /** User settings over defaults, resolved; an unresolvable substitution names its key and origin. */
    public static Config resolve(Config user, Config reference) {
        return resolve(user, reference, false);
    }

    /**
     * @param partial leave substitutions that need defaults not yet known (the plugins' own)
     *                unresolved: the plugins folder must be read before the plugins are found
     */
    public static Config resolve(Config user, Config reference, boolean partial) {
        Config merged = user.withFallback(reference);
        try {
            return merged.resolve(RESOLVE.setAllowUnresolved(partial));
        } catch (ConfigException.UnresolvedSubstitution e) {
            throw new UsageException(unresolvedKey(user, merged) + e.getMessage(), e);
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new UsageException("settings: substitutions nested too deeply to resolve (a chain of ${...} thousands long?)");
        }
    }

    /** {@code "key: "} of the first user setting whose substitution fails, or "" if none can be singled out. */
    private static String unresolvedKey(Config user, Config merged) {
        for (String path : leafPaths(user)) {
            try {
                user.withOnlyPath(path).resolveWith(merged, RESOLVE);
            } catch (ConfigException.UnresolvedSubstitution e) {
                return path + ": ";
            } catch (ConfigException | StackOverflowError e) {
                // not this key's fault
            }
        }
        return "";
    }

    /** Paths of the user's non-object values (without resolving anything). */
    private static List<String> leafPaths(Config config) {
        List<String> paths = new ArrayList<>();
        java.util.ArrayDeque<Map.Entry<String, ConfigObject>> pending = new java.util.ArrayDeque<>();
        pending.push(Map.entry("", config.root()));
        while (!pending.isEmpty()) {
            Map.Entry<String, ConfigObject> next = pending.pop();
            Set<Map.Entry<String, ConfigValue>> entries;
            try {
                entries = next.getValue().entrySet();
            } catch (ConfigException.NotResolved e) {
                paths.add(next.getKey());
                continue;
            }
            for (Map.Entry<String, ConfigValue> entry : entries) {
                String key = com.typesafe.config.ConfigUtil.joinPath(entry.getKey());
                String path = next.getKey().isEmpty() ? key : next.getKey() + "." + key;
                if (entry.getValue() instanceof ConfigObject child) {
                    pending.push(Map.entry(path, child));
                } else {
                    paths.add(path);
                }
            }
        }
        paths.sort(null);
        return paths;
    }

    /**
     * An optional substitution that finds nothing ({@code ${?NOPE}}) removes its key: standard
     * HOCON in a file (a later line may rely on it), but a {@code --set} that sets nothing is
     * surely a mistake, so it is refused rather than dropped.
     */
    private static void refuseVanishedOverrides(Config user, Config resolvedUser) {
        for (String path : leafPaths(user)) {
            if (path.isEmpty() || resolvedUser.hasPathOrNull(path)) {
                continue;
            }
            String origin = originOf(user, path);
            if (origin.startsWith(ConfigLoader.SET_ORIGIN)) {
                throw new UsageException(ConfigLoader.SET_ORIGIN + path + ": the substitution resolved to nothing (no such setting or environment "
                        + "variable); leaving the setting at its default would hide that");
            }
        }
    }

    /** Origin description of the value at {@code path}, read from its parent object (which need not be resolved). */
    private static String originOf(Config config, String path) {
        List<String> keys = com.typesafe.config.ConfigUtil.splitPath(path);
        ConfigObject object = config.root();
        ConfigValue value;
        try {
            for (int i = 0; i < keys.size() - 1; i++) {
                if (!(object.get(keys.get(i)) instanceof ConfigObject child)) {
                    return "";
                }
                object = child;
            }
            value = object.get(keys.get(keys.size() - 1));
        } catch (ConfigException.NotResolved e) {
            return "";
        }
        return value == null || value.origin() == null || value.origin().description() == null ? "" : value.origin().description();
    }

    private static String describe(com.typesafe.config.ConfigOrigin origin) {
        return origin == null || origin.description() == null ? "" : " (" + origin.description() + ")";
    }

    private static void checkKnown(ConfigObject object, String path, Config reference, List<String> problems) {
        if (OPEN_MAPS.contains(path)) {
            return;
        }
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String childPath = path + "." + com.typesafe.config.ConfigUtil.joinPath(entry.getKey());
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
