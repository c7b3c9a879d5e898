package ser.cli;

import com.typesafe.config.ConfigUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Command options that are settings, turned into {@code key=value} overrides the way
 * {@code --set} writes them (strings quoted, so a value is never read as HOCON syntax).
 */
public record OptionSettings(List<String> overrides) {

    public static final OptionSettings NONE = new OptionSettings(List.of());

    public OptionSettings {
        overrides = List.copyOf(overrides);
    }

    /** Adds {@code key = value} unless the option was not given (null). */
    public OptionSettings with(String key, Object value) {
        if (value == null) {
            return this;
        }
        List<String> all = new ArrayList<>(overrides);
        all.add(key + "=" + (value instanceof Number ? value.toString() : ConfigUtil.quoteString(value.toString().trim())));
        return new OptionSettings(all);
    }
}
