package ser.extractors.dsp;

import ser.api.FrameGrid;

import java.lang.ref.WeakReference;

/**
 * The one short-time Fourier transform of this module, shared by the MFCC and spectral
 * extractors: frame {@code t} of the {@link FrameGrid} (zero padded outside the signal, as
 * librosa's {@code center=True, pad_mode='constant'}), times a periodic Hann window of the grid's
 * frame length, real FFT of that same length ({@code n_fft = frameLength}), power {@code |X|^2}
 * of bins {@code 0..n/2} (the magnitude is its square root).
 *
 * <p>{@link #powerSpectrogram} computes every frame of a clip and keeps the result in a
 * per-thread, single-entry cache keyed by the identity of the sample array (clips are immutable
 * by contract) and the grid: when the runner hands the same clip to the MFCC and the spectral
 * extractor on one thread, the second one reuses the first one's spectra instead of computing the
 * STFT again. Results are bit-identical either way. The cache holds a weak reference to the
 * samples and at most {@link #CACHE_MAX_VALUES} doubles (4 MB, about 20 s of audio on the
 * default grid); longer clips are computed into a private buffer and not shared.
 *
 * <p>Instances keep scratch buffers: one thread at a time.
 */
public final class Stft {

    /** Largest spectrogram (frames x bins) kept in the per-thread cache. */
    public static final int CACHE_MAX_VALUES = 1 << 19;

    private static final ThreadLocal<CacheEntry> LAST = ThreadLocal.withInitial(CacheEntry::new);

    private static final class CacheEntry {
        WeakReference<float[]> samples = new WeakReference<>(null);
        FrameGrid grid;
        int frames = -1;
        double[] power = new double[0];
    }

    private final FrameGrid grid;
    private final int nfft;
    private final int bins;
    private final double[] window;
    private final RealFft fft;
    private final double[] frame;
    private final double[] re;
    private final double[] im;
    private double[] privatePower = new double[0];

    public Stft(FrameGrid grid) {
        this.grid = grid;
        this.nfft = grid.frameLength();
        if (nfft < 2) {
            throw new IllegalArgumentException("STFT needs a frame length >= 2, got " + nfft);
        }
        this.bins = nfft / 2 + 1;
        this.window = Windows.hannPeriodic(nfft);
        this.fft = new RealFft(nfft);
        this.frame = new double[nfft];
        this.re = new double[bins];
        this.im = new double[bins];
    }

    public FrameGrid grid() {
        return grid;
    }

    /** Number of frequency bins, {@code n_fft / 2 + 1}. */
    public int bins() {
        return bins;
    }

    /** Centre frequency of bin {@code k} in Hz ({@code librosa.fft_frequencies}). */
    public double binFrequency(int k) {
        return k * (double) grid.sampleRate() / nfft;
    }

    /** Power spectrum of frame {@code t} into {@code power[off..off + bins)}. */
    public void power(float[] signal, int t, double[] power, int off) {
        transform(signal, t);
        for (int k = 0; k < bins; k++) {
            power[off + k] = re[k] * re[k] + im[k] * im[k];
        }
    }

    /**
     * Power spectra of frames {@code t < frames} of {@code signal}, row-major
     * ({@code [t * bins() + k]}). The array is shared (see the class comment): read it before the
     * next call on this thread and never modify it.
     */
    public double[] powerSpectrogram(float[] signal, int frames) {
        long size = (long) frames * bins;
        CacheEntry e = LAST.get();
        if (e.frames == frames && e.samples.get() == signal && grid.equals(e.grid)) {
            return e.power;
        }
        double[] out;
        if (size <= CACHE_MAX_VALUES) {
            if (e.power.length < size) {
                e.power = new double[(int) Math.min(CACHE_MAX_VALUES, Math.max(size, e.power.length * 3L / 2))];
            }
            e.frames = -1; // invalid while being filled
            out = e.power;
        } else {
            if (privatePower.length < size) {
                privatePower = new double[(int) size];
            }
            out = privatePower;
        }
        for (int t = 0; t < frames; t++) {
            power(signal, t, out, t * bins);
        }
        if (out == e.power) {
            e.samples = new WeakReference<>(signal);
            e.grid = grid;
            e.frames = frames;
        }
        return out;
    }

    private void transform(float[] signal, int t) {
        final int n = nfft;
        final int start = grid.frameStart(t);
        final double[] f = frame;
        final double[] w = window;
        int from = Math.max(0, -start);
        int to = Math.min(n, signal.length - start);
        for (int i = 0; i < Math.min(from, n); i++) {
            f[i] = 0.0;
        }
        for (int i = from; i < to; i++) {
            f[i] = w[i] * signal[start + i];
        }
        for (int i = Math.max(to, from); i < n; i++) {
            f[i] = 0.0;
        }
        fft.forward(f, re, im);
    }
}
