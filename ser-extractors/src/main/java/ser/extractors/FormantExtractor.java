package ser.extractors;

import ser.api.AudioClip;
import ser.api.FeatureExtractor;
import ser.api.FeatureTrack;
import ser.api.FrameGrid;
import ser.extractors.dsp.Lpc;
import ser.extractors.dsp.RealFft;
import ser.extractors.dsp.Signals;

import java.util.List;

/**
 * Formant frequencies F1..F3 (Hz) on the shared grid, from the peaks of an LPC envelope: the
 * signal is pre-emphasised ({@code y[i] = x[i] - pre * x[i-1]}), each grid frame (zero padded
 * outside the signal) is Hamming windowed (symmetric, {@code numpy.hamming}), the
 * autocorrelation method gives an all-pole model of order {@code lpc-order}, and
 * {@code -ln |A(f)|^2} is sampled on {@code fft-length / 2 + 1} bins. F1..F3 are its first three
 * local maxima strictly inside {@code (edge, nyquist - edge)} Hz, refined by parabolic
 * interpolation; a formant the envelope does not show is 0. Peak picking instead of polynomial
 * roots: no bandwidth, but no root finder and no spurious real roots to sort out.
 */
public final class FormantExtractor implements FeatureExtractor {

    private static final List<String> COLUMNS = List.of("f1", "f2", "f3");

    private final FrameGrid grid;
    private final int order;
    private final double preEmphasis;
    private final double edgeHz;
    private final RealFft fft;
    private final double[] window;

    FormantExtractor(FrameGrid grid, int order, double preEmphasis, double edgeHz, int fftLength) {
        this.grid = grid;
        this.order = order;
        this.preEmphasis = preEmphasis;
        this.edgeHz = edgeHz;
        this.fft = new RealFft(fftLength);
        int n = grid.frameLength();
        this.window = new double[n];
        for (int i = 0; i < n; i++) {
            window[i] = n == 1 ? 1.0 : 0.54 - 0.46 * Math.cos(2.0 * Math.PI * i / (n - 1));
        }
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public FeatureTrack extract(AudioClip clip) {
        Checks.sameRate(FormantProvider.NAME, clip, grid);
        float[] x = Signals.finite(clip);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) (i == 0 ? x[0] : x[i] - preEmphasis * x[i - 1]);
        }
        int n = grid.frameCount(x.length);
        int fl = grid.frameLength();
        int m = fft.size();
        int bins = fft.bins();
        double[] frame = new double[fl];
        double[] r = new double[order + 1];
        double[] a = new double[m];
        double[] scratch = new double[order + 1];
        double[] re = new double[bins];
        double[] im = new double[bins];
        double[] env = new double[bins];
        double hzPerBin = grid.sampleRate() / (double) m;
        float[][] out = new float[n][3];
        for (int t = 0; t < n; t++) {
            Signals.window(y, grid.frameStart(t), frame, fl);
            for (int i = 0; i < fl; i++) {
                frame[i] *= window[i];
            }
            Lpc.autocorrelation(frame, fl, r, order);
            // a tiny white-noise floor keeps the recursion stable on silence and pure tones
            r[0] = r[0] * (1.0 + 1e-9) + 1e-12;
            java.util.Arrays.fill(a, 0.0);
            Lpc.levinson(r, order, a, scratch);
            fft.forward(a, re, im);
            for (int k = 0; k < bins; k++) {
                env[k] = -Math.log(re[k] * re[k] + im[k] * im[k] + 1e-30);
            }
            int found = 0;
            double nyquist = grid.sampleRate() / 2.0;
            for (int k = 1; k < bins - 1 && found < 3; k++) {
                double f = k * hzPerBin;
                if (f <= edgeHz || f >= nyquist - edgeHz) {
                    continue;
                }
                if (env[k] > env[k - 1] && env[k] >= env[k + 1]) {
                    double den = env[k - 1] - 2.0 * env[k] + env[k + 1];
                    double d = Math.abs(den) > 1e-12 ? 0.5 * (env[k - 1] - env[k + 1]) / den : 0.0;
                    out[t][found++] = (float) ((k + d) * hzPerBin);
                }
            }
        }
        return new FeatureTrack(COLUMNS, out);
    }
}
