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
 * CREMA-D: {@code 1001_DFA_ANG_XX.wav}: speaker 1001-1091, sentence code (three letters),
 * emotion ANG anger, DIS disgust, FEA fear, HAP happy, NEU neutral, SAD sad, intensity (LO, MD,
 * HI, XX = unspecified). Case-insensitive. A name of this shape with a speaker outside
 * 1001-1091 is excluded.
 *
 * <p>Gender comes from the corpus's own published demographics table ({@code
 * VideoDemographics.csv} of the CREMA-D repository, column {@code Sex}: 48 male, 43 female
 * actors), embedded below as one letter per actor. CREMA-D is by Cao, Cooper, Keutmann, Gur,
 * Nenkova and Verma (IEEE Trans. Affective Computing, 2014) and is distributed under the Open
 * Database License; only this per-actor sex column is reproduced.
 */
public final class CremaDCorpus implements CorpusAdapterProvider {

    static final String NAME = "crema-d";
    static final int FIRST_SPEAKER = 1001;
    static final int LAST_SPEAKER = 1091;
    private static final Pattern PATTERN = Pattern.compile("(?i)(\\d{4})_([A-Z]{3})_(ANG|DIS|FEA|HAP|NEU|SAD)_(LO|MD|HI|XX|X)");
    private static final Map<String, String> EMOTIONS = Map.of("ANG", "anger", "DIS", "disgust", "FEA", "fear", "HAP", "happy",
            "NEU", "neutral", "SAD", "sad");
    /** Sex of actors 1001..1091, in order: m or f (VideoDemographics.csv). */
    static final String SEX = "mfffmfffffmffmmmmfmffmmffmmfffmmmmmmfmmmmmfmmffmfmmfffffmfmffmfmmmmmmmmfffffmffmmfmfmmmmfmf";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "CREMA-D 1001_DFA_ANG_XX.wav (speakers 1001-1091)";
    }

    @Override
    public int priority() {
        return 20;
    }

    @Override
    public CorpusAdapter create(Config settings) {
        return CremaDCorpus::recognize;
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
        int speaker = Integer.parseInt(m.group(1));
        if (speaker < FIRST_SPEAKER || speaker > LAST_SPEAKER) {
            return Optional.of(new CorpusAdapter.Excluded(NAME, "speaker " + m.group(1) + " is outside CREMA-D's "
                    + FIRST_SPEAKER + "-" + LAST_SPEAKER));
        }
        return Optional.of(new CorpusAdapter.Labeled(NAME, m.group(1), gender(speaker),
                EMOTIONS.get(m.group(3).toUpperCase(Locale.ROOT))));
    }

    static Optional<String> gender(int speaker) {
        if (speaker < FIRST_SPEAKER || speaker > LAST_SPEAKER) {
            return Optional.empty();
        }
        return Optional.of(SEX.charAt(speaker - FIRST_SPEAKER) == 'm' ? "male" : "female");
    }
}
