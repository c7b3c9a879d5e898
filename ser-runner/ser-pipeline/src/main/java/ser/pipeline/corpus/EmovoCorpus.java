package ser.pipeline.corpus;

import com.typesafe.config.Config;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ser.api.CorpusAdapter;
import ser.api.CorpusAdapterProvider;

/**
 * EMOVO (Italian, Costantini et al. 2014): {@code dis-f1-b1.wav}: emotion code from the Italian
 * word (dis disgusto disgust, gio gioia joy, neu neutral, pau paura fear, rab rabbia anger, sor
 * sorpresa surprise, tri tristezza sadness), speaker ({@code f1}-{@code f3} female,
 * {@code m1}-{@code m3} male), sentence code (letters and digits, e.g. {@code b1}, {@code n5}).
 * Case-insensitive. A name of this shape with a speaker number other than 1-3 is excluded.
 */
public final class EmovoCorpus implements CorpusAdapterProvider {

    static final String NAME = "emovo";
    private static final Pattern PATTERN = Pattern.compile("(?i)(dis|gio|neu|pau|rab|sor|tri)-([fm])(\\d)-([a-z]{1,3}\\d{0,2})");
    private static final Map<String, String> EMOTIONS = Map.of("dis", "disgust", "gio", "joy", "neu", "neutral", "pau", "fear",
            "rab", "anger", "sor", "surprise", "tri", "sadness");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "EMOVO dis-f1-b1.wav (speakers f1-f3, m1-m3; gio = joy)";
    }

    @Override
    public int priority() {
        return 26;
    }

    @Override
    public CorpusAdapter create(Config settings) {
        return EmovoCorpus::recognize;
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
        String sex = Names.lower(m.group(2));
        int number = m.group(3).charAt(0) - '0';
        if (number < 1 || number > 3) {
            return Optional.of(new CorpusAdapter.Excluded(NAME, "speaker " + sex + number + " is not an EMOVO speaker (f1-f3, m1-m3)"));
        }
        return Optional.of(new CorpusAdapter.Labeled(NAME, sex + number, Optional.of(sex.equals("f") ? "female" : "male"),
                EMOTIONS.get(Names.lower(m.group(1)))));
    }
}
