package ser.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Integer settings read without Typesafe Config's silent truncation ({@code getInt} turns
 * {@code 2.5} into 2): a value with a fractional part is refused, naming where it was set.
 */
public final class StrictNumbers {

    private StrictNumbers() {
    }

    public static int getInt(Config config, String path) {
        requireWhole(config.getValue(path), path);
        return config.getInt(path);
    }

    public static long getLong(Config config, String path) {
        requireWhole(config.getValue(path), path);
        return config.getLong(path);
    }

    public static List<Integer> getIntList(Config config, String path) {
        List<Integer> values = new ArrayList<>();
        int i = 0;
        for (ConfigValue v : config.getList(path)) {
            requireWhole(v, path + "[" + i++ + "]");
        }
        values.addAll(config.getIntList(path));
        return values;
    }

    /** Throws a {@link ConfigException} (callers name the full key) when {@code value} is a number with a fraction. */
    static void requireWhole(ConfigValue value, String path) {
        Object raw = value.unwrapped();
        String text;
        if (value.valueType() == ConfigValueType.NUMBER) {
            text = raw.toString();
            if (raw instanceof Integer || raw instanceof Long) {
                return;
            }
        } else if (value.valueType() == ConfigValueType.STRING) {
            text = ((String) raw).trim();
        } else {
            return; // the getter reports the wrong type itself
        }
        try {
            new BigDecimal(text).toBigIntegerExact();
        } catch (NumberFormatException e) {
            return; // not a number at all: the getter says so
        } catch (ArithmeticException e) {
            String where = value.origin() == null || value.origin().description() == null ? "" : " (" + value.origin().description() + ")";
            throw new ConfigException.Generic("must be a whole number, got " + text + where);
        }
    }
}
