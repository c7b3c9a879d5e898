package ser.extractors.dsp;

import ser.api.FrameGrid;

/**
 * The one short-time Fourier transform of this module, shared by the MFCC and spectral
 * extractors: frame {@code t} of the {@link FrameGrid} (zero padded outside the signal, as
 * librosa's {@code center=True, pad_mode='constant'}), times a periodic Hann window of the grid's
 * frame length, real FFT of that same length ({@code n_fft = frameLength}), power {@code |X|^2}
 * of bins {@code 0..n/2} (the magnitude is its square root).
 *
 * <p>Each extractor owns its instance, so MFCC and spectral each transform a clip once. A
 * shared, per-utterance cache would save that second STFT (about 4 us per frame) but needs
 * state outside the extractor instances; the plugin contract keeps them self-contained.
 *
 * <p>Instances keep scratch buffers: one thread at a time.
 */
public final class Stft {

    private final FrameGrid grid;
    private final int nfft;
    private final int bins;
    private final double[] window;
    private final RealFft fft;
    private final double[] frame;
    private final double[] re;
    private final double[] im;
    private double[] spectrogram = new double[0];

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
     * ({@code [t * bins() + k]}), in this instance's buffer: valid until its next call.
     */
    public double[] powerSpectrogram(float[] signal, int frames) {
        long size = (long) frames * bins;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("spectrogram of " + frames + " frames is too large");
        }
        if (spectrogram.length < size) {
            spectrogram = new double[(int) size];
        }
        for (int t = 0; t < frames; t++) {
            power(signal, t, spectrogram, t * bins);
        }
        return spectrogram;
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
