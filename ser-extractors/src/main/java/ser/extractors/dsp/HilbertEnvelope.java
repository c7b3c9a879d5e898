package ser.extractors.dsp;

import java.util.HashMap;
import java.util.Map;

/**
 * Amplitude envelope {@code |x + j H{x}|} of a whole signal, with the analytic signal computed by
 * FFT as {@code scipy.signal.hilbert} does (one-sided spectrum: DC and Nyquist kept once, positive
 * frequencies doubled), except that the signal is first zero padded to the next power of two
 * {@code L >= n}: the result is {@code abs(scipy.signal.hilbert(x, N=L))[:n]}. Padding makes the
 * transform a fast radix-2 one and also separates the end of the signal from its start (the
 * discrete Hilbert transform is circular). Implementation: real FFT of length L, multiply by
 * {@code -j sgn(f)}, real inverse FFT gives {@code H{x}}; envelope {@code sqrt(x^2 + H{x}^2)}.
 *
 * <p>Keeps FFT plans and scratch buffers for transform lengths up to {@link #RETAIN_MAX} (16 s of
 * audio at 16 kHz; about 10 MB); longer signals use temporary ones, so that one very long clip
 * does not pin hundreds of megabytes per thread. One thread at a time.
 */
public final class HilbertEnvelope {

    /** Largest transform length whose plan and scratch are kept between calls. */
    public static final int RETAIN_MAX = 1 << 18;

    private final Map<Integer, RealFft> plans = new HashMap<>();
    private double[] buf = new double[0];
    private double[] re = new double[0];
    private double[] im = new double[0];

    /** Writes the envelope of {@code x[0..n)} into {@code out[0..n)}. */
    public void envelope(float[] x, int n, double[] out) {
        if (n == 0) {
            return;
        }
        if (n == 1) {
            out[0] = Math.abs(x[0]);
            return;
        }
        int len = ComplexFft.nextPowerOfTwo(n);
        RealFft fft;
        double[] buf;
        double[] re;
        double[] im;
        if (len <= RETAIN_MAX) {
            fft = plans.computeIfAbsent(len, RealFft::new);
            if (this.buf.length < len) {
                this.buf = new double[len];
                this.re = new double[len / 2 + 1];
                this.im = new double[len / 2 + 1];
            }
            buf = this.buf;
            re = this.re;
            im = this.im;
        } else {
            fft = new RealFft(len);
            buf = new double[len];
            re = new double[len / 2 + 1];
            im = new double[len / 2 + 1];
        }
        for (int i = 0; i < n; i++) {
            buf[i] = x[i];
        }
        java.util.Arrays.fill(buf, n, len, 0.0);
        fft.forward(buf, re, im);
        int half = len / 2;
        // Y = -j sgn(k) X: bins 1..half-1 -> (im, -re); DC and Nyquist -> 0
        re[0] = 0.0;
        im[0] = 0.0;
        for (int k = 1; k < half; k++) {
            double r = re[k];
            re[k] = im[k];
            im[k] = -r;
        }
        re[half] = 0.0;
        im[half] = 0.0;
        fft.inverse(re, im, buf);
        for (int i = 0; i < n; i++) {
            double h = buf[i];
            double v = x[i];
            out[i] = Math.sqrt(v * v + h * h);
        }
    }
}
