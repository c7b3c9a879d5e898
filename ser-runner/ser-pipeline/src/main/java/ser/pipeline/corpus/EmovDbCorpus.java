package ser.pipeline.corpus;

import com.typesafe.config.Config;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ser.api.CorpusAdapter;
import ser.api.CorpusAdapterProvider;

/**
 * EmoV-DB: any {@code .wav} in a folder {@code <speaker>_<Emotion>} such as {@code bea_Amused},
 * {@code jenie_Angry}, {@code sam_Disgusted}, {@code josh_Sleepy}, {@code bea_Neutral}. Speakers
 * bea and jenie are female, sam and josh male; emotions amused, angry, disgusted, sleepy,
 * neutral. Case-insensitive. Only the folder holding the file is read.
 */
public final class EmovDbCorpus implements CorpusAdapterProvider {

    static final String NAME = "emov-db";
    private static final Pattern FOLDER = Pattern.compile("(?i)(bea|jenie|sam|josh)_(amused|angry|disgusted|sleepy|neutral)");
    private static final Map<String, String> GENDER = Map.of("bea", "female", "jenie", "female", "sam", "male", "josh", "male");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "EmoV-DB <speaker>_<Emotion>/*.wav (bea jenie sam josh)";
    }

    @Override
    public int priority() {
        return 60;
    }

    @Override
    public CorpusAdapter create(Config settings) {
        return EmovDbCorpus::recognize;
    }

    static Optional<CorpusAdapter.Recognition> recognize(String relativePath) {
        if (Names.wavStem(relativePath) == null) {
            return Optional.empty();
        }
        Matcher m = FOLDER.matcher(Names.parentName(relativePath));
        if (!m.matches()) {
            return Optional.empty();
        }
        String speaker = Names.lower(m.group(1));
        return Optional.of(new CorpusAdapter.Labeled(NAME, speaker, Optional.of(GENDER.get(speaker)), Names.lower(m.group(2))));
    }
}
