package ser.pipeline.extract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import ser.pipeline.UsageException;
import ser.pipeline.store.VoicedSetting;

/**
 * eGeMAPS-style voiced-only functionals: the configured functionals of some frame columns over
 * only the frames the voicing column marks as voiced (value above {@value #VOICED_ABOVE}), plus
 * the fraction of voiced frames. Over all frames, the silent and unvoiced frames (where a pitch
 * tracker reports f0 = 0 and HNR/jitter/shimmer mean nothing) dominate a pitch column's
 * statistics; over the voiced frames they describe the voice itself.
 *
 * <p>Utterance columns, appended after the extractors' ones: {@code voiced_<column>_<functional>}
 * for each of {@link VoicedSetting#columns()}, then {@code voiced_<column>_st_<functional>} for
 * each of {@link VoicedSetting#semitones()} (the value in semitones re {@value #SEMITONE_REFERENCE_HZ}
 * Hz, {@code 12 log2(max(f, 0.001) / 27.5)}), then {@code voiced_fraction}. The voiced values are
 * taken in frame order and compacted, so {@code slope} is per voiced frame. Fewer than two voiced
 * frames give zeros (the fraction is still written).
 */
final class VoicedFunctionals {

    static final double VOICED_ABOVE = 0.5;
    static final double SEMITONE_REFERENCE_HZ = 27.5;
    /** Floor of a frequency before its logarithm (Hz): an unvoiced f0 of 0 stays finite. */
    static final double FLOOR_HZ = 1e-3;
    static final String PREFIX = "voiced_";
    static final String FRACTION = PREFIX + "fraction";

    private final Functionals functionals;
    private final int voicing;
    /** Frame-column index of each summarized column, plain ones first, then the semitone ones. */
    private final int[] sources;
    private final boolean[] semitone;
    private final List<String> names;

    private VoicedFunctionals(Functionals functionals, int voicing, int[] sources, boolean[] semitone, List<String> names) {
        this.functionals = functionals;
        this.voicing = voicing;
        this.sources = sources;
        this.semitone = semitone;
        this.names = List.copyOf(names);
    }

    /**
     * Resolves {@code setting} against the frame columns the extractors produce.
     *
     * @throws UsageException naming the {@code ser.extract.voiced} key of a column that no
     *                        configured extractor produces, or that is listed twice
     */
    static VoicedFunctionals of(VoicedSetting setting, List<String> frameColumns, Functionals functionals) {
        int voicing = index(setting.voicingColumn(), frameColumns, ExtractSettings.VOICED_VOICING_COLUMN);
        int n = setting.columns().size() + setting.semitones().size();
        int[] sources = new int[n];
        boolean[] semitone = new boolean[n];
        List<String> names = new ArrayList<>();
        int k = 0;
        for (boolean st : new boolean[] {false, true}) {
            String key = st ? ExtractSettings.VOICED_SEMITONES : ExtractSettings.VOICED_COLUMNS;
            Set<String> seen = new HashSet<>();
            for (String column : st ? setting.semitones() : setting.columns()) {
                if (!seen.add(column)) {
                    throw new UsageException(key + ": '" + column + "' is listed twice");
                }
                sources[k] = index(column, frameColumns, key);
                semitone[k] = st;
                for (String f : functionals.names()) {
                    names.add(PREFIX + column + (st ? "_st_" : "_") + f);
                }
                k++;
            }
        }
        names.add(FRACTION);
        return new VoicedFunctionals(functionals, voicing, sources, semitone, names);
    }

    private static int index(String column, List<String> frameColumns, String key) {
        int i = frameColumns.indexOf(column);
        if (i < 0) {
            throw new UsageException(key + ": '" + column + "' is not a frame column of ser.extract.extractors (they give: "
                    + String.join(", ", frameColumns) + ")");
        }
        return i;
    }

    /** The utterance columns this adds, in order. */
    List<String> columnNames() {
        return names;
    }

    /**
     * Writes {@link #columnNames()}'s values for {@code frames} into {@code out} from {@code offset}.
     *
     * @param scratch at least {@code frames.length} long; overwritten
     */
    void compute(float[][] frames, double[] scratch, float[] out, int offset) {
        int nf = functionals.size();
        int voiced = 0;
        for (float[] frame : frames) {
            if (frame[voicing] > VOICED_ABOVE) {
                voiced++;
            }
        }
        int u = offset;
        for (int s = 0; s < sources.length; s++) {
            if (voiced < 2) {
                Arrays.fill(out, u, u + nf, 0f);
            } else {
                int n = 0;
                for (float[] frame : frames) {
                    if (frame[voicing] > VOICED_ABOVE) {
                        double v = frame[sources[s]];
                        scratch[n++] = semitone[s] ? semitones(v) : v;
                    }
                }
                functionals.compute(scratch, n, out, u);
            }
            u += nf;
        }
        out[u] = frames.length == 0 ? 0f : (float) ((double) voiced / frames.length);
    }

    static double semitones(double hz) {
        return 12 * Math.log(Math.max(hz, FLOOR_HZ) / SEMITONE_REFERENCE_HZ) / Math.log(2);
    }
}
