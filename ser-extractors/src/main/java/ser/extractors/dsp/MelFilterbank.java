package ser.extractors.dsp;

/**
 * Triangular mel filterbank over the bins {@code 0..nfft/2} of a real FFT, built exactly as
 * {@code librosa.filters.mel} (0.10): {@code n_mels + 2} points equally spaced on the mel scale
 * (Slaney's linear/log scale, or HTK's {@code 2595 log10(1 + f/700)}) between {@code fmin} and
 * {@code fmax}, triangles over {@code fft_frequencies}, optional Slaney area normalisation
 * {@code 2 / (f[i+2] - f[i])}. Stored sparsely (each filter's non-zero bin range).
 */
public final class MelFilterbank {

    private final int nMels;
    private final int[] start;
    private final double[][] weights;

    public MelFilterbank(int sampleRate, int nfft, int nMels, double fmin, double fmax, boolean htk,
                         boolean slaneyNorm) {
        this.nMels = nMels;
        int bins = nfft / 2 + 1;
        double[] fftFreqs = new double[bins];
        for (int k = 0; k < bins; k++) {
            fftFreqs[k] = k * (double) sampleRate / nfft;
        }
        double minMel = hzToMel(fmin, htk);
        double maxMel = hzToMel(fmax, htk);
        double[] melF = new double[nMels + 2];
        for (int i = 0; i < nMels + 2; i++) {
            // numpy.linspace: start + i * step, last point exactly stop
            double mel = i == nMels + 1 ? maxMel : minMel + i * ((maxMel - minMel) / (nMels + 1));
            melF[i] = melToHz(mel, htk);
        }
        start = new int[nMels];
        weights = new double[nMels][];
        double[] row = new double[bins];
        for (int i = 0; i < nMels; i++) {
            double lowDiff = melF[i + 1] - melF[i];
            double highDiff = melF[i + 2] - melF[i + 1];
            double enorm = slaneyNorm ? 2.0 / (melF[i + 2] - melF[i]) : 1.0;
            int first = -1;
            int last = -1;
            for (int k = 0; k < bins; k++) {
                double lower = -(melF[i] - fftFreqs[k]) / lowDiff;
                double upper = (melF[i + 2] - fftFreqs[k]) / highDiff;
                double w = Math.max(0.0, Math.min(lower, upper));
                row[k] = w * enorm;
                if (w > 0) {
                    if (first < 0) {
                        first = k;
                    }
                    last = k;
                }
            }
            if (first < 0) { // empty filter (too many mels for this FFT size): contributes 0
                start[i] = 0;
                weights[i] = new double[0];
            } else {
                start[i] = first;
                weights[i] = java.util.Arrays.copyOfRange(row, first, last + 1);
            }
        }
    }

    public int size() {
        return nMels;
    }

    /** Number of filters with no non-zero weight (librosa warns about these). */
    public int emptyFilters() {
        int c = 0;
        for (double[] w : weights) {
            if (w.length == 0) {
                c++;
            }
        }
        return c;
    }

    /** {@code out[i] = sum_k W[i][k] * spectrum[off + k]}. */
    public void apply(double[] spectrum, int off, double[] out) {
        for (int i = 0; i < nMels; i++) {
            double[] w = weights[i];
            int s = off + start[i];
            double acc = 0.0;
            for (int k = 0; k < w.length; k++) {
                acc += w[k] * spectrum[s + k];
            }
            out[i] = acc;
        }
    }

    /** Dense weight {@code W[mel][bin]} (for tests). */
    public double weight(int mel, int bin) {
        int off = bin - start[mel];
        return off >= 0 && off < weights[mel].length ? weights[mel][off] : 0.0;
    }

    /** {@code librosa.hz_to_mel}. */
    public static double hzToMel(double hz, boolean htk) {
        if (htk) {
            return 2595.0 * Math.log10(1.0 + hz / 700.0);
        }
        final double fSp = 200.0 / 3;
        final double minLogHz = 1000.0;
        final double minLogMel = minLogHz / fSp;
        final double logstep = Math.log(6.4) / 27.0;
        if (hz >= minLogHz) {
            return minLogMel + Math.log(hz / minLogHz) / logstep;
        }
        return hz / fSp;
    }

    /** {@code librosa.mel_to_hz}. */
    public static double melToHz(double mel, boolean htk) {
        if (htk) {
            return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
        }
        final double fSp = 200.0 / 3;
        final double minLogHz = 1000.0;
        final double minLogMel = minLogHz / fSp;
        final double logstep = Math.log(6.4) / 27.0;
        if (mel >= minLogMel) {
            return minLogHz * Math.exp(logstep * (mel - minLogMel));
        }
        return fSp * mel;
    }
}
