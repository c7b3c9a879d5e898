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
 * ShEMO (Sharif Emotional Speech Database, Persian): {@code F01A01.wav}: speaker sex (F, M),
 * speaker code (two digits), emotion letter (A anger, H happiness, N neutral, S sadness, W
 * surprise, F fear), utterance number. The speaker is sex and code ({@code F01}): the corpus
 * numbers its female and male speakers separately. Case-insensitive.
 */
public final class ShemoCorpus implements CorpusAdapterProvider {

    static final String NAME = "shemo";
    private static final Pattern PATTERN = Pattern.compile("(?i)([FM])(\\d\\d)([AHNSWF])(\\d{2,3})");
    private static final Map<String, String> EMOTIONS = Map.of("A", "anger", "H", "happiness", "N", "neutral", "S", "sadness",
            "W", "surprise", "F", "fear");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "ShEMO F01A01.wav (sex, speaker, emotion letter, utterance)";
    }

    @Override
    public int priority() {
        return 32;
    }

    @Override
    public CorpusAdapter create(Config settings) {
        return ShemoCorpus::recognize;
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
        String sex = m.group(1).toUpperCase(Locale.ROOT);
        return Optional.of(new CorpusAdapter.Labeled(NAME, sex + m.group(2), Optional.of(sex.equals("F") ? "female" : "male"),
                EMOTIONS.get(m.group(3).toUpperCase(Locale.ROOT))));
    }
}
