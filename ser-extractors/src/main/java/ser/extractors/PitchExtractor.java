package ser.extractors;

import ser.api.AudioClip;
import ser.api.FeatureExtractor;
import ser.api.FeatureTrack;
import ser.api.FrameGrid;
import ser.api.Percentiles;
import ser.extractors.dsp.Signals;
import ser.extractors.dsp.Yin;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pitch on the shared grid. Each frame analyses a {@link Yin#span()}-sample span (long enough for
 * two periods of {@code fmin}) centred on the grid frame centre. Near the ends of the signal the
 * span is shifted inside it (when the signal is at least one span long) instead of reading zero
 * padding: YIN's difference function over a half-empty span produces spurious troughs. Shorter
 * signals are zero padded.
 *
 * <p>Columns: {@code f0} (Hz, 0 when unvoiced), {@code voicing_prob} (the YIN periodicity
 * {@code 1 - min d'}, in [0, 1], as TarsosDSP's YIN "probability"; 0 for spans quieter than
 * {@code silence-db} dBFS RMS) and {@code voiced} (1 when {@code voicing_prob >=
 * voicing-threshold}, else 0). With {@code median-filter = k > 1}, the voiced flags are smoothed
 * by a k-frame majority vote (removing isolated flips; a silent span is never voiced) and F0 by a
 * k-frame median over the neighbours that were voiced before the vote (removing isolated octave
 * jumps). The F0 of a voiced frame is the YIN estimate
 * (first trough of {@code d'} below {@code trough-threshold}, else the global minimum, refined by
 * parabolic interpolation).
 *
 * <p>Utterance values, over voiced frames (all 0 when none is voiced): {@code voiced_fraction},
 * {@code f0_mean_hz}, {@code f0_std_hz}, {@code f0_median_hz}, {@code f0_mean_st},
 * {@code f0_std_st} (semitones re {@code semitone-reference} Hz) and {@code f0_range_st} (5th to
 * 95th percentile, semitones).
 */
public final class PitchExtractor implements FeatureExtractor {

    private static final List<String> COLUMNS = List.of("f0", "voicing_prob", "voiced");
    private static final List<String> UTTERANCE = List.of("voiced_fraction", "f0_mean_hz", "f0_std_hz",
            "f0_median_hz", "f0_mean_st", "f0_std_st", "f0_range_st");

    private final FrameGrid grid;
    private final Yin yin;
    private final double voicingThreshold;
    private final double silencePower;
    private final int median;
    private final double stRef;
    private final double[] span;
    private double[] f0 = new double[0];
    private double[] prob = new double[0];
    private boolean[] voiced = new boolean[0];
    private double[] scratch = new double[0];

    PitchExtractor(FrameGrid grid, double fmin, double fmax, double troughThreshold, double voicingThreshold,
                   double silenceDb, int median, double stRef) {
        this.grid = grid;
        this.yin = new Yin(grid.sampleRate(), fmin, fmax, troughThreshold);
        this.voicingThreshold = voicingThreshold;
        this.silencePower = Math.pow(10.0, silenceDb / 10.0); // mean square of a span at that RMS
        this.median = median;
        this.stRef = stRef;
        this.span = new double[yin.span()];
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public List<String> utteranceColumns() {
        return UTTERANCE;
    }

    /** Samples analysed per frame. */
    public int span() {
        return yin.span();
    }

    @Override
    public FeatureTrack extract(AudioClip clip) {
        return compute(clip, true);
    }

    /** The frames only: the voiced-F0 statistics (sorting for median and percentiles) are skipped. */
    @Override
    public FeatureTrack extractFrames(AudioClip clip) {
        return compute(clip, false);
    }

    private FeatureTrack compute(AudioClip clip, boolean withUtterance) {
        Checks.sameRate(PitchProvider.NAME, clip, grid);
        float[] x = Signals.finite(clip);
        int n = grid.frameCount(x.length);
        if (f0.length < n) {
            int cap = Math.max(n, f0.length * 3 / 2);
            f0 = new double[cap];
            prob = new double[cap];
            voiced = new boolean[cap];
            scratch = new double[cap];
        }
        final int spanLen = span.length;
        for (int t = 0; t < n; t++) {
            int start = grid.frameCenter(t) - spanLen / 2;
            if (x.length >= spanLen) {
                start = Math.max(0, Math.min(start, x.length - spanLen));
            }
            Signals.window(x, start, span, spanLen);
            yin.analyse(span, silencePower); // silent spans: periodicity 0, no difference function
            double p = yin.periodicity();
            prob[t] = p;
            voiced[t] = p >= voicingThreshold;
            f0[t] = yin.f0();
        }
        if (median > 1) {
            smooth(n);
        }
        float[][] frames = new float[n][3];
        int nv = 0;
        for (int t = 0; t < n; t++) {
            boolean v = voiced[t] && f0[t] > 0;
            frames[t][0] = v ? (float) f0[t] : 0f;
            frames[t][1] = (float) prob[t];
            frames[t][2] = v ? 1f : 0f;
            if (v) {
                scratch[nv++] = f0[t];
            }
        }
        return new FeatureTrack(COLUMNS, frames, withUtterance ? utterance(n, nv) : Map.of());
    }

    private void smooth(int n) {
        int h = median / 2;
        boolean[] flags = Arrays.copyOf(voiced, n);
        for (int t = 0; t < n; t++) {
            int votes = 0;
            int count = 0;
            for (int k = t - h; k <= t + h; k++) {
                if (k >= 0 && k < n) {
                    count++;
                    if (flags[k]) {
                        votes++;
                    }
                }
            }
            // majority vote, but a silent span (probability 0, no F0 estimate) is never voiced
            voiced[t] = 2 * votes > count && prob[t] > 0;
        }
        // F0: median over the neighbours that were voiced before the vote (reliable estimates)
        double[] raw = Arrays.copyOf(f0, n);
        double[] buf = new double[median];
        for (int t = 0; t < n; t++) {
            if (!voiced[t]) {
                continue;
            }
            int c = 0;
            for (int k = t - h; k <= t + h; k++) {
                if (k >= 0 && k < n && flags[k]) {
                    buf[c++] = raw[k];
                }
            }
            if (c == 0) {
                continue;
            }
            Arrays.sort(buf, 0, c);
            f0[t] = c % 2 == 1 ? buf[c / 2] : 0.5 * (buf[c / 2 - 1] + buf[c / 2]);
        }
    }

    private Map<String, Double> utterance(int n, int nv) {
        Map<String, Double> u = new LinkedHashMap<>();
        if (nv == 0) {
            for (String k : UTTERANCE) {
                u.put(k, 0.0);
            }
            return u;
        }
        double[] v = Arrays.copyOf(scratch, nv);
        double sum = 0.0;
        double sumSt = 0.0;
        double[] st = new double[nv];
        for (int i = 0; i < nv; i++) {
            sum += v[i];
            st[i] = 12.0 * Math.log(v[i] / stRef) / Math.log(2.0);
            sumSt += st[i];
        }
        double mean = sum / nv;
        double meanSt = sumSt / nv;
        double ss = 0.0;
        double ssSt = 0.0;
        for (int i = 0; i < nv; i++) {
            ss += (v[i] - mean) * (v[i] - mean);
            ssSt += (st[i] - meanSt) * (st[i] - meanSt);
        }
        Arrays.sort(v);
        Arrays.sort(st);
        u.put("voiced_fraction", nv / (double) n);
        u.put("f0_mean_hz", mean);
        u.put("f0_std_hz", Math.sqrt(ss / nv));
        u.put("f0_median_hz", Percentiles.of(v, v.length, 50));
        u.put("f0_mean_st", meanSt);
        u.put("f0_std_st", Math.sqrt(ssSt / nv));
        u.put("f0_range_st", Percentiles.of(st, st.length, 95) - Percentiles.of(st, st.length, 5));
        return u;
    }
}
