package ser.pipeline.corpus;

import com.typesafe.config.Config;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ser.api.CorpusAdapter;
import ser.api.CorpusAdapterProvider;

/**
 * RAVDESS: {@code 03-01-05-01-02-01-12.wav}, seven two-digit fields: modality (01 audio-video,
 * 02 video-only, 03 audio-only), vocal channel (01 speech, 02 song), emotion (01 neutral, 02
 * calm, 03 happy, 04 sad, 05 angry, 06 fearful, 07 disgust, 08 surprised), intensity (01, 02),
 * statement (01, 02), repetition (01, 02), actor (01-24 in the corpus; odd male, even female).
 * Only audio-only files are used; songs only with {@code ser.corpora.ravdess.include-song}. A
 * name of this shape with a code outside those ranges is excluded, naming the field.
 */
public final class RavdessCorpus implements CorpusAdapterProvider {

    static final String NAME = "ravdess";
    private static final Pattern PATTERN = Pattern.compile("(\\d\\d)-(\\d\\d)-(\\d\\d)-(\\d\\d)-(\\d\\d)-(\\d\\d)-(\\d\\d)");
    private static final String[] EMOTIONS = {"neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"};

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "RAVDESS 03-01-05-01-02-01-12.wav (audio-only; songs if include-song)";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public CorpusAdapter create(Config settings) {
        boolean includeSong = settings.hasPath("include-song") && settings.getBoolean("include-song");
        return path -> recognize(path, includeSong);
    }

    static Optional<CorpusAdapter.Recognition> recognize(String relativePath, boolean includeSong) {
        String stem = Names.wavStem(relativePath);
        if (stem == null) {
            return Optional.empty();
        }
        Matcher m = PATTERN.matcher(stem);
        if (!m.matches()) {
            return Optional.empty();
        }
        int modality = Integer.parseInt(m.group(1));
        int channel = Integer.parseInt(m.group(2));
        int emotion = Integer.parseInt(m.group(3));
        int actor = Integer.parseInt(m.group(7));
        if (modality != 3) {
            return excluded(modality == 1 ? "modality 01 (audio-video), not audio-only (03)"
                    : modality == 2 ? "modality 02 (video-only), not audio-only (03)" : "unknown modality " + m.group(1));
        }
        if (channel != 1 && channel != 2) {
            return excluded("unknown vocal channel " + m.group(2) + " (01 speech, 02 song)");
        }
        if (emotion < 1 || emotion > EMOTIONS.length) {
            return excluded("unknown emotion code " + m.group(3) + " (01-08)");
        }
        for (int field = 4; field <= 6; field++) {
            int v = Integer.parseInt(m.group(field));
            if (v != 1 && v != 2) {
                String what = field == 4 ? "intensity" : field == 5 ? "statement" : "repetition";
                return excluded("unknown " + what + " " + m.group(field) + " (01 or 02)");
            }
        }
        if (actor == 0) {
            return excluded("actor 00 (actors are numbered from 01)");
        }
        if (channel == 2 && !includeSong) {
            return excluded("song (vocal channel 02); set ser.corpora.ravdess.include-song = true to use songs");
        }
        return Optional.of(new CorpusAdapter.Labeled(NAME, m.group(7), Optional.of(actor % 2 == 1 ? "male" : "female"),
                EMOTIONS[emotion - 1]));
    }

    private static Optional<CorpusAdapter.Recognition> excluded(String reason) {
        return Optional.of(new CorpusAdapter.Excluded(NAME, reason));
    }
}
