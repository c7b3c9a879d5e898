package ser.api;

import java.util.Locale;

/**
 * The eight target classes. The numeric labels are the ones the original pipeline wrote into
 * {@code nppdp.csv}'s {@code emotion_label} column, so they are part of the file format.
 */
public enum Emotion {
    FEAR(1),
    HAPPY(2),
    SAD(3),
    ANGER(4),
    DISGUST(5),
    NEUTRAL(6),
    SURPRISE(7),
    OTHERS(8);

    public static final int COUNT = 8;

    private final int label;

    Emotion(int label) {
        this.label = label;
    }

    /** The 1-based label written to CSV files. */
    public int label() {
        return label;
    }

    /** The 0-based class index a model uses. */
    public int index() {
        return label - 1;
    }

    /** Lower-case name, as used in configs, reports and JSON. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Emotion ofLabel(int label) {
        if (label < 1 || label > COUNT) {
            throw new IllegalArgumentException("emotion label must be 1.." + COUNT + ", got " + label);
        }
        return values()[label - 1];
    }

    public static Emotion ofIndex(int index) {
        return ofLabel(index + 1);
    }

    /** Parses an emotion id such as {@code "anger"} (case-insensitive). */
    public static Emotion ofId(String id) {
        for (Emotion e : values()) {
            if (e.id().equalsIgnoreCase(id.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown emotion '" + id + "' (known: fear, happy, sad, anger, disgust, neutral, surprise, others)");
    }
}
