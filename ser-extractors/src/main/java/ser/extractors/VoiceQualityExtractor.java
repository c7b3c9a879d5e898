package ser.extractors;

import ser.api.AudioClip;
import ser.api.FeatureExtractor;
import ser.api.FeatureTrack;
import ser.api.FrameGrid;
import ser.extractors.dsp.RealFft;
import ser.extractors.dsp.Signals;

import java.util.List;

/**
 * Voice quality on the shared grid, from a window of {@code window-length} samples centred on
 * each grid frame (zero padded outside the signal):
 * <ul>
 *   <li>{@code hnr}: harmonics-to-noise ratio in dB, {@code 10 log10(r / (1 - r))}, {@code r} the
 *       highest normalised autocorrelation at lags {@code 1/fmax .. 1/fmin} of the mean-removed,
 *       Hann-windowed span divided by the window's own autocorrelation (Boersma 1993); {@code r}
 *       is clipped to {@code [0.01, 0.9999]}, so HNR lies in about {@code [-20, 40]} dB, and a
 *       silent span gives the bottom value;</li>
 *   <li>{@code jitter}: mean absolute difference of consecutive pitch periods over their mean
 *       (local jitter, a ratio), and</li>
 *   <li>{@code shimmer}: mean absolute dB ratio of consecutive period peak amplitudes (local
 *       shimmer, dB); both from peak picking: the largest sample (of the stronger polarity) in
 *       the first period, then the largest in {@code [0.8, 1.2]} periods after each peak, with
 *       the autocorrelation lag as the period; 0 for an unvoiced span or fewer than 3 peaks.</li>
 * </ul>
 * A span is voiced when {@code r >= voicing-threshold}, its mean square exceeds
 * {@code silence-power}, and the best lag is not at either end of the lag range.
 */
public final class VoiceQualityExtractor implements FeatureExtractor {

    private static final List<String> COLUMNS = List.of("hnr", "jitter", "shimmer");
    private static final double R_MIN = 0.01;
    private static final double R_MAX = 0.9999;

    private final FrameGrid grid;
    private final int span;
    private final int minLag;
    private final int maxLag;
    private final double voicingThreshold;
    private final double silencePower;
    private final double[] hann;
    private final double[] windowAutocorrelation;
    private final RealFft fft;

    VoiceQualityExtractor(FrameGrid grid, int span, double fmin, double fmax, double voicingThreshold,
                          double silencePower) {
        this.grid = grid;
        this.span = span;
        this.minLag = (int) Math.floor(grid.sampleRate() / fmax);
        this.maxLag = (int) Math.ceil(grid.sampleRate() / fmin);
        this.voicingThreshold = voicingThreshold;
        this.silencePower = silencePower;
        int n = 2;
        while (n < span + maxLag + 1) {
            n *= 2;
        }
        this.fft = new RealFft(n);
        this.hann = new double[span];
        for (int i = 0; i < span; i++) {
            // no zero end points: every sample of the span counts
            hann[i] = 0.5 - 0.5 * Math.cos(2.0 * Math.PI * (i + 0.5) / span);
        }
        this.windowAutocorrelation = autocorrelation(hann.clone(), new double[n], new double[fft.bins()],
                new double[fft.bins()]);
    }

    /** Autocorrelation of {@code x} (length span) by FFT, lags {@code 0..maxLag}, divided by lag 0. */
    private double[] autocorrelation(double[] x, double[] buf, double[] re, double[] im) {
        java.util.Arrays.fill(buf, 0.0);
        System.arraycopy(x, 0, buf, 0, x.length);
        fft.forward(buf, re, im);
        for (int k = 0; k < re.length; k++) {
            re[k] = re[k] * re[k] + im[k] * im[k];
            im[k] = 0.0;
        }
        fft.inverse(re, im, buf);
        double[] r = new double[maxLag + 1];
        double r0 = buf[0];
        for (int l = 0; l <= maxLag; l++) {
            r[l] = r0 > 0 ? buf[l] / r0 : 0.0;
        }
        return r;
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public FeatureTrack extract(AudioClip clip) {
        Checks.sameRate(VoiceQualityProvider.NAME, clip, grid);
        float[] x = Signals.finite(clip);
        int n = grid.frameCount(x.length);
        double[] raw = new double[span];
        double[] w = new double[span];
        double[] buf = new double[fft.size()];
        double[] re = new double[fft.bins()];
        double[] im = new double[fft.bins()];
        float[][] out = new float[n][3];
        double silentHnr = hnrOf(R_MIN);
        for (int t = 0; t < n; t++) {
            Signals.window(x, grid.frameCenter(t) - span / 2, raw, span);
            double mean = 0.0;
            double power = 0.0;
            for (double v : raw) {
                mean += v;
                power += v * v;
            }
            mean /= span;
            power /= span;
            if (power <= silencePower) {
                out[t][0] = (float) silentHnr;
                continue;
            }
            for (int i = 0; i < span; i++) {
                w[i] = (raw[i] - mean) * hann[i];
            }
            double[] r = autocorrelation(w, buf, re, im);
            int best = minLag;
            double rmax = Double.NEGATIVE_INFINITY;
            for (int l = minLag; l <= maxLag; l++) {
                double v = r[l] / windowAutocorrelation[l];
                if (v > rmax) {
                    rmax = v;
                    best = l;
                }
            }
            out[t][0] = (float) hnrOf(Math.min(R_MAX, Math.max(R_MIN, rmax)));
            boolean voiced = rmax >= voicingThreshold && best > minLag && best < maxLag;
            if (voiced) {
                perturbation(raw, best, out[t]);
            }
        }
        return new FeatureTrack(COLUMNS, out);
    }

    private static double hnrOf(double r) {
        return 10.0 * Math.log10(r / (1.0 - r));
    }

    /** Local jitter and shimmer of the periods found by peak picking at period {@code t0}. */
    private void perturbation(double[] s, int t0, float[] row) {
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (double v : s) {
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        double sign = max >= -min ? 1.0 : -1.0;
        int[] peaks = new int[span / Math.max(1, (int) (0.8 * t0)) + 2];
        int count = 0;
        int p = argmax(s, sign, 0, t0 - 1);
        while (true) {
            peaks[count++] = p;
            int a = p + (int) (0.8 * t0);
            int b = p + (int) Math.ceil(1.2 * t0);
            if (b >= span || count == peaks.length) {
                break;
            }
            p = argmax(s, sign, a, b);
        }
        if (count < 3) {
            return;
        }
        double periodSum = 0.0;
        double periodDiff = 0.0;
        double ampDiff = 0.0;
        for (int i = 1; i < count; i++) {
            int period = peaks[i] - peaks[i - 1];
            periodSum += period;
            if (i >= 2) {
                periodDiff += Math.abs(period - (peaks[i - 1] - peaks[i - 2]));
            }
            double a0 = Math.max(1e-6, sign * s[peaks[i - 1]]);
            double a1 = Math.max(1e-6, sign * s[peaks[i]]);
            ampDiff += Math.abs(20.0 * Math.log10(a1 / a0));
        }
        int periods = count - 1;
        row[1] = (float) ((periodDiff / (periods - 1)) / (periodSum / periods));
        row[2] = (float) (ampDiff / periods);
    }

    /** Index of the largest {@code sign * s[i]} for {@code i} in {@code [from, to]} (first on ties). */
    private static int argmax(double[] s, double sign, int from, int to) {
        int best = from;
        for (int i = from + 1; i <= to; i++) {
            if (sign * s[i] > sign * s[best]) {
                best = i;
            }
        }
        return best;
    }
}
