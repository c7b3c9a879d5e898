package ser.pipeline.corpus;

import com.typesafe.config.Config;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ser.api.CorpusAdapter;
import ser.api.CorpusAdapterProvider;

/**
 * URDU (Latif et al. 2018): {@code Angry/SM1_F10_A010.wav}: the folder is the emotion (Angry,
 * Happy, Neutral, Sad); the file name is {@code <speaker>_<code>_<emotion letter><number>}.
 * The speaker is the first field, {@code S} then {@code M} or {@code F} then a number; the
 * second letter is read as the speaker's sex. The corpus publishes no key to its file names;
 * this reading follows what other tools do with it and is marked uncertain in CORPORA.md. The
 * second field's meaning is unknown and it is not used. Case-insensitive.
 *
 * <p>The emotion letter of the last field (A, H, N, S) must agree with the folder; a file whose
 * letter names another emotion than its folder is excluded, naming both, rather than guessed.
 */
public final class UrduCorpus implements CorpusAdapterProvider {

    static final String NAME = "urdu";
    private static final Pattern FILE = Pattern.compile("(?i)(S([MF])\\d{1,3})_([A-Z]{1,3}\\d{1,4})_([A-Z])(\\d{1,4})");
    private static final Map<String, String> FOLDERS = Map.of("angry", "A", "happy", "H", "neutral", "N", "sad", "S");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "URDU <Emotion>/SM1_F10_A010.wav (speaker SM1/SF1: sex from M/F)";
    }

    @Override
    public int priority() {
        return 28;
    }

    @Override
    public CorpusAdapter create(Config settings) {
        return UrduCorpus::recognize;
    }

    static Optional<CorpusAdapter.Recognition> recognize(String relativePath) {
        String stem = Names.wavStem(relativePath);
        if (stem == null) {
            return Optional.empty();
        }
        Matcher m = FILE.matcher(stem);
        String folder = Names.lower(Names.parentName(relativePath));
        String letter = FOLDERS.get(folder);
        if (!m.matches() || letter == null) {
            return Optional.empty();
        }
        String named = m.group(4).toUpperCase(Locale.ROOT);
        if (!named.equals(letter)) {
            return Optional.of(new CorpusAdapter.Excluded(NAME, "folder " + Names.parentName(relativePath)
                    + " disagrees with the emotion letter " + named + " of the file name"));
        }
        String speaker = m.group(1).toUpperCase(Locale.ROOT);
        return Optional.of(new CorpusAdapter.Labeled(NAME, speaker, Optional.of(speaker.charAt(1) == 'M' ? "male" : "female"),
                folder));
    }
}
