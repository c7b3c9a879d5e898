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
 * CaFE (Canadian French Emotional speech, Gournay, Lahaie and Lefebvre 2018):
 * {@code 01-C-1-1.wav}, usually in {@code <Émotion>/<Intensité>/} folders that are not read:
 * actor (01-12; odd male, even female, per the corpus's Readme), emotion letter from the French
 * word (C Colère anger, D Dégoût disgust, J Joie happiness, N Neutre neutral, P Peur fear, S
 * Surprise, T Tristesse sadness), intensity (1 low, 2 high), sentence (1-6). Case-insensitive.
 * A name of this shape with an actor outside 01-12 is excluded.
 */
public final class CafeCorpus implements CorpusAdapterProvider {

    static final String NAME = "cafe";
    private static final Pattern PATTERN = Pattern.compile("(?i)(\\d\\d)-([CDJNPST])-([12])-([1-6])");
    private static final Map<String, String> EMOTIONS = Map.of("C", "anger", "D", "disgust", "J", "happiness", "N", "neutral",
            "P", "fear", "S", "surprise", "T", "sadness");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "CaFE 01-C-1-1.wav (actors 01-12; odd male, even female)";
    }

    @Override
    public int priority() {
        return 34;
    }

    @Override
    public CorpusAdapter create(Config settings) {
        return CafeCorpus::recognize;
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
        int actor = Integer.parseInt(m.group(1));
        if (actor < 1 || actor > 12) {
            return Optional.of(new CorpusAdapter.Excluded(NAME, "actor " + m.group(1) + " is outside CaFE's 01-12"));
        }
        return Optional.of(new CorpusAdapter.Labeled(NAME, m.group(1), Optional.of(actor % 2 == 1 ? "male" : "female"),
                EMOTIONS.get(m.group(2).toUpperCase(Locale.ROOT))));
    }
}
