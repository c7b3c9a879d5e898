package ser.extractors.dsp;

/**
 * YIN fundamental-frequency estimator (de Cheveigne and Kawahara 2002) with the difference
 * function computed by FFT, and a periodicity (voicing confidence).
 *
 * <p>Lags {@code tau} run over {@code [tauMin, tauMax]} with {@code tauMin = floor(sr / fmax)}
 * and {@code tauMax = ceil(sr / fmin)} (as librosa). One analysis span holds
 * {@code L = nextPow2(2 tauMax + 1)} samples; the integration window is its first
 * {@code W = L - tauMax} samples, so {@code d(tau) = sum_{j<W} (x_j - x_{j+tau})^2} never reads
 * past the span. {@code d(tau) = e(0) + e(tau) - 2 r(tau)} with {@code r} the cross-correlation of
 * the window with the span (one complex FFT of length L carrying both real inputs, one real
 * inverse FFT) and {@code e} from a running sum of squares. The cumulative mean normalised
 * difference {@code d'(tau) = d(tau) tau / sum_{k=1..tau} d(k)} (1 where that sum is 0) is searched
 * as librosa's {@code yin}: the first local minimum below {@code troughThreshold}, else the global
 * minimum; the period is refined by parabolic interpolation of {@code d} around that lag.
 *
 * <p>Voicing confidence: the periodicity {@code 1 - a}, where the aperiodicity {@code a} is the
 * smallest {@code d'} over the lag range clamped to [0, 1] (0 for a perfectly periodic span, about
 * 1 for noise; a silent span gets a = 1). TarsosDSP's YIN reports the same quantity as its
 * "probability".
 *
 * <p>Instances keep scratch buffers: one thread at a time.
 */
public final class Yin {

    private final int sampleRate;
    private final int tauMin;
    private final int tauMax;
    private final int span;
    private final int window;
    private final double troughThreshold;
    private final ComplexFft fft;
    private final RealFft inverse;
    private final double[] zr;
    private final double[] zi;
    private final double[] cr;
    private final double[] ci;
    private final double[] corr;
    private final double[] sq;
    private final double[] cmnd;
    private final double[] diff;

    private double f0;
    private double aperiodicity;
    private double energy;

    public Yin(int sampleRate, double fmin, double fmax, double troughThreshold) {
        this.sampleRate = sampleRate;
        this.tauMin = Math.max(1, (int) Math.floor(sampleRate / fmax));
        this.tauMax = (int) Math.ceil(sampleRate / fmin);
        if (tauMax < tauMin + 2) {
            throw new IllegalArgumentException("pitch lag range too small: fmin=" + fmin + " fmax=" + fmax
                    + " at " + sampleRate + " Hz gives lags " + tauMin + ".." + tauMax);
        }
        this.span = ComplexFft.nextPowerOfTwo(2 * tauMax + 1);
        this.window = span - tauMax;
        this.troughThreshold = troughThreshold;
        this.fft = ComplexFft.of(span);
        this.inverse = new RealFft(span);
        this.zr = new double[span];
        this.zi = new double[span];
        this.cr = new double[span / 2 + 1];
        this.ci = new double[span / 2 + 1];
        this.corr = new double[span];
        this.sq = new double[span + 1];
        this.cmnd = new double[tauMax + 2];
        this.diff = new double[tauMax + 2];
    }

    /** Samples per analysis span (centre it on the frame centre). */
    public int span() {
        return span;
    }

    /** Integration window W. */
    public int window() {
        return window;
    }

    public int tauMin() {
        return tauMin;
    }

    public int tauMax() {
        return tauMax;
    }

