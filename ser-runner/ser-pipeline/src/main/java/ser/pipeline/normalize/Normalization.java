package ser.pipeline.normalize;

import ser.api.StrictNumbers;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.Locale;
import ser.pipeline.UsageException;
import ser.pipeline.store.UtteranceInfo;

/**
 * Whose statistics standardize an utterance's features before the training scaler sees them
 * ({@code ser.train.normalization}). Acted corpora differ more between speakers (voice, recording
 * chain) than between emotions of one speaker; removing each speaker's own offset and scale is
 * what lets a model trained on some speakers recognise others.
 */
public enum Normalization {
    /** Features as extracted. */
    OFF,
    /** Each speaker (corpus/speaker) standardized with the mean and std of their own utterances. */
    SPEAKER,
    /** Each corpus standardized with the mean and std of its own utterances. */
    CORPUS;

    public static final String KEY = "ser.train.normalization";

    /** Fewest utterances of a speaker whose own statistics predict uses ({@code ser.normalize.min-utterances}). */
    public static final String MIN_UTTERANCES_KEY = "ser.normalize.min-utterances";

    /** {@value #MIN_UTTERANCES_KEY}: a positive integer. */
    public static int minUtterances(Config config) {
        int min;
        try {
            min = StrictNumbers.getInt(config, MIN_UTTERANCES_KEY);
        } catch (ConfigException e) {
            throw new UsageException(MIN_UTTERANCES_KEY + ": " + e.getMessage(), e);
        }
        if (min < 1) {
            throw new UsageException(MIN_UTTERANCES_KEY + ": must be a positive integer, got " + min);
        }
        return min;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The group whose statistics normalize {@code u}; null when OFF. */
    public String groupOf(UtteranceInfo u) {
        return switch (this) {
            case OFF -> null;
            case SPEAKER -> u.speakerKey();
            case CORPUS -> u.corpus();
        };
    }

    /** {@code off}, {@code speaker} or {@code corpus}; anything else is a usage error naming {@code key}. */
    public static Normalization parse(String value, String key) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "off", "none" -> OFF;
            case "speaker" -> SPEAKER;
            case "corpus" -> CORPUS;
            default -> throw new UsageException(key + ": must be off, speaker or corpus, got '" + value + "'");
        };
    }
}
