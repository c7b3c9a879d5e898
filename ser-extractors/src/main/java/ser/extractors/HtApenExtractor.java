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
 * HT-ApEn: Approximate Entropy of the Hilbert envelope.
 *
 * <p>The envelope {@code |x + jH{x}|} is computed once per utterance, by FFT over the whole signal
 * (see {@link HilbertEnvelope}), so frame windows see the true envelope rather than one distorted
 * by a per-window circular transform.
 *
 * <p>Frames: the envelope is coarse-grained by non-overlapping block means of
 * {@code D = round(sr / envelope-rate)} samples (the coarse-graining of multiscale entropy, Costa
 * et al. 2002; D = 1 when the rate is 0), then frame {@code t} takes the {@code window-length / D}
 * coarse values whose blocks start at or after {@code frameCenter(t) - window-length / 2} (the
 * nearest block boundary at or below it), zeros outside the signal like the grid's own padding,
 * and reports ApEn({@code m}, {@code r = r-factor x population std of those values}). The window
 * therefore spans {@code window-length} samples of audio (the grid frame by default) whatever D is.
 *
 * <p>Utterance value {@code apen}: the envelope coarse-grained by block means of
 * {@code round(sr / utterance-rate)} samples, more if needed so that at most
 * {@code utterance-max-length} values remain, then ApEn over all of them.
 *
 * <p>Zero variance (silence, DC) gives 0, see {@link ApproximateEntropy}.
 */
public final class HtApenExtractor implements FeatureExtractor {

    private static final List<String> COLUMNS = List.of("apen");
    private static final List<String> UTTERANCE = List.of("apen");

    private final FrameGrid grid;
    private final int m;
    private final double rFactor;
    private final int window;
    private final int block;
    private final int coarseWindow;
    private final boolean utterance;
    private final double utteranceRate;
    private final int maxLength;
    private final HilbertEnvelope hilbert = new HilbertEnvelope();
    private final ApproximateEntropy apen = new ApproximateEntropy();
    private final double[] win;
    private double[] env = new double[0];
    private double[] coarse = new double[0];
    private double[] dec = new double[0];

    HtApenExtractor(FrameGrid grid, int m, double rFactor, int window, int block, boolean utterance,
                    double utteranceRate, int maxLength) {
        this.grid = grid;
        this.m = m;
        this.rFactor = rFactor;
        this.window = window;
        this.block = block;
        this.coarseWindow = window / block;
        this.utterance = utterance;
        this.utteranceRate = utteranceRate;
        this.maxLength = maxLength;
        this.win = new double[coarseWindow];
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public List<String> utteranceColumns() {
        return utterance ? UTTERANCE : List.of();
    }

    /** Samples per coarse-graining block of the frame ApEn. */
    int block() {
        return block;
    }

    @Override
    public FeatureTrack extract(AudioClip clip) {
        return compute(clip, utterance);
    }

    /** The frames only: the utterance ApEn (a pass over the whole envelope) is skipped. */
    @Override
    public FeatureTrack extractFrames(AudioClip clip) {
        return compute(clip, false);
    }

    private FeatureTrack compute(AudioClip clip, boolean withUtterance) {
        Checks.sameRate(HtApenProvider.NAME, clip, grid);
        float[] x = Signals.finite(clip);
        int len = x.length;
        double[] env = scratch(this.env, len);
        if (len <= HilbertEnvelope.RETAIN_MAX) {
            this.env = env; // keep scratch for ordinary utterance lengths only
        }
        hilbert.envelope(x, len, env);
        // coarse-grained envelope (block means; the last block may be shorter)
        final int d = block;
        final int clen = (len + d - 1) / d;
        double[] c;
        if (d == 1) {
            c = env;
        } else {
            c = scratch(this.coarse, clen);
            if (clen <= HilbertEnvelope.RETAIN_MAX) {
                this.coarse = c;
            }
            blockMeans(env, len, d, c);
        }
        int n = grid.frameCount(len);
        float[][] frames = new float[n][1];
        final int cw = coarseWindow;
        final int half = window / 2;
        for (int t = 0; t < n; t++) {
            int start = Math.floorDiv(grid.frameCenter(t) - half, d);
            double v;
            if (start >= 0 && start + cw <= clen) {
                v = apen.compute(c, start, cw, m, rFactor);
            } else {
                Signals.window(c, clen, start, win, cw);
                v = apen.compute(win, 0, cw, m, rFactor);
            }
            frames[t][0] = (float) v;
        }
        Map<String, Double> utt = new LinkedHashMap<>();
        if (withUtterance) {
            utt.put("apen", utteranceApen(env, len));
        }
        return new FeatureTrack(COLUMNS, frames, utt);
    }

    private static double[] scratch(double[] current, int len) {
        if (current.length >= len) {
            return current;
        }
        return new double[len > HilbertEnvelope.RETAIN_MAX ? len : Math.max(len, current.length * 3 / 2)];
    }

    /** {@code out[j]} = mean of {@code x[j d .. min(len, (j + 1) d))}. */
    static void blockMeans(double[] x, int len, int d, double[] out) {
        int blocks = (len + d - 1) / d;
        for (int j = 0; j < blocks; j++) {
            int from = j * d;
            int to = Math.min(len, from + d);
            double s = 0.0;
            for (int i = from; i < to; i++) {
                s += x[i];
            }
            out[j] = s / (to - from);
        }
    }

    /** Coarse-graining block used for the utterance value of {@code len} samples. */
    int decimation(int len) {
        int d = utteranceRate > 0 ? Math.max(1, (int) Math.round(grid.sampleRate() / utteranceRate)) : 1;
        if ((len + d - 1) / d > maxLength) {
            d = (len + maxLength - 1) / maxLength;
        }
        return d;
    }

    private double utteranceApen(double[] env, int len) {
        if (len <= m) {
            return 0.0;
        }
        int d = decimation(len);
        int out = (len + d - 1) / d;
        if (dec.length < out) {
            dec = new double[out];
        }
        blockMeans(env, len, d, dec);
        return apen.compute(dec, 0, out, m, rFactor);
    }
}
