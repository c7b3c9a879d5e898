package ser.extractors.dsp;

/**
 * YIN fundamental-frequency estimator (de Cheveigne and Kawahara 2002) with the difference
 * function computed by FFT, and a periodicity (voicing confidence).
 *
 * <p>Lags {@code tau} run over {@code [tauMin, tauMax]} with {@code tauMin = floor(sr / fmax)}
 * and {@code tauMax = ceil(sr / fmin)} (as librosa). One analysis span holds
 * {@code N = nextPow2(2 tauMax + 1)} samples (at least two periods of {@code fmin}). The
 * difference function compares the span with itself shifted by {@code tau} over their whole
 * overlap, {@code d(tau) = sum_{j < N - tau} (x_j - x_{j+tau})^2}, taken per compared pair
 * ({@code d(tau) / (N - tau)}): the compared stretch is then centred on the span centre for every
 * lag, so a gliding F0 is measured at the frame centre (the textbook form, a fixed window at the
 * start of the span, measures it up to half a span early: 1.3 % low on the golden chirp), and
 * short lags use more data. {@code d} comes from the autocorrelation (one real FFT, power
 * spectrum, inverse FFT) and running sums of squares. Any transform length {@code >= N + tauMax}
 * gives the same linear autocorrelation up to lag {@code tauMax} (no wrap-around reaches it); the
 * smallest {@link ComplexFft#nextFastSize fast size} is used, 768 = 3 * 256 with the defaults
 * (16 kHz, fmin 65 Hz: N = 512, tauMax = 247), which costs about 3/4 of a 1024-point pair.
 *
 * <p>The cumulative mean normalised difference {@code d'(tau) = d(tau) tau / sum_{k=1..tau} d(k)}
 * (1 where that sum is 0) is searched as librosa's {@code yin}: the first local minimum below
 * {@code troughThreshold}, else the global minimum; the period is refined by parabolic
 * interpolation of {@code d} around that lag.
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
    private final double troughThreshold;
    private final RealFft fft;
    private final double[] padded;
    private final double[] re;
    private final double[] im;
    private final double[] acf;
    private final double[] sq;
    private final double[] cmnd;
    private final double[] diff;

    private double f0;
    private double aperiodicity;
    private double energy;

    public Yin(int sampleRate, double fmin, double fmax, double troughThreshold) {
        this(sampleRate, fmin, fmax, troughThreshold, 0);
    }

    /**
     * With the autocorrelation's transform length given ({@code >= span + tauMax}; 0 = the
     * smallest fast one): the tests check that the length does not change the results.
     */
    Yin(int sampleRate, double fmin, double fmax, double troughThreshold, int transformLength) {
        this.sampleRate = sampleRate;
        this.tauMin = Math.max(1, (int) Math.floor(sampleRate / fmax));
        this.tauMax = (int) Math.ceil(sampleRate / fmin);
        if (tauMax < tauMin + 2) {
            throw new IllegalArgumentException("pitch lag range too small: fmin=" + fmin + " fmax=" + fmax
                    + " at " + sampleRate + " Hz gives lags " + tauMin + ".." + tauMax);
        }
        this.span = ComplexFft.nextPowerOfTwo(2 * tauMax + 1);
        int minLength = span + tauMax;
        if (transformLength != 0 && transformLength < minLength) {
            throw new IllegalArgumentException("YIN transform length " + transformLength
                    + " < span + tauMax = " + minLength);
        }
        int len = transformLength != 0 ? transformLength : ComplexFft.nextFastSize(minLength);
        this.troughThreshold = troughThreshold;
        this.fft = new RealFft(len);
        this.padded = new double[len];
        this.re = new double[len / 2 + 1];
        this.im = new double[len / 2 + 1];
        this.acf = new double[len];
        this.sq = new double[span + 1];
        this.cmnd = new double[tauMax + 2];
        this.diff = new double[tauMax + 2];
    }

    /** Samples per analysis span (centre it on the frame centre). */
    public int span() {
        return span;
    }

    public int tauMin() {
        return tauMin;
    }

    public int tauMax() {
        return tauMax;
    }

    /** Length of the autocorrelation's real FFT. */
    int transformLength() {
        return padded.length;
    }

    /** Analyses {@code x[0..span)}. Results via {@link #f0()}, {@link #periodicity()}, ... */
    public void analyse(double[] x) {
        analyse(x, 0.0);
    }

    /**
     * As {@link #analyse(double[])}, but a span whose mean square is below {@code minMeanSquare}
     * is reported as silent (F0 0, aperiodicity 1) without computing the difference function.
     */
    public void analyse(double[] x, double minMeanSquare) {
        final int n = span;
        sq[0] = 0.0;
        for (int i = 0; i < n; i++) {
            sq[i + 1] = sq[i] + x[i] * x[i];
        }
        energy = sq[n];
        if (!(energy > 0.0) || energy / n < minMeanSquare) {
            f0 = 0.0;
            aperiodicity = 1.0;
            return;
        }
        // autocorrelation r(tau) = sum_j x_j x_{j+tau}, linear (zero padded, no wrap-around)
        System.arraycopy(x, 0, padded, 0, n);
        java.util.Arrays.fill(padded, n, padded.length, 0.0);
        fft.forward(padded, re, im);
        for (int k = 0; k < re.length; k++) {
            re[k] = re[k] * re[k] + im[k] * im[k];
            im[k] = 0.0;
        }
        fft.inverse(re, im, acf);
        // per-pair difference and the cumulative mean normalised difference
        double running = 0.0;
        cmnd[0] = 1.0;
        final int tMax = tauMax;
        for (int tau = 1; tau <= tMax; tau++) {
            double d = (sq[n - tau] - sq[0]) + (sq[n] - sq[tau]) - 2.0 * acf[tau];
            if (d < 0.0) {
                d = 0.0; // rounding
            }
            d /= n - tau;
            diff[tau] = d;
            running += d;
            cmnd[tau] = running > 0.0 ? d * tau / running : 1.0;
        }
        final int last = tMax;
        // trough search (librosa.yin): a local minimum is x[t] < x[t-1] and x[t] <= x[t+1];
        // the ends of the lag range count when below their single neighbour
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
        // parabolic interpolation on d (de Cheveigne and Kawahara, step 5)
        double shift = 0.0;
        if (tau > 1 && tau < last) {
            double a = diff[tau + 1] + diff[tau - 1] - 2.0 * diff[tau];
            double b = 0.5 * (diff[tau + 1] - diff[tau - 1]);
            if (Math.abs(b) < Math.abs(a)) {
                shift = -b / a;
            }
        }
        f0 = sampleRate / (tau + shift);
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

    /** Periodicity {@code 1 - aperiodicity} of the last span, in [0, 1]. */
    public double periodicity() {
        return 1.0 - aperiodicity;
    }

    /** Sum of squares of the last span. */
    public double energy() {
        return energy;
    }
}
