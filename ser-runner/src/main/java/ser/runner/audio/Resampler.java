package ser.runner.audio;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Band-limited sample-rate conversion by a Kaiser-windowed sinc kernel, streaming (block in,
 * block out, with a history of one kernel width), so that converting a long file needs no
 * full-length intermediate copy.
 *
 * <p>Response, relative to the lower of the two rates' Nyquist frequency: flat (ripple below
 * 0.001 dB) up to {@value #PASSBAND}, at least {@value #ATTENUATION_DB} dB down from
 * {@value #STOPBAND} on. So when converting to 16 kHz, everything up to 7.5 kHz is kept and
 * nothing at or above 8 kHz aliases back. (TarsosDSP's {@code be.tarsos.dsp.resample.Resampler},
 * the libresample port on our class path, was measured first: its fixed roll-off (0.90) and
 * Kaiser beta (6) give, for 44.1 or 48 kHz to 16 kHz, -3 dB at 7 kHz, -13.6 dB at 7.5 kHz and a
 * stopband only about 64 dB down (8.1 to 9 kHz), and none of it can be configured. This kernel,
 * measured the same way: 0.000 dB up to 7.5 kHz, -0.34 dB at 7.6 kHz, at least 89 dB down from
 * 8 kHz on.)
 *
 * <p>Output sample {@code n} is the band-limited input evaluated at input time
 * {@code n * inRate / outRate}, exactly (integer phase arithmetic, no drift), so a clip of
 * {@code N} input frames gives {@code ceil(N * outRate / inRate)} output samples and sample 0
 * is aligned with input sample 0. Where the ratio has a small enough period (all common rates),
 * the kernel is precomputed for every phase; otherwise for 1024 sub-phases, the output
 * interpolated linearly between the two nearest (error below -110 dB).
 *
 * <p>One instance converts one stream; it is not thread-safe. The precomputed kernels are
 * shared.
 */
public final class Resampler {

    /** Passband edge, as a fraction of the lower rate's Nyquist frequency. */
    public static final double PASSBAND = 0.9375;
    /** Stopband edge, as a fraction of the lower rate's Nyquist frequency. */
    public static final double STOPBAND = 1.0;
    /** Stopband attenuation (dB). */
    public static final double ATTENUATION_DB = 80;

    /** The ideal low-pass cutoff, mid-way through the transition band. */
    static final double CUTOFF = (PASSBAND + STOPBAND) / 2;
    static final double BETA = 0.1102 * (ATTENUATION_DB - 8.7);
    private static final double I0_BETA = besselI0(BETA);
    /** Half-length of the kernel in samples of the lower rate (Kaiser's length estimate, halved). */
    static final int ZEROS = (int) Math.ceil((ATTENUATION_DB - 7.95) / (14.36 * (STOPBAND - PASSBAND) / 2) / 2);

    /** Largest per-phase kernel bank (floats) computed exactly (all common rates need far less). */
    private static final int MAX_BANK = 1 << 18;
    /** Sub-phases of the interpolated bank used when the exact one would be larger. */
    private static final int SUBPHASES = 1024;
    /** Samples per unit of the prototype table the interpolated banks are read from. */
    private static final int TABLE_DENSITY = 1024;
    /** Banks kept for reuse; beyond this many rate pairs the cache starts afresh (memory stays bounded). */
    private static final int MAX_CACHED_BANKS = 32;
    private static final ConcurrentHashMap<BankKey, float[]> BANKS = new ConcurrentHashMap<>();
    private static volatile float[] prototypeTable;

    private record BankKey(int inRate, int outRate, boolean exact) {
    }

    private final int inRate;
    private final int outRate;
    private final int phases;
    private final int stepWhole;
    private final int stepPhase;
    private final double scale;
    private final int half;
    private final int taps;
    /** Exact: one kernel row per phase. Otherwise {@link #rows} rows interpolated linearly in between. */
    private final boolean exact;
    private final int rows;
    private final float[] bank;

    private float[] buf;
    private long bufStart;
    private int bufLen;
    private long consumed;
    private long produced;
    private long position;
    private int phase;
    private boolean finished;

    public Resampler(int inRate, int outRate) {
        this(inRate, outRate, true);
    }

    /** @param precompute false forces the interpolated sub-phase bank (tests compare the two) */
    Resampler(int inRate, int outRate, boolean precompute) {
        if (inRate <= 0 || outRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive, got " + inRate + " -> " + outRate);
        }
        this.inRate = inRate;
        this.outRate = outRate;
        int g = gcd(inRate, outRate);
        this.phases = outRate / g;
        int step = inRate / g;
        this.stepWhole = step / phases;
        this.stepPhase = step % phases;
        this.scale = Math.min(1.0, outRate / (double) inRate);
        this.half = (int) Math.ceil(ZEROS / scale) + 1;
        this.taps = 2 * half;
        this.exact = precompute && (long) phases * taps <= MAX_BANK;
        // Linear interpolation between rows 1/S of an input sample apart errs by about
        // (pi / S)^2 / 8 of full scale: below -110 dB for S >= 512.
        this.rows = exact ? phases : SUBPHASES;
        BankKey key = new BankKey(inRate, outRate, exact);
        float[] cached = BANKS.get(key);
        if (cached == null) {
            cached = buildBank();
            if (BANKS.size() >= MAX_CACHED_BANKS) {
                BANKS.clear();
            }
            BANKS.putIfAbsent(key, cached);
        }
        this.bank = cached;
        this.buf = new float[Math.max(4096, 4 * taps)];
        this.bufStart = -half;
        this.bufLen = half;
    }

    /** Output samples for {@code inFrames} input frames: {@code ceil(inFrames * outRate / inRate)}. */
    public static long outputLength(long inFrames, int inRate, int outRate) {
        if (inRate == outRate) {
            return inFrames;
        }
        return Math.floorDiv(inFrames * outRate + inRate - 1, inRate);
    }

    /** Converts a whole signal (at equal rates, a copy). */
    public static float[] resample(float[] x, int inRate, int outRate) {
        if (inRate == outRate) {
            return x.clone();
        }
        long n = outputLength(x.length, inRate, outRate);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("resampled signal too long: " + n + " samples");
        }
        SampleBuffer out = new SampleBuffer(n, "signal", false);
        Resampler r = new Resampler(inRate, outRate);
        r.process(x, 0, x.length, out);
        r.finish(out);
        return out.toArray();
    }

    public int inRate() {
        return inRate;
    }

    public int outRate() {
        return outRate;
    }

    /** Feeds input samples and appends every output sample they complete. */
    public void process(float[] in, int offset, int length, SampleBuffer out) {
        if (finished) {
            throw new IllegalStateException("resampler already finished");
        }
        append(in, offset, length);
        consumed += length;
        drain(out, Long.MAX_VALUE);
    }

    /** Ends the input (zeros beyond it) and appends the remaining output samples. */
    public void finish(SampleBuffer out) {
        if (finished) {
            return;
        }
        finished = true;
        long total = outputLength(consumed, inRate, outRate);
        compact();
        ensure(half + 1);
        java.util.Arrays.fill(buf, bufLen, bufLen + half + 1, 0f);
        bufLen += half + 1;
        drain(out, total);
    }

    private void drain(SampleBuffer out, long limit) {
        long end = bufStart + bufLen;
        float[] x = buf;
        float[] c = bank;
        double subPerPhase = rows / (double) phases;
        while (produced < limit && position + half < end) {
            int base = (int) (position - half + 1 - bufStart);
            float y;
            if (exact) {
                y = dot(x, base, c, phase * taps, taps);
            } else {
                double at = phase * subPerPhase;
                int row = (int) at;
                float w = (float) (at - row);
                float a = dot(x, base, c, row * taps, taps);
                float b = dot(x, base, c, (row + 1) * taps, taps);
                y = a + w * (b - a);
            }
            out.add(y);
            produced++;
            position += stepWhole;
            phase += stepPhase;
            if (phase >= phases) {
                phase -= phases;
                position++;
            }
        }
    }

    private static float dot(float[] x, int xo, float[] c, int co, int n) {
        float a0 = 0;
        float a1 = 0;
        float a2 = 0;
        float a3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            a0 += x[xo + j] * c[co + j];
            a1 += x[xo + j + 1] * c[co + j + 1];
            a2 += x[xo + j + 2] * c[co + j + 2];
            a3 += x[xo + j + 3] * c[co + j + 3];
        }
        for (; j < n; j++) {
            a0 += x[xo + j] * c[co + j];
        }
        return (a0 + a1) + (a2 + a3);
    }

    private void append(float[] in, int offset, int length) {
        compact();
        ensure(length);
        System.arraycopy(in, offset, buf, bufLen, length);
        bufLen += length;
    }

    /** Drops input no future output needs. */
    private void compact() {
        long keepFrom = position - half + 1;
        int drop = (int) Math.min(bufLen, Math.max(0, keepFrom - bufStart));
        if (drop > 0) {
            System.arraycopy(buf, drop, buf, 0, bufLen - drop);
            bufLen -= drop;
            bufStart += drop;
        }
    }

    private void ensure(int extra) {
        if (bufLen + extra > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(bufLen + extra, 2 * buf.length));
        }
    }

    /** Kernel value at distance {@code tau} input samples from the output instant. */
    private double kernel(double tau) {
        double u = Math.abs(tau * scale);
        if (u >= ZEROS) {
            return 0;
        }
        return scale * prototype(u);
    }

    /** The prototype low-pass at distance {@code u} samples of the lower rate. */
    static double prototype(double u) {
        double x = CUTOFF * u;
        double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        double r = u / ZEROS;
        double w = r >= 1 ? 0 : besselI0(BETA * Math.sqrt(1 - r * r)) / I0_BETA;
        return CUTOFF * sinc * w;
    }

    /**
     * Rows of kernel taps: exact, or (the interpolated bank, with one extra row a whole sample
     * on) read from the prototype table, which keeps building it cheap for any ratio.
     */
    private float[] buildBank() {
        int n = exact ? rows : rows + 1;
        float[] b = new float[n * taps];
        float[] t = exact ? null : table();
        for (int r = 0; r < n; r++) {
            double frac = r / (double) rows;
            for (int j = 0; j < taps; j++) {
                double tau = frac + half - 1 - j;
                b[r * taps + j] = (float) (exact ? kernel(tau) : tableKernel(t, tau));
            }
        }
        return b;
    }

    private double tableKernel(float[] t, double tau) {
        double at = Math.abs(tau * scale) * TABLE_DENSITY;
        if (at >= ZEROS * TABLE_DENSITY) {
            return 0;
        }
        int i = (int) at;
        double w = at - i;
        return scale * (t[i] + w * (t[i + 1] - t[i]));
    }

    /** The prototype sampled {@value #TABLE_DENSITY} times per unit (linear interpolation errs by about -120 dB). */
    private static float[] table() {
        float[] t = prototypeTable;
        if (t == null) {
            t = new float[ZEROS * TABLE_DENSITY + 2];
            for (int i = 0; i < ZEROS * TABLE_DENSITY; i++) {
                t[i] = (float) prototype(i / (double) TABLE_DENSITY);
            }
            prototypeTable = t;
        }
        return t;
    }

    /** Zeroth-order modified Bessel function of the first kind (power series). */
    static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 200; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
