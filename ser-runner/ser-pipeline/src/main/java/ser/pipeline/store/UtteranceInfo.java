package ser.pipeline.store;

import ser.api.Emotion;

/**
 * Who said what, for one row of an extracted feature set (from the manifest).
 *
 * @param gender {@code male}, {@code female} or empty when unknown
 */
public record UtteranceInfo(String id, String location, String corpus, String speaker, Emotion emotion, String gender) {

    public UtteranceInfo {
        gender = gender == null ? "" : gender;
    }

    /** An utterance whose speaker's gender is unknown. */
    public UtteranceInfo(String id, String location, String corpus, String speaker, Emotion emotion) {
        this(id, location, corpus, speaker, emotion, "");
    }

    /** Speakers are grouped across corpora by this key. */
    public String speakerKey() {
        return corpus + "/" + speaker;
    }
}
