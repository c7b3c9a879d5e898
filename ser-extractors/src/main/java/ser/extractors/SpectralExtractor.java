package ser.extractors;

import ser.api.AudioClip;
import ser.api.FeatureExtractor;
import ser.api.FeatureTrack;
import ser.api.FrameGrid;
import ser.extractors.dsp.Signals;
import ser.extractors.dsp.Stft;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Spectral descriptors on the shared grid, from the magnitude spectrum {@code S = |STFT|} of the
 * shared {@link Stft} (librosa computes these with {@code power=1}), bins at {@code k sr / n_fft}:
 * <ul>
 * <li>{@code centroid}: {@code sum f S / sum S} (0 for an all-zero frame; librosa 0.10.2
 * {@code spectral_centroid}).</li>
 * <li>{@code bandwidth}: {@code (sum (S / sum S) |f - centroid|^p)^(1/p)}, p = 2.</li>
 * <li>{@code rolloff}: lowest bin frequency where the cumulative magnitude reaches
 * {@code rolloff-percent} of the total (0 for silence); summed in float32 from float32
 * magnitudes exactly as librosa does, since a discrete bin choice is sensitive to rounding.</li>
 * <li>{@code flatness}: geometric over arithmetic mean of {@code max(amin, S^power)} (1 for
 * silence).</li>
 * <li>{@code contrast_1..contrast_{bands+1}}: librosa {@code spectral_contrast}: octave bands from
 * {@code contrast-fmin} (band 0 = [0, fmin]), per band the mean of the top and bottom
 * {@code quantile} of its sorted magnitudes (peak, valley), then
 * {@code power_to_db(peak) - power_to_db(valley)} where {@code power_to_db} uses ref 1,
 * amin 1e-10 and top_db 80 applied over the whole utterance, separately for peaks and valleys
 * (as librosa applies it to each whole array); {@code contrast-linear = true} gives
 * {@code peak - valley}.</li>
 * <li>{@code flux}: Euclidean distance between consecutive L2-normalised magnitude spectra,
 * {@code || S_t/||S_t|| - S_{t-1}/||S_{t-1}|| ||} in [0, sqrt 2] (i.e. {@code sqrt(2 - 2 cos)} of
 * the angle between them): gain-invariant; an all-zero spectrum normalises to the zero vector;
 * frame 0 has flux 0.</li>
 * <li>{@code zcr}: librosa {@code zero_crossing_rate}: frames of {@code frameLength} on the grid,
 * but padded by repeating the edge samples (librosa pads {@code mode='edge'} here), samples with
 * {@code |x| <= zcr-threshold} count as +0, crossings = sign-bit changes between neighbours,
 * rate = crossings / frameLength.</li>
 * </ul>
 */
public final class SpectralExtractor implements FeatureExtractor {

    private static final double DB_AMIN = 1e-10;
    private static final double DB_TOP = 80.0;

    private final FrameGrid grid;
    private final Stft stft;
    private final double p;
    private final double flatAmin;
    private final double flatPower;
    private final ContrastBands bands;
    private final boolean linear;
    private final double zcrThreshold;
    private final List<String> columns;
    private final double[] freq;
    private final double[] mag;
    private final float[] mag32;
    private final float rolloff32;
    private final double[] prevNorm;
    private final double[] low;
    private final double[] high;
    private int[] crossings = new int[1];
    private double[] peaks = new double[0];
    private double[] valleys = new double[0];
    private final int nContrast;

    /** Octave bands of {@code spectral_contrast}: bin ranges and quantile counts. */
    static final class ContrastBands {
        final int count;      // n_bands + 1
        final int[] from;     // first bin of the band's sub_band (inclusive)
        final int[] to;       // last bin (exclusive), after dropping the top bin for k < n_bands
        final int[] quantile; // idx = max(1, rint(quantile * sum(current_band)))

        private ContrastBands(int count) {
            this.count = count;
            from = new int[count];
            to = new int[count];
            quantile = new int[count];
        }

        /** librosa's band construction; null when a band has no bin. */
        static ContrastBands build(FrameGrid grid, int nBands, double fmin, double q) {
            int bins = grid.frameLength() / 2 + 1;
            double[] f = new double[bins];
            for (int k = 0; k < bins; k++) {
                f[k] = k * (double) grid.sampleRate() / grid.frameLength();
            }
            double[] octa = new double[nBands + 2];
            for (int i = 1; i < nBands + 2; i++) {
                octa[i] = fmin * Math.pow(2.0, i - 1);
            }
            ContrastBands b = new ContrastBands(nBands + 1);
            for (int k = 0; k <= nBands; k++) {
                double lo = octa[k];
                double hi = octa[k + 1];
                int first = -1;
                int last = -1;
                for (int i = 0; i < bins; i++) {
                    if (f[i] >= lo && f[i] <= hi) {
                        if (first < 0) {
                            first = i;
                        }
                        last = i;
                    }
                }
                if (first < 0) {
                    return null;
                }
                // current_band = [first, last]; k > 0 adds the bin below; k == n_bands adds all above
                int cbFrom = k > 0 ? first - 1 : first;
                int cbTo = k == nBands ? bins : last + 1;
                int size = cbTo - cbFrom;
                // sub_band drops its last bin for k < n_bands
                int subTo = k < nBands ? cbTo - 1 : cbTo;
                if (subTo <= cbFrom) {
                    return null;
                }
                int idx = (int) Math.max(1.0, Math.rint(q * size));
                if (idx > subTo - cbFrom) {
                    idx = subTo - cbFrom;
                }
                b.from[k] = cbFrom;
                b.to[k] = subTo;
                b.quantile[k] = idx;
            }
            return b;
        }
    }

