package ser.pipeline.audio;

/**
 * Band-limited sample-rate conversion, streaming (block in, block out), so that converting a long
 * file needs no full-length intermediate copy.
 *
 * <p>Response, relative to the lower of the two rates' Nyquist frequency: flat (ripple below
 * 0.001 dB) up to {@value #PASSBAND}, at least {@value #ATTENUATION_DB} dB down from
 * {@value #STOPBAND} on. So when converting to 16 kHz, everything up to 7.5 kHz is kept and
 * nothing at or above 8 kHz aliases back. (TarsosDSP's {@code be.tarsos.dsp.resample.Resampler},
 * the libresample port on our class path, was measured first: its fixed roll-off (0.90) and
 * Kaiser beta (6) give, for 44.1 or 48 kHz to 16 kHz, -3 dB at 7 kHz, -13.6 dB at 7.5 kHz and a
 * stopband only about 64 dB down (8.1 to 9 kHz), and none of it can be configured.)
 *
 * <p>That narrow transition band (1/16 of the Nyquist frequency) needs a kernel about 10 ms
 * long: applied directly, 488 multiply-adds per 16 kHz output sample from 48 kHz. Down-sampling
 * by at least {@value #TWO_STAGE_RATIO} therefore runs in two stages: the sharp low-pass by FFT
 * overlap-save at the input rate ({@link FftLowPass}, also halving the rate while it is at least
 * {@value #TWO_STAGE_RATIO} times the output rate), then a polyphase stage
 * ({@link PolyphaseFilter}) whose kernel only has to keep the pass band and reject its images,
 * which start at the intermediate rate minus the output Nyquist frequency: a wide transition and
 * a kernel of about 20 taps. Up-sampling (the images sit right above the pass band) and nearly
 * equal rates use the sharp kernel directly.
 *
 * <p>Output sample {@code n} is the band-limited input evaluated at input time
 * {@code n * inRate / outRate}, exactly (integer phase arithmetic, no drift), so a clip of
 * {@code N} input frames gives {@code ceil(N * outRate / inRate)} output samples and sample 0
 * is aligned with input sample 0; the input is zero outside the clip.
 *
 * <p>One instance converts one stream; it is not thread-safe. Kernels are shared.
 */
public final class Resampler {

    /** Passband edge, as a fraction of the lower rate's Nyquist frequency. */
    public static final double PASSBAND = 0.9375;
    /** Stopband edge, as a fraction of the lower rate's Nyquist frequency. */
    public static final double STOPBAND = 1.0;
    /** Stopband attenuation (dB). */
    public static final double ATTENUATION_DB = 80;
    /**
     * Attenuation the kernels are designed for: Kaiser's formulas are approximate, and with 80 dB
     * the stop band measured only 79.9 dB just above its edge (22,050 Hz to 16 kHz, 8,015 Hz);
     * 90 dB measures at least 89 dB (tests check the promised 80).
     */
    static final double DESIGN_ATTENUATION_DB = 90;
    /** Down-sampling ratios from this on use the two stages (and each halving keeps at least it). */
    static final double TWO_STAGE_RATIO = 1.25;

    private final int inRate;
    private final int outRate;
    /** The sharp low-pass of a two-stage conversion, null when direct. */
    private final FftLowPass lowPass;
    private final PolyphaseFilter polyphase;
    private long consumed;
    private boolean finished;
    private SampleBuffer target;
    private final FftLowPass.Sink toPolyphase = (y, n) -> polyphaseStage().process(y, 0, n, target);

    public Resampler(int inRate, int outRate) {
        this(inRate, outRate, true);
    }

    /** @param precompute false forces the interpolated sub-phase kernel bank (tests compare the two) */
    Resampler(int inRate, int outRate, boolean precompute) {
        this(inRate, outRate, precompute, true);
    }

    /** @param twoStage false forces the direct single-stage conversion (tests and benchmarks compare) */
    Resampler(int inRate, int outRate, boolean precompute, boolean twoStage) {
        if (inRate <= 0 || outRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive, got " + inRate + " -> " + outRate);
        }
        this.inRate = inRate;
        this.outRate = outRate;
        int lower = Math.min(inRate, outRate);
        double nyquist = lower / 2.0;
        KaiserLowPass sharp = KaiserLowPass.design(PASSBAND * nyquist, STOPBAND * nyquist, DESIGN_ATTENUATION_DB, lower);
        if (twoStage && inRate >= TWO_STAGE_RATIO * outRate) {
            int decimation = 1;
            while (inRate % (2 * decimation) == 0 && inRate / (2 * decimation) >= TWO_STAGE_RATIO * outRate) {
                decimation *= 2;
            }
            int mid = inRate / decimation;
            // images of the kept band [0, nyquist] start at mid - nyquist
            KaiserLowPass images = KaiserLowPass.design(PASSBAND * nyquist, mid - STOPBAND * nyquist, DESIGN_ATTENUATION_DB, mid);
            this.polyphase = new PolyphaseFilter(mid, outRate, images, precompute, false);
            this.lowPass = new FftLowPass(inRate, sharp, decimation, -polyphase.historyLength());
        } else {
            this.polyphase = new PolyphaseFilter(inRate, outRate, sharp, precompute, true);
            this.lowPass = null;
        }
    }

    private PolyphaseFilter polyphaseStage() {
        return polyphase;
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
        return resample(new Resampler(inRate, outRate), x);
    }

    static float[] resample(Resampler r, float[] x) {
        long n = outputLength(x.length, r.inRate, r.outRate);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("resampled signal too long: " + n + " samples");
        }
        SampleBuffer out = new SampleBuffer(n, "signal", false);
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

    /** Whether this conversion runs the FFT low-pass and the short polyphase stage. */
    boolean twoStage() {
        return lowPass != null;
    }

    /** Feeds input samples and appends every output sample they complete. */
    public void process(float[] in, int offset, int length, SampleBuffer out) {
        if (finished) {
            throw new IllegalStateException("resampler already finished");
        }
        consumed += length;
        if (lowPass == null) {
            polyphase.process(in, offset, length, out);
        } else {
            target = out;
            lowPass.process(in, offset, length, toPolyphase);
        }
    }

    /** Ends the input (zeros beyond it) and appends the remaining output samples. */
    public void finish(SampleBuffer out) {
        if (finished) {
            return;
        }
        finished = true;
        long total = outputLength(consumed, inRate, outRate);
        polyphase.limit(total);
        if (lowPass != null) {
            target = out;
            lowPass.finish(toPolyphase);
        }
        polyphase.finish(out, total);
    }
}