    /** Analyses {@code x[0..span)}. Results via {@link #f0()}, {@link #periodicity()}, ... */
    public void analyse(double[] x) {
        final int n = span;
        final int w = window;
        // prefix sums of squares for e(tau) = sum_{j=tau}^{tau+W-1} x_j^2
        sq[0] = 0.0;
        for (int i = 0; i < n; i++) {
            sq[i + 1] = sq[i] + x[i] * x[i];
        }
        energy = sq[n];
        double e0 = sq[w];
        if (!(e0 > 0.0) || !(sq[n] - sq[0] > 0.0)) {
            f0 = 0.0;
            aperiodicity = 1.0;
            return;
        }
        // z = a + i b, a = span, b = first W samples (zero padded)
        for (int i = 0; i < n; i++) {
            zr[i] = x[i];
            zi[i] = i < w ? x[i] : 0.0;
        }
        fft.forward(zr, zi);
        // A[k] = (Z[k] + conj Z[n-k]) / 2, B[k] = (Z[k] - conj Z[n-k]) / 2i, C = conj(B) A
        final int half = n / 2;
        for (int k = 0; k <= half; k++) {
            int kk = k == 0 ? 0 : n - k;
            double zrk = zr[k], zik = zi[k], zrc = zr[kk], zic = -zi[kk];
            double ar = 0.5 * (zrk + zrc), ai = 0.5 * (zik + zic);
            double br = 0.5 * (zik - zic), bi = -0.5 * (zrk - zrc);
            // conj(B) * A = (br - i bi)(ar + i ai)
            cr[k] = br * ar + bi * ai;
            ci[k] = br * ai - bi * ar;
        }
        inverse.inverse(cr, ci, corr);
        // d(tau) and the cumulative mean normalised difference
        double running = 0.0;
        cmnd[0] = 1.0;
        final int tMax = tauMax;
        for (int tau = 1; tau <= tMax + 1 && tau + w <= n; tau++) {
            double d = e0 + (sq[tau + w] - sq[tau]) - 2.0 * corr[tau];
            if (d < 0.0) {
                d = 0.0; // rounding
            }
            running += d;
            diff[tau] = d;
            cmnd[tau] = running > 0.0 ? d * tau / running : 1.0;
        }
        int last = Math.min(tMax, n - w);
        // trough search (librosa.yin): a local minimum is x[t] < x[t-1] and x[t] <= x[t+1];
        // the first lag of the range counts as a trough if it is below the next one
        int best = -1;
        int globalArg = tauMin;
        double globalMin = Double.POSITIVE_INFINITY;
        for (int tau = tauMin; tau <= last; tau++) {
            double v = cmnd[tau];
            if (v < globalMin) {
                globalMin = v;
                globalArg = tau;
            }
            if (best < 0 && v < troughThreshold) {
                boolean trough;
                if (tau == tauMin) {
                    trough = v < cmnd[tau + 1];
                } else if (tau == last) {
                    trough = v < cmnd[tau - 1];
                } else {
                    trough = v < cmnd[tau - 1] && v <= cmnd[tau + 1];
                }
                if (trough) {
                    best = tau;
                }
            }
        }
        int tau = best >= 0 ? best : globalArg;
        // parabolic interpolation on the raw difference d (as de Cheveigne and Kawahara step 5:
        // interpolating the normalised d' biases the period towards longer lags)
        double shift = 0.0;
        if (tau > 1 && tau < last) {
            double a = diff[tau + 1] + diff[tau - 1] - 2.0 * diff[tau];
            double b = 0.5 * (diff[tau + 1] - diff[tau - 1]);
            if (Math.abs(b) < Math.abs(a)) {
                shift = -b / a;
            }
        }
        double period = tau + shift;
        f0 = sampleRate / period;
        aperiodicity = Math.min(1.0, Math.max(0.0, globalMin));
    }

    /** Estimated F0 in Hz of the last span (0 for a silent span). */
    public double f0() {
        return f0;
    }

    /** Smallest {@code d'} over the lag range, in [0, 1] (1 = aperiodic or silent). */
    public double aperiodicity() {
        return aperiodicity;
    }

    /** Sum of squares of the last span. */
    public double energy() {
        return energy;
    }

    /** Periodicity {@code 1 - aperiodicity} of the last span, in [0, 1]. */
    public double periodicity() {
        return 1.0 - aperiodicity;
    }

}
