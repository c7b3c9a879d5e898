package ser.pipeline.config;

import com.typesafe.config.ConfigException;
import java.util.function.Supplier;
import ser.pipeline.UsageException;

/** Reading one setting: a Typesafe Config error (missing or null, wrong type) becomes a usage error naming the key. */
public final class Setting {

    private Setting() {
    }

    /** {@code getter}'s value; its {@link ConfigException} becomes a {@link UsageException} that starts with {@code key}. */
    public static <T> T read(String key, Supplier<T> getter) {
        try {
            return getter.get();
        } catch (ConfigException.Missing e) {
            throw new UsageException(key + ": missing setting", e);
        } catch (ConfigException e) {
            throw new UsageException(key + ": " + e.getMessage(), e);
        }
    }
}
