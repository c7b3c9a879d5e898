package ser.pipeline.audio;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Streaming rational-ratio (or, for awkward ratios, finely interpolated) polyphase resampling by
 * a {@link KaiserLowPass} kernel: output sample {@code n} is the kernel-filtered input evaluated
 * at input time {@code n * inRate / outRate}, exactly (integer phase arithmetic, no drift).
 * Where the ratio's period is small enough (all common rates), the kernel is precomputed for
 * every phase; otherwise for {@value #SUBPHASES} sub-phases per input sample, the output
 * interpolated linearly between the two nearest (error below -110 dB).
 *
 * <p>The input before time 0 is either zeros ({@code zeroHistory}) or supplied by the caller,
 * who then starts feeding at input time {@code -historyLength()}. One instance converts one
 * stream; not thread-safe. The precomputed kernels are shared.
 */
final class PolyphaseFilter {

    /** Largest per-phase kernel bank (floats) computed exactly (all common rates need far less). */
    private static final int MAX_BANK = 1 << 18;
    /** Sub-phases of the interpolated bank used when the exact one would be larger. */
    static final int SUBPHASES = 1024;
    /** Banks kept for reuse; beyond this many the cache starts afresh (memory stays bounded). */
    private static final int MAX_CACHED_BANKS = 32;
    private static final ConcurrentHashMap<BankKey, float[]> BANKS = new ConcurrentHashMap<>();

    private record BankKey(int inRate, int outRate, KaiserLowPass design, boolean exact) {
    }

    private final int inRate;
    private final KaiserLowPass design;
    private final int phases;
    private final int stepWhole;
    private final int stepPhase;
    private final int half;
    private final int taps;
    /** Exact: one kernel row per phase. Otherwise {@link #rows} rows interpolated linearly in between. */
    private final boolean exact;
    private final int rows;
    private final float[] bank;

    private float[] buf;
    private long bufStart;
    private int bufLen;
    private long produced;
    private long position;
    private int phase;
    private long limit = Long.MAX_VALUE;

    PolyphaseFilter(int inRate, int outRate, KaiserLowPass design, boolean precompute, boolean zeroHistory) {
        this.inRate = inRate;
        this.design = design;
        int g = gcd(inRate, outRate);
        this.phases = outRate / g;
        int step = inRate / g;
        this.stepWhole = step / phases;
        this.stepPhase = step % phases;
        this.half = (int) Math.ceil(design.halfSamples(inRate)) + 1;
        this.taps = 2 * half;
        this.exact = precompute && (long) phases * taps <= MAX_BANK;
        // Linear interpolation between rows 1/S of an input sample apart errs by about
        // (pi / S)^2 / 8 of full scale: below -110 dB for S >= 512.
        this.rows = exact ? phases : SUBPHASES;
        BankKey key = new BankKey(inRate, outRate, design, exact);
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
        this.bufLen = zeroHistory ? half : 0;
    }

    /** Input samples before time 0 the first output needs (when not zero history). */
    int historyLength() {
        return half;
    }

    /** Multiply-adds per output sample. */
    int taps() {
        return exact ? taps : 2 * taps;
    }

    /** Feeds input samples and appends every output sample they complete. */
    void process(float[] in, int offset, int length, SampleBuffer out) {
        append(in, offset, length);
        drain(out, limit);
    }

    /** Produces at most {@code total} output samples (set once the input's length is known). */
    void limit(long total) {
        limit = total;
    }

    /** Ends the input (zeros beyond it) and appends output samples until there are {@code total}. */
    void finish(SampleBuffer out, long total) {
        limit = total;
        compact();
        ensure(half + 1);
        Arrays.fill(buf, bufLen, bufLen + half + 1, 0f);
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
            buf = Arrays.copyOf(buf, Math.max(bufLen + extra, 2 * buf.length));
        }
    }

    /** Rows of kernel taps: one per phase, or (interpolated) one per sub-phase plus one a whole sample on. */
    private float[] buildBank() {
        int n = exact ? rows : rows + 1;
        float[] b = new float[n * taps];
        for (int r = 0; r < n; r++) {
            double frac = r / (double) rows;
            for (int j = 0; j < taps; j++) {
                b[r * taps + j] = (float) design.at(frac + half - 1 - j, inRate);
            }
        }
        return b;
    }

    static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