    SpectralExtractor(FrameGrid grid, double rolloffPercent, double p, double flatAmin, double flatPower,
                      ContrastBands bands, boolean linear, double zcrThreshold) {
        this.grid = grid;
        this.stft = new Stft(grid);
        this.p = p;
        this.flatAmin = flatAmin;
        this.flatPower = flatPower;
        this.bands = bands;
        this.linear = linear;
        this.zcrThreshold = zcrThreshold;
        int bins = stft.bins();
        this.freq = new double[bins];
        for (int k = 0; k < bins; k++) {
            freq[k] = stft.binFrequency(k);
        }
        this.mag = new double[bins];
        this.mag32 = new float[bins];
        this.rolloff32 = (float) rolloffPercent;
        this.prevNorm = new double[bins];
        int maxQ = 1;
        for (int q : bands.quantile) {
            maxQ = Math.max(maxQ, q);
        }
        this.low = new double[maxQ];
        this.high = new double[maxQ];
        this.nContrast = bands.count;
        List<String> cols = new ArrayList<>(List.of("centroid", "bandwidth", "rolloff", "flatness"));
        for (int i = 1; i <= nContrast; i++) {
            cols.add("contrast_" + i);
        }
        cols.add("flux");
        cols.add("zcr");
        this.columns = Collections.unmodifiableList(cols);
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public FeatureTrack extract(AudioClip clip) {
        Checks.sameRate(SpectralProvider.NAME, clip, grid);
        float[] x = Signals.finite(clip);
        int n = grid.frameCount(x.length);
        int nc = nContrast;
        if (peaks.length < n * nc) {
            peaks = new double[Math.max(n * nc, peaks.length * 3 / 2)];
            valleys = new double[peaks.length];
        }
        float[][] frames = new float[n][columns.size()];
        final int bins = stft.bins();
        final double[] s = mag;
        final double[] prev = prevNorm;
        final double[] spec = stft.sharedPowerSpectrogram(clip).power();
        countCrossings(x);
        boolean havePrev = false;
        for (int t = 0; t < n; t++) {
            int off = t * bins;
            for (int k = 0; k < bins; k++) {
                double m = Math.sqrt(spec[off + k]);
                s[k] = m;
                mag32[k] = (float) m;
            }
            float[] row = frames[t];
            // centroid, bandwidth, rolloff
            double sum = 0.0;
            double fsum = 0.0;
            double sq = 0.0;
            for (int k = 0; k < bins; k++) {
                double v = s[k];
                sum += v;
                fsum += freq[k] * v;
                sq += v * v;
            }
            double norm = sum < Double.MIN_NORMAL ? 1.0 : sum;
            double centroid = fsum / norm;
            double bw;
            if (p == 2.0) {
                double acc = 0.0;
                for (int k = 0; k < bins; k++) {
                    double d = freq[k] - centroid;
                    acc += s[k] * d * d;
                }
                bw = Math.sqrt(acc / norm);
            } else {
                double acc = 0.0;
                for (int k = 0; k < bins; k++) {
                    acc += s[k] * Math.pow(Math.abs(freq[k] - centroid), p);
                }
                bw = Math.pow(acc / norm, 1.0 / p);
            }
            // roll-off in float32 like librosa (float32 magnitudes, float32 cumsum): a discrete
            // bin choice, so the precision of the sum decides ties at the threshold
            float total = 0f;
            for (int k = 0; k < bins; k++) {
                total += mag32[k];
            }
            float threshold = rolloff32 * total;
            float cum = 0f;
            double rolloff = 0.0;
            for (int k = 0; k < bins; k++) {
                cum += mag32[k];
                if (!(cum < threshold)) {
                    rolloff = freq[k];
                    break;
                }
            }
            row[0] = (float) centroid;
            row[1] = (float) bw;
            row[2] = (float) rolloff;
            row[3] = (float) flatness(s, bins);
            contrast(s, t * nc);
            // flux between L2-normalised spectra
            double l2 = Math.sqrt(sq);
            double inv = l2 > 0 ? 1.0 / l2 : 0.0;
            double flux = 0.0;
            for (int k = 0; k < bins; k++) {
                double v = s[k] * inv;
                double d = v - prev[k];
                flux += d * d;
                prev[k] = v;
            }
            row[4 + nc] = havePrev ? (float) Math.sqrt(flux) : 0f;
            havePrev = true;
            row[5 + nc] = (float) zcr(x, t);
        }
        finishContrast(frames, n);
        return new FeatureTrack(columns, frames);
    }

    /** Geometric / arithmetic mean of {@code max(amin, S^power)}; logs via exponent bookkeeping. */
    private double flatness(double[] s, int bins) {
        double prod = 1.0;
        long exp = 0;
        double sum = 0.0;
        for (int k = 0; k < bins; k++) {
            double v = s[k];
            double pw = flatPower == 2.0 ? v * v : flatPower == 1.0 ? v : Math.pow(v, flatPower);
            if (pw < flatAmin) {
                pw = flatAmin;
            }
            sum += pw;
            prod *= pw;
            if ((k & 7) == 7) {
                int e = Math.getExponent(prod);
                exp += e;
                prod = Math.scalb(prod, -e);
            }
        }
        double meanLog = (Math.log(prod) + exp * Math.log(2.0)) / bins;
        double amean = sum / bins;
        return Math.exp(meanLog) / amean;
    }

    /** Peak and valley of each band (means of the top/bottom quantile of sorted magnitudes). */
    private void contrast(double[] s, int off) {
        ContrastBands b = bands;
        for (int k = 0; k < b.count; k++) {
            int from = b.from[k];
            int to = b.to[k];
            int q = b.quantile[k];
            // the q smallest and q largest values, by insertion into small sorted buffers
            int nl = 0;
            int nh = 0;
            for (int i = from; i < to; i++) {
                double v = s[i];
                if (nl < q || v < low[nl - 1]) {
                    int j = nl < q ? nl++ : nl - 1;
                    while (j > 0 && low[j - 1] > v) {
                        low[j] = low[j - 1];
                        j--;
                    }
                    low[j] = v;
                }
                if (nh < q || v > high[nh - 1]) {
                    int j = nh < q ? nh++ : nh - 1;
                    while (j > 0 && high[j - 1] < v) {
                        high[j] = high[j - 1];
                        j--;
                    }
                    high[j] = v;
                }
            }
            double lo = 0.0;
            double hi = 0.0;
            for (int i = 0; i < q; i++) {
                lo += low[i];
                hi += high[i];
            }
            valleys[off + k] = lo / q;
            peaks[off + k] = hi / q;
        }
    }

    private void finishContrast(float[][] frames, int n) {
        int nc = nContrast;
        int total = n * nc;
        if (linear) {
            for (int t = 0; t < n; t++) {
                for (int k = 0; k < nc; k++) {
                    frames[t][4 + k] = (float) (peaks[t * nc + k] - valleys[t * nc + k]);
                }
            }
            return;
        }
        double maxP = Double.NEGATIVE_INFINITY;
        double maxV = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < total; i++) {
            peaks[i] = 10.0 * Math.log10(Math.max(DB_AMIN, peaks[i]));
            valleys[i] = 10.0 * Math.log10(Math.max(DB_AMIN, valleys[i]));
            maxP = Math.max(maxP, peaks[i]);
            maxV = Math.max(maxV, valleys[i]);
        }
        double floorP = maxP - DB_TOP;
        double floorV = maxV - DB_TOP;
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < nc; k++) {
                double pk = Math.max(peaks[t * nc + k], floorP);
                double vl = Math.max(valleys[t * nc + k], floorV);
                frames[t][4 + k] = (float) (pk - vl);
            }
        }
    }

    /**
     * {@code crossings[j]} = number of sign-bit changes between neighbours {@code (i - 1, i)},
     * {@code 1 <= i < j}: once per clip, so that a frame's count is one difference (frames
     * overlap, and a per-sample branch mispredicts on noise).
     */
    private void countCrossings(float[] x) {
        int len = x.length;
        if (crossings.length < len + 1) {
            crossings = new int[Math.max(len + 1, crossings.length * 3 / 2)];
        }
        final int[] c = crossings;
        final double thr = zcrThreshold;
        int count = 0;
        int prev = len > 0 && x[0] < 0 && Math.abs(x[0]) > thr ? 1 : 0;
        c[0] = 0;
        if (len > 0) {
            c[1] = 0;
        }
        for (int i = 1; i < len; i++) {
            float v = x[i];
            int neg = v < 0 && Math.abs(v) > thr ? 1 : 0;
            count += neg ^ prev;
            prev = neg;
            c[i + 1] = count;
        }
    }

    /**
     * librosa zero_crossing_rate of grid frame t with edge padding: the frame's neighbour pairs
     * {@code (i - 1, i)}, {@code start < i < start + frameLength}; pairs outside the signal
     * compare an edge sample with itself and never cross.
     */
    private double zcr(float[] x, int t) {
        int len = x.length;
        int fl = grid.frameLength();
        int start = grid.frameStart(t);
        int from = Math.max(start + 1, 1);
        int to = Math.min(start + fl, len); // exclusive
        int n = to > from ? crossings[to] - crossings[from] : 0;
        return n / (double) fl;
    }
}
