package ser.pipeline.corpus;

import com.typesafe.config.Config;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ser.api.CorpusAdapter;
import ser.api.CorpusAdapterProvider;

/**
 * SUBESCO (SUST Bangla Emotional Speech Corpus, Sultana et al. 2021):
 * {@code F_02_MONIKA_S_1_ANGRY_1.wav}: speaker sex (F, M), speaker number, speaker name,
 * sentence ({@code S_<n>}), emotion word (ANGRY, DISGUST, FEAR, HAPPY, NEUTRAL, SAD, SURPRISE),
 * take number, per the corpus's published naming convention. The speaker is sex, number and
 * name ({@code F_02_MONIKA}). Case-insensitive.
 */
public final class SubescoCorpus implements CorpusAdapterProvider {

    static final String NAME = "subesco";
    private static final Pattern PATTERN = Pattern.compile(
            "(?i)([FM])_(\\d{1,2})_([A-Z]{1,32})_S_(\\d{1,2})_(ANGRY|DISGUST|FEAR|HAPPY|NEUTRAL|SAD|SURPRISE)_(\\d{1,2})");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "SUBESCO F_02_MONIKA_S_1_ANGRY_1.wav (sex, number, name, sentence, emotion, take)";
    }

    @Override
    public int priority() {
        return 38;
    }

    @Override
    public CorpusAdapter create(Config settings) {
        return SubescoCorpus::recognize;
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
        String speaker = sex + "_" + m.group(2) + "_" + m.group(3).toUpperCase(Locale.ROOT);
        return Optional.of(new CorpusAdapter.Labeled(NAME, speaker, Optional.of(sex.equals("F") ? "female" : "male"),
                Names.lower(m.group(5))));
    }
}
