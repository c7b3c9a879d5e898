package ser.pipeline.store;

import ser.api.Emotion;

/**
 * Who said what, for one row of an extracted feature set (from the manifest).
 *
 * @param gender        {@code male}, {@code female} or empty when unknown
 * @param augmentedFrom the id of the original utterance this one is an augmented copy of
 *                      ({@code ser.extract.augment}); empty for an original
 */
public record UtteranceInfo(String id, String location, String corpus, String speaker, Emotion emotion, String gender,
        String augmentedFrom) {

    public UtteranceInfo {
        gender = gender == null ? "" : gender;
        augmentedFrom = augmentedFrom == null ? "" : augmentedFrom;
    }

    /** An original utterance. */
    public UtteranceInfo(String id, String location, String corpus, String speaker, Emotion emotion, String gender) {
        this(id, location, corpus, speaker, emotion, gender, "");
    }

    /** An original utterance whose speaker's gender is unknown. */
    public UtteranceInfo(String id, String location, String corpus, String speaker, Emotion emotion) {
        this(id, location, corpus, speaker, emotion, "");
    }

    /** Speakers are grouped across corpora by this key. */
    public String speakerKey() {
        return corpus + "/" + speaker;
    }

    /** Whether this is an augmented copy (used for training only), not an original recording. */
    public boolean isAugmented() {
        return !augmentedFrom.isEmpty();
    }
}
