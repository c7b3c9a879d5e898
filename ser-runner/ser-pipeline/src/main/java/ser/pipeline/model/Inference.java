package ser.pipeline.model;

import com.typesafe.config.Config;
import java.util.Locale;
import ser.pipeline.UsageException;

/** {@code ser.inference}: what computes a loaded bundle's predictions (see reference.conf). */
public enum Inference {
    /** {@link JavaNetwork} on the weights the backend loaded. */
    JAVA,
    /** The backend that loaded the bundle. */
    BACKEND;

    public static final String KEY = "ser.inference";

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Inference from(Config config) {
        String value = config.getString(KEY).trim().toLowerCase(Locale.ROOT);
        for (Inference i : values()) {
            if (i.id().equals(value)) {
                return i;
            }
        }
        throw new UsageException(KEY + ": must be java or backend, got '" + value + "'");
    }
}
