package ser.pipeline.store;

import ser.api.Emotion;

/** Who said what, for one row of an extracted feature set (from the manifest). */
public record UtteranceInfo(String id, String location, String corpus, String speaker, Emotion emotion) {

    /** Speakers are grouped across corpora by this key. */
    public String speakerKey() {
        return corpus + "/" + speaker;
    }
}
