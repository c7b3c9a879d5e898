package ser.pipeline.audio;

import be.tarsos.dsp.util.fft.FloatFFT;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Streaming linear-phase FIR low-pass by FFT overlap-save, optionally keeping only every
 * {@code decimation}-th output (a power of two): the block's spectrum, multiplied by the
 * kernel's (real, zero-phase) response, is folded onto the {@code 1/decimation} band and
 * inverse-transformed at the reduced size, which yields exactly the decimated samples of the
 * filtered block. Output sample {@code i} is the filtered input at input time
 * {@code (first + i) * decimation} ({@code first} may be negative: the filter's response before
 * time 0, the input being zero there).
 *
 * <p>Cost per input sample: about one real FFT of {@code fftSize} divided by the block advance,
 * {@code fftSize - kernel length + 1}, i.e. O(log fftSize), against one multiply-add per kernel
 * tap for direct convolution. Transforms are TarsosDSP's {@link FloatFFT} (a JTransforms port),
 * at sizes up to 8192, where it never uses its thread pool; its float rounding (about -130 dB)
 * is far below the filter's stop band.
 *
 * <p>One instance filters one stream; not thread-safe. Responses are shared.
 */
final class FftLowPass {

    /** Largest transform: above 8192 TarsosDSP's FloatFFT would start threads of its own. */
    static final int MAX_FFT = 8192;
    private static final int MAX_CACHED = 32;
    private static final ConcurrentHashMap<Key, float[]> RESPONSES = new ConcurrentHashMap<>();

    private record Key(int rate, KaiserLowPass design, int fftSize, int half, int decimation) {
    }

    private final int decimation;
    private final int half;
    private final int fftSize;
    private final int block;
    private final FloatFFT forward;
    private final FloatFFT inverse;
    /** Response per bin {@code 0..fftSize/2}, divided by the decimation (the inverse's scaling). */
    private final float[] response;
    private final float[] in;
    private final float[] work;
    private final float[] folded;
    private final float[] emitted;
    private int filled;
    /** Input time of the first output sample of the current block. */
    private long blockStart;
    private long consumed;

    /**
     * @param first index of the first output sample (times {@code decimation}: its input time)
     */
    FftLowPass(int rate, KaiserLowPass design, int decimation, long first) {
        if (decimation < 1 || Integer.bitCount(decimation) != 1) {
            throw new IllegalArgumentException("decimation must be a power of two, got " + decimation);
        }
        this.decimation = decimation;
        // half-length rounded up to whole decimation steps so that block edges stay on the output grid
        int h = (int) Math.ceil(design.halfSamples(rate));
        this.half = (h + decimation - 1) / decimation * decimation;
        int kernel = 2 * half + 1;
        int size = Math.max(256, Integer.highestOneBit(8 * kernel - 1) << 1);
        while (size > MAX_FFT && size / 2 >= 2 * kernel) {
            size /= 2;
        }
        if (size - 2 * half < decimation || size / decimation < 2) {
            throw new IllegalArgumentException("low-pass kernel too long for an FFT of " + size + " at " + rate + " Hz");
        }
        this.fftSize = size;
        this.block = (size - 2 * half) / decimation * decimation;
        this.forward = new FloatFFT(size);
        this.inverse = decimation == 1 ? forward : new FloatFFT(size / decimation);
        Key key = new Key(rate, design, size, half, decimation);
        float[] r = RESPONSES.get(key);
        if (r == null) {
            r = response(rate, design, size, half, decimation);
            if (RESPONSES.size() >= MAX_CACHED) {
                RESPONSES.clear();
            }
            RESPONSES.putIfAbsent(key, r);
        }
        this.response = r;
        this.in = new float[size];
        this.work = new float[size];
        this.folded = new float[size / decimation];
        this.emitted = new float[block / decimation];
        this.blockStart = first * decimation;
        // the first block reads input from blockStart - half on; before time 0 it is zero
        long lead = -(blockStart - half);
        if (lead < 0) {
            throw new IllegalArgumentException("first output must be at or before time " + half);
        }
        this.filled = (int) Math.min(lead, size);
        if (lead > size) {
            throw new IllegalArgumentException("first output too early: " + first);
        }
    }

