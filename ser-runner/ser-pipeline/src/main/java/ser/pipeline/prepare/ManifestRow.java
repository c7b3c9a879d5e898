package ser.pipeline.prepare;

import java.util.Optional;
import ser.api.Emotion;

/**
 * One utterance of {@code manifest.csv}.
 *
 * @param id              unique utterance id: {@code <corpus>/<path relative to the corpus root,
 *                        without extension>}
 * @param location        file path, or {@code <archive.zip>!/<entry>} for a file inside a zip
 * @param corpus          corpus name, e.g. {@code ravdess}
 * @param speaker         speaker id within the corpus
 * @param gender          {@code male}, {@code female} or empty
 * @param sourceLabel     the corpus's own emotion word
 * @param emotion         the mapped class
 * @param durationSeconds duration of the decoded audio
 * @param sampleRate      the file's own sample rate
 */
public record ManifestRow(
        String id,
        String location,
        String corpus,
        String speaker,
        Optional<String> gender,
        String sourceLabel,
        Emotion emotion,
        double durationSeconds,
        int sampleRate) {

    /** Speakers are grouped across corpora by this key, so that ids need not be unique across corpora. */
    public String speakerKey() {
        return corpus + "/" + speaker;
    }
}
