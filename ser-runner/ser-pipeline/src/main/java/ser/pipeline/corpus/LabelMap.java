package ser.pipeline.corpus;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import ser.api.Emotion;
import ser.pipeline.UsageException;

/**
 * The configured mapping from a corpus's own emotion word to the eight classes:
 * {@code ser.labels.map} (source label, lower case, to an emotion id) and
 * {@code ser.labels.unmapped} (the class of any other label, or {@code skip}).
 */
public final class LabelMap {

    public static final String MAP = "ser.labels.map";
    public static final String UNMAPPED = "ser.labels.unmapped";
    public static final String SKIP = "skip";

    private final Map<String, Emotion> map;
    /** Null means skip. */
    private final Emotion unmapped;

    public LabelMap(Map<String, Emotion> map, Optional<Emotion> unmapped) {
        Map<String, Emotion> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(normalize(k), v));
        this.map = Collections.unmodifiableMap(copy);
        this.unmapped = unmapped.orElse(null);
    }

    /** Reads {@value #MAP} and {@value #UNMAPPED}; a value that is no emotion id is a usage error naming the key. */
    public static LabelMap fromConfig(Config config) {
        Map<String, Emotion> map = new LinkedHashMap<>();
        if (config.hasPath(MAP)) {
            for (Map.Entry<String, ConfigValue> e : config.getObject(MAP).entrySet()) {
                ConfigValue value = e.getValue();
                String key = MAP + ".\"" + e.getKey() + "\"";
                if (value.valueType() != ConfigValueType.STRING) {
                    throw new UsageException(key + ": expected an emotion id (fear, happy, sad, anger, disgust, neutral, "
                            + "surprise, others), got " + value.valueType().name().toLowerCase(Locale.ROOT));
                }
                map.put(e.getKey(), emotion(key, (String) value.unwrapped()));
            }
        }
        String unmapped = config.hasPath(UNMAPPED) ? config.getString(UNMAPPED) : Emotion.OTHERS.id();
        Optional<Emotion> fallback = unmapped.trim().equalsIgnoreCase(SKIP) ? Optional.empty()
                : Optional.of(emotion(UNMAPPED, unmapped));
        return new LabelMap(map, fallback);
    }

    private static Emotion emotion(String key, String id) {
        try {
            return Emotion.ofId(id);
        } catch (IllegalArgumentException e) {
            throw new UsageException(key + ": " + e.getMessage() + (key.equals(UNMAPPED) ? " or skip" : ""));
        }
    }

    /** The class of a source label; empty when it is unmapped and unmapped labels are skipped. */
    public Optional<Emotion> map(String sourceLabel) {
        Emotion e = map.get(normalize(sourceLabel));
        return Optional.ofNullable(e != null ? e : unmapped);
    }

    /** Whether the label is named in the map (rather than falling to {@value #UNMAPPED}). */
    public boolean names(String sourceLabel) {
        return map.containsKey(normalize(sourceLabel));
    }

    private static String normalize(String label) {
        return label.trim().toLowerCase(Locale.ROOT);
    }
}
