package ser.extractors;

import ser.api.AudioClip;
import ser.api.FeatureExtractor;
import ser.api.FeatureTrack;
import ser.api.FrameGrid;
import ser.extractors.dsp.ApproximateEntropy;
import ser.extractors.dsp.HilbertEnvelope;
import ser.extractors.dsp.Signals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HT-ApEn. The envelope {@code |x + jH{x}|} is computed once per utterance, by FFT over the whole
 * signal (see {@link HilbertEnvelope}), so frame windows see the true envelope rather than one
 * distorted by a per-window circular transform. Frame {@code t}: ApEn({@code m}, {@code r =
 * r-factor x population std of the window}) of the {@code window-length} envelope samples centred
 * on the grid frame (zeros outside the signal, like the grid's own padding). Utterance value
 * {@code apen}: the envelope is decimated by block means of {@code D = round(sr /
 * utterance-rate)} samples (a boxcar anti-alias filter; D = 1 when the rate is 0), D being raised
 * further if needed so that at most {@code utterance-max-length} values remain, then ApEn over
 * all of them. Zero variance (silence) gives 0, see {@link ApproximateEntropy}.
 */
public final class HtApenExtractor implements FeatureExtractor {

    private static final List<String> COLUMNS = List.of("apen");
    private static final List<String> UTTERANCE = List.of("apen");

    private final FrameGrid grid;
    private final int m;
    private final double rFactor;
    private final int window;
    private final boolean utterance;
    private final double utteranceRate;
    private final int maxLength;
    private final HilbertEnvelope hilbert = new HilbertEnvelope();
    private final ApproximateEntropy apen = new ApproximateEntropy();
    private final double[] win;
    private double[] env = new double[0];
    private double[] dec = new double[0];

    HtApenExtractor(FrameGrid grid, int m, double rFactor, int window, boolean utterance, double utteranceRate,
                    int maxLength) {
        this.grid = grid;
        this.m = m;
        this.rFactor = rFactor;
        this.window = window;
        this.utterance = utterance;
        this.utteranceRate = utteranceRate;
        this.maxLength = maxLength;
        this.win = new double[window];
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public List<String> utteranceColumns() {
        return utterance ? UTTERANCE : List.of();
    }

    @Override
    public FeatureTrack extract(AudioClip clip) {
        Checks.sameRate(HtApenProvider.NAME, clip, grid);
        float[] x = Signals.finite(clip.samples());
        int len = x.length;
        if (env.length < len) {
            env = new double[Math.max(len, env.length * 3 / 2)];
        }
        hilbert.envelope(x, len, env);
        int n = grid.frameCount(len);
        float[][] frames = new float[n][1];
        int half = window / 2;
        for (int t = 0; t < n; t++) {
            int start = grid.frameCenter(t) - half;
            double v;
            if (start >= 0 && start + window <= len) {
                v = apen.compute(env, start, window, m, rFactor);
            } else {
                Signals.window(env, len, start, win, window);
                v = apen.compute(win, 0, window, m, rFactor);
            }
            frames[t][0] = (float) v;
        }
        Map<String, Double> utt = new LinkedHashMap<>();
        if (utterance) {
            utt.put("apen", utteranceApen(len));
        }
        return new FeatureTrack(COLUMNS, frames, utt);
    }

    /** Decimation factor used for an utterance of {@code len} samples. */
    int decimation(int len) {
        int d = utteranceRate > 0 ? Math.max(1, (int) Math.round(grid.sampleRate() / utteranceRate)) : 1;
        if ((len + d - 1) / d > maxLength) {
            d = (len + maxLength - 1) / maxLength;
        }
        return d;
    }

    private double utteranceApen(int len) {
        if (len <= m) {
            return 0.0;
        }
        int d = decimation(len);
        int out = (len + d - 1) / d;
        if (dec.length < out) {
            dec = new double[out];
        }
        for (int j = 0; j < out; j++) {
            int from = j * d;
            int to = Math.min(len, from + d);
            double s = 0.0;
            for (int i = from; i < to; i++) {
                s += env[i];
            }
            dec[j] = s / (to - from);
        }
        return apen.compute(dec, 0, out, m, rFactor);
    }
}
