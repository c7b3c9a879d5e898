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
 * EMO-DB (Berlin Database of Emotional Speech): {@code 03a01Fa.wav}: speaker (two digits), text
 * code (a letter and two digits), emotion letter from the German word (W Ärger anger, L
 * Langeweile boredom, E Ekel disgust, A Angst fear, F Freude happiness, T Trauer sadness, N
 * neutral), version letter. Case-insensitive. The ten speakers and their sex are the corpus's
 * published speaker list; a name of this shape with another speaker number is excluded.
 */
public final class EmoDbCorpus implements CorpusAdapterProvider {

    static final String NAME = "emo-db";
    private static final Pattern PATTERN = Pattern.compile("(?i)(\\d\\d)([a-z]\\d\\d)([WLEAFTN])([a-z])");
    private static final Map<String, String> EMOTIONS = Map.of("W", "anger", "L", "boredom", "E", "disgust", "A", "fear",
            "F", "happiness", "T", "sadness", "N", "neutral");
    /** The EMO-DB speaker list: speaker number to sex. */
    static final Map<String, String> SPEAKERS = Map.of("03", "male", "08", "female", "09", "female", "10", "male",
            "11", "male", "12", "male", "13", "female", "14", "female", "15", "male", "16", "female");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "EMO-DB 03a01Fa.wav (speakers 03 08-16; L = boredom)";
    }

    @Override
    public int priority() {
        return 22;
    }

    @Override
    public CorpusAdapter create(Config settings) {
        return EmoDbCorpus::recognize;
    }

    static Optional<CorpusAdapter.Recognition> recognize(String relativePath) {
        String stem = Names.wavStem(relativePath);
        if (stem == null) {
            return Optional.empty();
        }
        Matcher m = PATTERN.matcher(stem);
        if (!m.matches()) {
            return Optional.empty();
        }
        String speaker = m.group(1);
        String gender = SPEAKERS.get(speaker);
        if (gender == null) {
            return Optional.of(new CorpusAdapter.Excluded(NAME, "speaker " + speaker
                    + " is not an EMO-DB speaker (03, 08, 09, 10, 11, 12, 13, 14, 15, 16)"));
        }
        return Optional.of(new CorpusAdapter.Labeled(NAME, speaker, Optional.of(gender),
                EMOTIONS.get(m.group(3).toUpperCase(Locale.ROOT))));
    }
}
