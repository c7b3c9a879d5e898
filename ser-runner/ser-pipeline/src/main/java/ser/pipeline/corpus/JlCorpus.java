package ser.pipeline.corpus;

import com.typesafe.config.Config;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ser.api.CorpusAdapter;
import ser.api.CorpusAdapterProvider;

/**
 * JL-Corpus (New Zealand English, James, Tian and Watson 2018): {@code male1_angry_5a_1.wav}:
 * speaker ({@code male1}, {@code male2}, {@code female1}, {@code female2}; the sex is in the
 * name), emotion word, sentence id (digits and a letter), session. Five primary emotions
 * (angry, sad, neutral, happy, excited) and five secondary ones (anxious, apologetic,
 * assertive, concerned, encouraging). Case-insensitive. A name of this shape with a speaker
 * number other than 1 or 2 is excluded.
 */
public final class JlCorpus implements CorpusAdapterProvider {

    static final String NAME = "jl-corpus";
    private static final Pattern PATTERN = Pattern.compile("(?i)(male|female)(\\d{1,2})_"
            + "(angry|sad|neutral|happy|excited|anxious|apologetic|assertive|concerned|encouraging)_(\\d{1,3}[a-z]?)_(\\d{1,3})");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "JL-Corpus male1_angry_5a_1.wav (male1/2, female1/2)";
    }

    @Override
    public int priority() {
        return 36;
    }

    @Override
    public CorpusAdapter create(Config settings) {
        return JlCorpus::recognize;
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
        String sex = Names.lower(m.group(1));
        String speaker = sex + m.group(2);
        if (!m.group(2).equals("1") && !m.group(2).equals("2")) {
            return Optional.of(new CorpusAdapter.Excluded(NAME, "speaker " + speaker
                    + " is not a JL-Corpus speaker (male1, male2, female1, female2)"));
        }
        return Optional.of(new CorpusAdapter.Labeled(NAME, speaker, Optional.of(sex), Names.lower(m.group(3))));
    }
}
