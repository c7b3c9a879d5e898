package ser.pipeline.corpus;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ser.api.CorpusAdapter;
import ser.api.CorpusAdapterProvider;

/**
 * ESD (Emotional Speech Dataset, Zhou et al. 2021): {@code 0011/Angry/0011_000351.wav}: a file
 * {@code <speaker>_<six-digit utterance>.wav} in an emotion folder (Angry, Happy, Neutral, Sad,
 * Surprise), optionally one level deeper in a split folder ({@code train}, {@code evaluation},
 * {@code test}) as some copies are arranged. Speakers 0001-0010 speak Mandarin, 0011-0020
 * English; a name of this shape with another speaker is excluded.
 *
 * <p>Gender is left empty: the corpus says 10 male and 10 female speakers but no per-speaker
 * table could be checked against a primary source (see CORPORA.md).
 */
public final class EsdCorpus implements CorpusAdapterProvider {

    static final String NAME = "esd";
    private static final Pattern FILE = Pattern.compile("(\\d{4})_(\\d{6})");
    private static final Set<String> EMOTIONS = Set.of("angry", "happy", "neutral", "sad", "surprise");
    private static final Set<String> SPLITS = Set.of("train", "evaluation", "test");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "ESD <speaker>/<Emotion>/0011_000351.wav (speakers 0001-0020)";
    }

    @Override
    public int priority() {
        return 24;
    }

    @Override
    public CorpusAdapter create(Config settings) {
        return EsdCorpus::recognize;
    }

    static Optional<CorpusAdapter.Recognition> recognize(String relativePath) {
        String stem = Names.wavStem(relativePath);
        if (stem == null) {
            return Optional.empty();
        }
        Matcher m = FILE.matcher(stem);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<String> parts = Names.components(relativePath);
        int folder = parts.size() - 2;
        if (folder >= 1 && SPLITS.contains(Names.lower(parts.get(folder)))) {
            folder--;
        }
        if (folder < 0 || !EMOTIONS.contains(Names.lower(parts.get(folder)))) {
            return Optional.empty();
        }
        int speaker = Integer.parseInt(m.group(1));
        if (speaker < 1 || speaker > 20) {
            return Optional.of(new CorpusAdapter.Excluded(NAME, "speaker " + m.group(1) + " is outside ESD's 0001-0020"));
        }
        return Optional.of(new CorpusAdapter.Labeled(NAME, m.group(1), Optional.empty(), Names.lower(parts.get(folder))));
    }
}
