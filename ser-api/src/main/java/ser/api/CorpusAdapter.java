package ser.api;

import java.util.Optional;

/**
 * Recognizes one corpus's naming convention. Given a file's path relative to the corpus root
 * (forward slashes, folders included, e.g. {@code Actor_12/03-01-05-01-02-01-12.wav}), it says
 * whether the name follows the convention and, if so, what the name tells.
 */
public interface CorpusAdapter {

    /**
     * {@link Optional#empty()} when the name does not follow this corpus's convention; otherwise
     * the labelled utterance, or an exclusion with its reason (for example a RAVDESS song file
     * when songs are excluded by config).
     */
    Optional<Recognition> recognize(String relativePath);

    /** The outcome for a name that follows the convention. */
    sealed interface Recognition permits Labeled, Excluded {
    }

    /**
     * @param corpus      corpus name, e.g. {@code ravdess}
     * @param speaker     speaker id within the corpus, e.g. {@code 12}
     * @param gender      {@code male}, {@code female}, or empty when the name does not tell
     * @param sourceLabel the corpus's emotion word, lower case, e.g. {@code calm} or {@code ps};
     *                    the configured label map turns it into an {@link Emotion}
     */
    record Labeled(String corpus, String speaker, Optional<String> gender, String sourceLabel) implements Recognition {
    }

    /** A name that follows the convention but is left out, with the reason. */
    record Excluded(String corpus, String reason) implements Recognition {
    }
}
