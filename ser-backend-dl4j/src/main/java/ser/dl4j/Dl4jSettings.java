package ser.dl4j;

import ser.api.StrictNumbers;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * The backend's own block {@code ser.backends.dl4j} (see {@code reference.conf}); keys missing
 * from the given config fall back to this module's {@code reference.conf}.
 */
public record Dl4jSettings(
        int predictBatchSize,
        boolean parallelDirections,
        int elementwiseThreshold,
        boolean verbose) {

    public static final String PATH = "ser.backends.dl4j";

    public Dl4jSettings {
        if (predictBatchSize <= 0 || elementwiseThreshold < 0) {
            throw new IllegalArgumentException(PATH + ": predict-batch-size must be positive and elementwise-threshold >= 0");
        }
    }

    /** Reads the block; {@code settings} may be the block itself, a whole config, or null. */
    public static Dl4jSettings from(Config settings) {
        Config defaults = ConfigFactory.defaultReference(Dl4jSettings.class.getClassLoader()).getConfig(PATH);
        Config c = settings == null ? defaults
                : (settings.hasPath(PATH) ? settings.getConfig(PATH) : settings).withFallback(defaults);
        return new Dl4jSettings(
                StrictNumbers.getInt(c, "predict-batch-size"),
                c.getBoolean("parallel-directions"),
                StrictNumbers.getInt(c, "elementwise-threshold"),
                c.getBoolean("verbose"));
    }

    public static Dl4jSettings defaults() {
        return from(null);
    }
}
