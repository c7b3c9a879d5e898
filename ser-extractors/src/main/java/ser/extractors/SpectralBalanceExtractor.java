package ser.extractors;

import ser.api.AudioClip;
import ser.api.FeatureExtractor;
import ser.api.FeatureTrack;
import ser.api.FrameGrid;
import ser.extractors.dsp.MelFilterbank;
import ser.extractors.dsp.Signals;
import ser.extractors.dsp.Stft;

import java.util.List;

/**
 * eGeMAPS-style spectral balance on the shared grid, from the grid's Hann power spectrum
 * {@code P} ({@link Stft}), bins {@code [lo, hi)} by centre frequency:
 * <ul>
 *   <li>{@code loudness}: {@code sum_b E_b^0.3}, {@code E_b} the energies of an HTK mel filterbank
 *       with peak-1 triangles (Zwicker-style power-law compression of an auditory spectrum);</li>
 *   <li>{@code alpha_ratio}: {@code 10 log10(sum P[50, 1000) / sum P[1000, 5000))} dB;</li>
 *   <li>{@code hammarberg}: {@code 10 log10(max P[0, 2000) / max P[2000, 5000))} dB;</li>
 *   <li>{@code slope_0_500}, {@code slope_500_1500}: least-squares slope of {@code 10 log10(P)}
 *       against frequency over the band, dB per kHz.</li>
 * </ul>
 * {@code floor} is added to every power before a ratio or log, so silence gives finite values.
 * Band edges above the Nyquist frequency are clipped to it.
 */
public final class SpectralBalanceExtractor implements FeatureExtractor {

    private static final List<String> COLUMNS = List.of("loudness", "alpha_ratio", "hammarberg",
            "slope_0_500", "slope_500_1500");
    private static final double LOUDNESS_EXPONENT = 0.3;

    private final FrameGrid grid;
    private final MelFilterbank auditory;
    private final double floor;
    private final Stft stft;
    private final int[] alphaLow;
    private final int[] alphaHigh;
    private final int[] hammarbergLow;
    private final int[] hammarbergHigh;
    private final Slope slopeLow;
    private final Slope slopeHigh;
    private final double[] bands;

    SpectralBalanceExtractor(FrameGrid grid, int loudnessBands, double loudnessFmin, double floor) {
        this.grid = grid;
        this.floor = floor;
        this.stft = new Stft(grid);
        double nyquist = grid.sampleRate() / 2.0;
        this.auditory = new MelFilterbank(grid.sampleRate(), grid.frameLength(), loudnessBands, loudnessFmin,
                nyquist, true, false);
        this.bands = new double[loudnessBands];
        this.alphaLow = bins(50, 1000);
        this.alphaHigh = bins(1000, 5000);
        this.hammarbergLow = bins(0, 2000);
        this.hammarbergHigh = bins(2000, 5000);
        this.slopeLow = new Slope(bins(0, 500));
        this.slopeHigh = new Slope(bins(500, 1500));
    }

    /** Bins {@code [first, end)} whose centre frequency lies in {@code [lo, hi)} Hz. */
    private int[] bins(double lo, double hi) {
        int first = -1;
        int end = -1;
        for (int k = 0; k < stft.bins(); k++) {
            double f = stft.binFrequency(k);
            if (f >= lo && f < hi) {
                if (first < 0) {
                    first = k;
                }
                end = k + 1;
            }
        }
        if (first < 0) {
            throw new IllegalArgumentException("spectral-balance: no FFT bin in " + lo + ".." + hi + " Hz at rate "
                    + grid.sampleRate() + " and frame length " + grid.frameLength());
        }
        return new int[] {first, end};
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public FeatureTrack extract(AudioClip clip) {
        Checks.sameRate(SpectralBalanceProvider.NAME, clip, grid);
        float[] x = Signals.finite(clip);
        int n = grid.frameCount(x.length);
        int nb = stft.bins();
        // The clip's shared power spectrogram (computed once per clip with MFCC and spectral).
        double[] p = stft.sharedPowerSpectrogram(clip).power();
        float[][] out = new float[n][COLUMNS.size()];
        for (int t = 0; t < n; t++) {
            int off = t * nb;
            auditory.apply(p, off, bands);
            double loud = 0.0;
            for (double e : bands) {
                loud += Math.pow(Math.max(0.0, e), LOUDNESS_EXPONENT);
            }
            out[t][0] = (float) loud;
            out[t][1] = (float) (10.0 * Math.log10((sum(p, off, alphaLow) + floor) / (sum(p, off, alphaHigh) + floor)));
            out[t][2] = (float) (10.0 * Math.log10((max(p, off, hammarbergLow) + floor)
                    / (max(p, off, hammarbergHigh) + floor)));
            out[t][3] = (float) slopeLow.of(p, off, floor);
            out[t][4] = (float) slopeHigh.of(p, off, floor);
        }
        return new FeatureTrack(COLUMNS, out);
    }

    private static double sum(double[] p, int off, int[] range) {
        double s = 0.0;
        for (int k = range[0]; k < range[1]; k++) {
            s += p[off + k];
        }
        return s;
    }

    private static double max(double[] p, int off, int[] range) {
        double m = 0.0;
        for (int k = range[0]; k < range[1]; k++) {
            m = Math.max(m, p[off + k]);
        }
        return m;
    }

    /** Least-squares slope of dB power against frequency (kHz) over a fixed run of bins. */
    private final class Slope {
        private final int first;
        private final double[] centred;
        private final double denominator;

        Slope(int[] range) {
            this.first = range[0];
            int m = range[1] - range[0];
            double mean = 0.0;
            for (int i = 0; i < m; i++) {
                mean += stft.binFrequency(first + i) / 1000.0;
            }
            mean /= m;
            centred = new double[m];
            double d = 0.0;
            for (int i = 0; i < m; i++) {
                centred[i] = stft.binFrequency(first + i) / 1000.0 - mean;
                d += centred[i] * centred[i];
            }
            // one bin has no slope: report 0 rather than divide by zero
            denominator = d > 0 ? d : Double.POSITIVE_INFINITY;
        }

        double of(double[] p, int off, double floor) {
            // sum(centred) = 0, so the mean of the dB values drops out of the numerator
            double num = 0.0;
            for (int i = 0; i < centred.length; i++) {
                num += centred[i] * 10.0 * Math.log10(p[off + first + i] + floor);
            }
            return num / denominator;
        }
    }
}
