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
 * SAVEE: {@code DC_a01.wav}, or {@code a01.wav} in a speaker folder {@code DC}; speakers DC, JE,
 * JK, KL (all male); emotion codes a anger, d disgust, f fear, h happiness, n neutral, sa
 * sadness, su surprise, then a two-digit sentence number. Case-insensitive.
 */
public final class SaveeCorpus implements CorpusAdapterProvider {

    static final String NAME = "savee";
    private static final Pattern WITH_SPEAKER = Pattern.compile("(?i)(DC|JE|JK|KL)_(sa|su|a|d|f|h|n)(\\d\\d)");
    private static final Pattern BARE = Pattern.compile("(?i)(sa|su|a|d|f|h|n)(\\d\\d)");
    private static final Pattern SPEAKER = Pattern.compile("(?i)DC|JE|JK|KL");
    private static final Map<String, String> EMOTIONS = Map.of("a", "anger", "d", "disgust", "f", "fear", "h", "happiness",
            "n", "neutral", "sa", "sadness", "su", "surprise");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "SAVEE DC_a01.wav or DC/a01.wav (speakers DC JE JK KL)";
    }

    @Override
    public int priority() {
        return 40;
    }

    @Override
    public CorpusAdapter create(Config settings) {
        return SaveeCorpus::recognize;
    }

    static Optional<CorpusAdapter.Recognition> recognize(String relativePath) {
        String stem = Names.wavStem(relativePath);
        if (stem == null) {
            return Optional.empty();
        }
        String speaker;
        String code;
        Matcher m = WITH_SPEAKER.matcher(stem);
        if (m.matches()) {
            speaker = m.group(1);
            code = m.group(2);
        } else {
            Matcher bare = BARE.matcher(stem);
            String parent = Names.parentName(relativePath);
            if (!bare.matches() || !SPEAKER.matcher(parent).matches()) {
                return Optional.empty();
            }
            speaker = parent;
            code = bare.group(1);
        }
        return Optional.of(new CorpusAdapter.Labeled(NAME, speaker.toUpperCase(Locale.ROOT), Optional.of("male"),
                EMOTIONS.get(Names.lower(code))));
    }
}
