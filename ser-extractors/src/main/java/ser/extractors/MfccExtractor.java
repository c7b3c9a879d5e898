package ser.extractors;

import ser.api.AudioClip;
import ser.api.FeatureExtractor;
import ser.api.FeatureTrack;
import ser.api.FrameGrid;
import ser.extractors.dsp.Dct;
import ser.extractors.dsp.Deltas;
import ser.extractors.dsp.MelFilterbank;
import ser.extractors.dsp.Signals;
import ser.extractors.dsp.Stft;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * MFCC on the shared grid. Per frame: power spectrum {@code |STFT|^2} (periodic Hann, n_fft =
 * grid frame length, see {@link Stft}), mel filterbank, log compression, orthonormal DCT-II, first
 * {@code n-mfcc} coefficients.
 *
 * <ul>
 * <li>{@code LIBROSA}: {@code power_to_db(ref=1, amin)} = {@code 10 log10(max(amin, mel))}, then,
 * if {@code top-db > 0}, clamped from below at the utterance maximum minus {@code top-db} (over
 * all bands and frames, as librosa does for the whole spectrogram). With default settings this is
 * {@code librosa.feature.mfcc(y, sr, n_fft=frameLength, hop_length=hop)} of librosa 0.10.2.</li>
 * <li>{@code NATURAL_LOG}: {@code ln(max(amin, mel))}, no clamp: every frame depends only on its
 * own samples (Kaldi/HTK-style log-mel energies).</li>
 * </ul>
 * Columns {@code 1..n-mfcc} (the runner prefixes the extractor name: {@code mfcc_1}), then deltas
 * ({@code delta_i}) and delta-deltas ({@code delta2_i}), which follow
 * {@code librosa.feature.delta(width, order, mode='interp')}, see {@link Deltas}.
 */
public final class MfccExtractor implements FeatureExtractor {

    public enum Mode { LIBROSA, NATURAL_LOG }

    private final FrameGrid grid;
    private final Mode mode;
    private final int nMfcc;
    private final int nMels;
    private final double amin;
    private final double topDb;
    private final boolean deltas;
    private final boolean deltaDeltas;
    private final int width;
    private final Stft stft;
    private final MelFilterbank mel;
    private final Dct dct;
    private final List<String> columns;
    private final double[] melOut;
    private final double[] coeffs;
    private double[] logMel = new double[0];
    private double[] ceps = new double[0];

    MfccExtractor(FrameGrid grid, Mode mode, int nMfcc, int nMels, double fmin, double fmax, boolean htk,
                  boolean slaneyNorm, double amin, double topDb, boolean deltas, boolean deltaDeltas, int width) {
        this.grid = grid;
        this.mode = mode;
        this.nMfcc = nMfcc;
        this.nMels = nMels;
        this.amin = amin;
        this.topDb = topDb;
        this.deltas = deltas;
        this.deltaDeltas = deltaDeltas;
        this.width = width;
        this.stft = new Stft(grid);
        this.mel = new MelFilterbank(grid.sampleRate(), grid.frameLength(), nMels, fmin, fmax, htk, slaneyNorm);
        this.dct = new Dct(nMels, nMfcc);
        this.melOut = new double[nMels];
        this.coeffs = new double[nMfcc];
        List<String> cols = new ArrayList<>();
        for (int i = 1; i <= nMfcc; i++) {
            cols.add(Integer.toString(i));
        }
        if (deltas) {
            for (int i = 1; i <= nMfcc; i++) {
                cols.add("delta_" + i);
            }
        }
        if (deltaDeltas) {
            for (int i = 1; i <= nMfcc; i++) {
                cols.add("delta2_" + i);
            }
        }
        this.columns = Collections.unmodifiableList(cols);
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    /** Log-mel spectrogram of the last {@link #extract} call, {@code [frame * nMels + band]}. */
    double[] lastLogMel() {
        return logMel;
    }

    @Override
    public FeatureTrack extract(AudioClip clip) {
        Checks.sameRate(MfccProvider.NAME, clip, grid);
        float[] x = Signals.finite(clip);
        int n = grid.frameCount(x.length);
        if (logMel.length < n * nMels) {
            logMel = new double[Math.max(n * nMels, logMel.length * 3 / 2)];
        }
        final double[] lm = logMel;
        double max = Double.NEGATIVE_INFINITY;
        final boolean db = mode == Mode.LIBROSA;
        final double[] spec = stft.sharedPowerSpectrogram(clip).power();
        final int bins = stft.bins();
        for (int t = 0; t < n; t++) {
            mel.apply(spec, t * bins, melOut);
            int off = t * nMels;
            for (int b = 0; b < nMels; b++) {
                double v = Math.max(amin, melOut[b]);
                double l = db ? 10.0 * Math.log10(v) : Math.log(v);
                lm[off + b] = l;
                if (l > max) {
                    max = l;
                }
            }
        }
        if (db && topDb > 0 && n > 0) {
            double floor = max - topDb;
            for (int i = 0; i < n * nMels; i++) {
                if (lm[i] < floor) {
                    lm[i] = floor;
                }
            }
        }
        int cols = columns.size();
        float[][] frames = new float[n][cols];
        boolean anyDelta = deltas || deltaDeltas;
        if (anyDelta && ceps.length < n * nMfcc) {
            ceps = new double[Math.max(n * nMfcc, ceps.length * 3 / 2)];
        }
        for (int t = 0; t < n; t++) {
            dct.apply(lm, t * nMels, coeffs);
            float[] row = frames[t];
            for (int k = 0; k < nMfcc; k++) {
                row[k] = (float) coeffs[k];
            }
            if (anyDelta) {
                System.arraycopy(coeffs, 0, ceps, t * nMfcc, nMfcc);
            }
        }
        int col = nMfcc;
        if (deltas) {
            Deltas.apply(ceps, n, nMfcc, width, 1, frames, col);
            col += nMfcc;
        }
        if (deltaDeltas) {
            Deltas.apply(ceps, n, nMfcc, width, 2, frames, col);
        }
        return new FeatureTrack(columns, frames);
    }
}