    private static float[] response(int rate, KaiserLowPass design, int size, int half, int decimation) {
        float[] h = new float[size];
        for (int j = -half; j <= half; j++) {
            h[Math.floorMod(j, size)] = (float) design.at(j, rate);
        }
        new FloatFFT(size).realForward(h);
        // symmetric kernel: the spectrum is real (the imaginary parts are rounding noise)
        float[] r = new float[size / 2 + 1];
        r[0] = h[0] / decimation;
        r[size / 2] = h[1] / decimation;
        for (int k = 1; k < size / 2; k++) {
            r[k] = h[2 * k] / decimation;
        }
        return r;
    }

    /** Input samples the filter reaches on either side. */
    int halfLength() {
        return half;
    }

    /** Feeds input; hands every completed run of output samples to {@code sink}. */
    void process(float[] x, int offset, int length, Sink sink) {
        consumed += length;
        while (length > 0) {
            int n = Math.min(length, fftSize - filled);
            System.arraycopy(x, offset, in, filled, n);
            filled += n;
            offset += n;
            length -= n;
            if (filled == fftSize) {
                runBlock(sink);
            }
        }
    }

    /** Ends the input (zeros beyond it) and emits output up to where the filter's response ends. */
    void finish(Sink sink) {
        long end = consumed + half;
        while (blockStart <= end) {
            Arrays.fill(in, filled, fftSize, 0f);
            filled = fftSize;
            runBlock(sink);
        }
    }

    private void runBlock(Sink sink) {
        float[] a = work;
        System.arraycopy(in, 0, a, 0, fftSize);
        forward.realForward(a);
        float[] r = response;
        int nyquist = fftSize / 2;
        a[0] *= r[0];
        a[1] *= r[nyquist];
        for (int k = 1; k < nyquist; k++) {
            a[2 * k] *= r[k];
            a[2 * k + 1] *= r[k];
        }
        float[] y;
        if (decimation == 1) {
            y = a;
        } else {
            fold(a, folded);
            y = folded;
        }
        inverse.realInverse(y, true);
        int count = block / decimation;
        System.arraycopy(y, half / decimation, emitted, 0, count);
        sink.accept(emitted, count);
        // the next block starts block samples on; keep the overlap
        System.arraycopy(in, block, in, 0, fftSize - block);
        filled = fftSize - block;
        blockStart += block;
    }

    /**
     * The spectrum of every {@code decimation}-th sample of the block: bins {@code k + q m}
     * (m = size / decimation) summed over q, with bins above Nyquist the conjugates of those
     * below. Packed as FloatFFT's real format (re, im pairs; element 1 holds bin m/2).
     */
    private void fold(float[] a, float[] z) {
        int n = fftSize;
        int m = n / decimation;
        for (int k = 0; k <= m / 2; k++) {
            float re = 0;
            float im = 0;
            for (int q = 0; q < decimation; q++) {
                int b = k + q * m;
                int c = b <= n / 2 ? b : n - b;
                float sign = b <= n / 2 ? 1 : -1;
                re += binRe(a, c, n);
                im += sign * binIm(a, c, n);
            }
            if (k == 0) {
                z[0] = re;
            } else if (k == m / 2) {
                z[1] = re;
            } else {
                z[2 * k] = re;
                z[2 * k + 1] = im;
            }
        }
    }

    private static float binRe(float[] a, int k, int n) {
        return k == 0 ? a[0] : k == n / 2 ? a[1] : a[2 * k];
    }

    private static float binIm(float[] a, int k, int n) {
        return k == 0 || k == n / 2 ? 0 : a[2 * k + 1];
    }

    /** Receives output samples {@code y[0..n)} (the array is reused: copy what is kept). */
    interface Sink {
        void accept(float[] y, int n);
    }
}
