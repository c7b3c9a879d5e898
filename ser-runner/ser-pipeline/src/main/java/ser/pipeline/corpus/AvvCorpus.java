package ser.pipeline.corpus;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ser.api.CorpusAdapter;
import ser.api.CorpusAdapterProvider;

/**
 * AVV: {@code <root>/<Gender>/<EMOTION>/<file>.wav}: the file's grandparent folder is the gender
 * ({@code male}, {@code female}, {@code m} or {@code f}, any case) and its parent folder the
 * emotion word (any case; {@code _} and {@code -} read as spaces, so {@code PLEASANT_SURPRISE}
 * is the source label {@code pleasant surprise}). Folders above those two are ignored.
 *
 * <p>The layout names no speaker. The speaker is the file name's prefix before its first
 * {@code _} or {@code -} when that prefix looks like a speaker code: 1-16 letters and digits, not
 * the emotion word itself and not a known emotion word (so {@code spk03_happy_1.wav} is speaker
 * {@code spk03}, {@code OAF_bite_fear.wav} would be {@code OAF}); otherwise it is
 * {@value #UNKNOWN_SPEAKER}, and a speaker-independent split then keeps all such files of the
 * corpus together. Files in an AVV tree that keep their source corpus's name (RAVDESS, CREMA-D,
 * TESS, SAVEE) are recognized by those stricter conventions first, with their real speakers.
 *
 * <p>This is the loosest convention and is asked last.
 */
public final class AvvCorpus implements CorpusAdapterProvider {

    static final String NAME = "avv";
    static final String UNKNOWN_SPEAKER = "unknown";
    private static final Pattern EMOTION_FOLDER = Pattern.compile("[A-Za-z]+(?:[ _-]+[A-Za-z]+)*");
    private static final Pattern SPEAKER_PREFIX = Pattern.compile("([A-Za-z0-9]{1,16})[_-].*");
    private static final Set<String> EMOTION_WORDS = Set.of("fear", "fearful", "happy", "happiness", "sad", "sadness", "anger",
            "angry", "disgust", "disgusted", "neutral", "surprise", "surprised", "calm", "amused", "sleepy", "ps", "others",
            "other", "pleasant", "boredom", "bored", "contempt", "excited", "frustrated");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "AVV <Gender>/<EMOTION>/<file>.wav (gender folder male/female/m/f)";
    }

    @Override
    public int priority() {
        return 90;
    }

    @Override
    public CorpusAdapter create(Config settings) {
        return AvvCorpus::recognize;
    }

    static Optional<CorpusAdapter.Recognition> recognize(String relativePath) {
        String stem = Names.wavStem(relativePath);
        List<String> parts = Names.components(relativePath);
        if (stem == null || parts.size() < 3) {
            return Optional.empty();
        }
        Optional<String> gender = gender(parts.get(parts.size() - 3));
        String emotionFolder = parts.get(parts.size() - 2);
        if (gender.isEmpty() || !EMOTION_FOLDER.matcher(emotionFolder).matches()) {
            return Optional.empty();
        }
        String label = Names.lower(emotionFolder).replaceAll("[ _-]+", " ");
        return Optional.of(new CorpusAdapter.Labeled(NAME, speaker(stem, label), gender, label));
    }

    static Optional<String> gender(String folder) {
        return switch (Names.lower(folder)) {
            case "male", "m" -> Optional.of("male");
            case "female", "f" -> Optional.of("female");
            default -> Optional.empty();
        };
    }

    /** The speaker-like prefix of the file name, or {@value #UNKNOWN_SPEAKER}. */
    static String speaker(String stem, String label) {
        Matcher m = SPEAKER_PREFIX.matcher(stem);
        if (!m.matches()) {
            return UNKNOWN_SPEAKER;
        }
        String prefix = m.group(1);
        String lower = Names.lower(prefix);
        if (lower.equals(label) || EMOTION_WORDS.contains(lower)) {
            return UNKNOWN_SPEAKER;
        }
        return prefix;
    }
}
