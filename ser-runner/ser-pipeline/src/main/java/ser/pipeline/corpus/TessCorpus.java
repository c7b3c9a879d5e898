package ser.pipeline.corpus;

import com.typesafe.config.Config;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ser.api.CorpusAdapter;
import ser.api.CorpusAdapterProvider;

/**
 * TESS: {@code OAF_back_angry.wav}, {@code YAF_…}: speaker (OAF older, YAF younger actress; both
 * female), the spoken word, the emotion word (angry, disgust, fear, happy, neutral, ps =
 * pleasant surprise, sad). Speaker and emotion are read case-insensitively. A name of this
 * shape with another emotion word is excluded, naming the word.
 */
public final class TessCorpus implements CorpusAdapterProvider {

    static final String NAME = "tess";
    private static final Pattern PATTERN = Pattern.compile("(?i)(OAF|YAF)_([A-Za-z]+)_([A-Za-z]+)");
    static final Set<String> EMOTIONS = Set.of("angry", "disgust", "fear", "happy", "neutral", "ps", "sad");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "TESS OAF_back_angry.wav / YAF_... (ps = pleasant surprise)";
    }

    @Override
    public int priority() {
        return 30;
    }

    @Override
    public CorpusAdapter create(Config settings) {
        return TessCorpus::recognize;
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
        String emotion = Names.lower(m.group(3));
        if (!EMOTIONS.contains(emotion)) {
            return Optional.of(new CorpusAdapter.Excluded(NAME, "unknown TESS emotion word '" + emotion
                    + "' (angry, disgust, fear, happy, neutral, ps, sad)"));
        }
        return Optional.of(new CorpusAdapter.Labeled(NAME, m.group(1).toUpperCase(java.util.Locale.ROOT),
                Optional.of("female"), emotion));
    }
}
