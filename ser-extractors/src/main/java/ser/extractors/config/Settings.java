package ser.extractors.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import ser.api.StrictNumbers;

import java.util.Locale;
import java.util.Set;

/**
 * Reads one extractor's settings block ({@code ser.extractors.<name>}) and turns every problem
 * (missing key, wrong type, value out of range) into an {@link IllegalArgumentException} that
 * names the full key, e.g. {@code ser.extractors.mfcc.n-mfcc must be > 0, got 0}.
 */
public final class Settings {

    private final Config config;
    private final String prefix;

    /**
     * @param config the extractor's block, user values over {@code reference.conf} defaults
     * @param name   the provider name; keys are reported as {@code ser.extractors.<name>.<key>}
     */
    public Settings(Config config, String name) {
        if (config == null) {
            throw new IllegalArgumentException("ser.extractors." + name + ": settings block is missing");
        }
        this.config = config;
        this.prefix = "ser.extractors." + name + ".";
    }

    /** The full key as users write it. */
    public String key(String key) {
        return prefix + key;
    }

    public IllegalArgumentException invalid(String key, String requirement, Object actual) {
        return new IllegalArgumentException(key(key) + " " + requirement + ", got " + actual);
    }

    public int getInt(String key) {
        try {
            return StrictNumbers.getInt(config, key);
        } catch (ConfigException.Missing e) {
            throw new IllegalArgumentException(key(key) + " is not set (and has no default)", e);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(key(key) + " must be an integer: " + e.getMessage(), e);
        }
    }

    public double getDouble(String key) {
        double v;
        try {
            v = config.getDouble(key);
        } catch (ConfigException.Missing e) {
            throw new IllegalArgumentException(key(key) + " is not set (and has no default)", e);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(key(key) + " must be a number: " + e.getMessage(), e);
        }
        if (!Double.isFinite(v)) {
            throw invalid(key, "must be a finite number", v);
        }
        return v;
    }

    public boolean getBoolean(String key) {
        try {
            return config.getBoolean(key);
        } catch (ConfigException.Missing e) {
            throw new IllegalArgumentException(key(key) + " is not set (and has no default)", e);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(key(key) + " must be true or false: " + e.getMessage(), e);
        }
    }

    /** A string setting restricted to {@code allowed} (compared case-insensitively, returned lower case). */
    public String getChoice(String key, Set<String> allowed) {
        String v;
        try {
            v = config.getString(key);
        } catch (ConfigException.Missing e) {
            throw new IllegalArgumentException(key(key) + " is not set (and has no default)", e);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(key(key) + " must be a string: " + e.getMessage(), e);
        }
        String lower = v.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(lower)) {
            throw invalid(key, "must be one of " + new java.util.TreeSet<>(allowed), "'" + v + "'");
        }
        return lower;
    }

    public int positiveInt(String key) {
        int v = getInt(key);
        if (v <= 0) {
            throw invalid(key, "must be > 0", v);
        }
        return v;
    }

    public int nonNegativeInt(String key) {
        int v = getInt(key);
        if (v < 0) {
            throw invalid(key, "must be >= 0", v);
        }
        return v;
    }

    public double positiveDouble(String key) {
        double v = getDouble(key);
        if (!(v > 0)) {
            throw invalid(key, "must be > 0", v);
        }
        return v;
    }

    public double nonNegativeDouble(String key) {
        double v = getDouble(key);
        if (v < 0) {
            throw invalid(key, "must be >= 0", v);
        }
        return v;
    }

    /** A number in the open interval (lo, hi). */
    public double openInterval(String key, double lo, double hi) {
        double v = getDouble(key);
        if (!(v > lo && v < hi)) {
            throw invalid(key, "must lie in (" + lo + ", " + hi + ")", v);
        }
        return v;
    }
}
