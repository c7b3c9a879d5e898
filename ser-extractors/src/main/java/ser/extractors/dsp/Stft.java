package ser.extractors.dsp;

import ser.api.AudioClip;
import ser.api.FrameGrid;

/**
 * The one short-time Fourier transform of this module, shared by the MFCC and spectral
 * extractors: frame {@code t} of the {@link FrameGrid} (zero padded outside the signal, as
 * librosa's {@code center=True, pad_mode='constant'}), times a periodic Hann window of the grid's
 * frame length, real FFT of that same length ({@code n_fft = frameLength}), power {@code |X|^2}
 * of bins {@code 0..n/2} (the magnitude is its square root).
 *
 * <p>Each extractor owns an instance (window, plan, scratch), but the power spectrogram of a clip
 * is computed once per clip and grid by whichever extractor asks first and kept in the clip's
 * analysis memo ({@link #sharedPowerSpectrogram}, key {@link PowerKey}): MFCC and spectral then
 * share one STFT, and so can any other extractor on the same grid.
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

    /**
     * Memo key of the shared power spectrogram: the grid fixes everything else (periodic Hann of
     * the frame length, n_fft = frame length, non-finite samples read as 0).
     */
    public record PowerKey(FrameGrid grid) {
    }

    /** The power spectrogram of a whole clip: frame {@code t}, bin {@code k} at {@code [t * bins + k]}. */
    public record PowerSpectrogram(double[] power, int frames, int bins) {
    }

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
     * The power spectrogram of {@code clip} on this grid ({@code grid.frameCount} frames of
     * {@link Signals#finite} samples), computed once per clip and shared through its analysis
     * memo: read-only for every caller.
     */
    public PowerSpectrogram sharedPowerSpectrogram(AudioClip clip) {
        return clip.analysis(new PowerKey(grid), c -> {
            float[] x = Signals.finite(c);
            int frames = grid.frameCount(x.length);
            long size = (long) frames * bins;
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("spectrogram of " + frames + " frames is too large");
            }
            double[] power = new double[(int) size];
            for (int t = 0; t < frames; t++) {
                power(x, t, power, t * bins);
            }
            return new PowerSpectrogram(power, frames, bins);
        });
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
