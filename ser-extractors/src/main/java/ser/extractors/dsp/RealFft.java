package ser.extractors.dsp;

/**
 * DFT of a real sequence of fixed length {@code n}: bins {@code 0..n/2}. Even lengths pack the
 * signal into a complex sequence of length {@code n/2} (one half-size complex transform plus an
 * O(n) split); odd lengths fall back to a full complex transform. Not thread-safe (scratch).
 */
public final class RealFft {

    private final int n;
    private final int half;
    private final ComplexFft fft;
    private final double[] zr;
    private final double[] zi;
    private final double[] cos; // cos(2 pi k / n), k <= n/2
    private final double[] sin;
    private final ComplexFft.Radix2 radix2; // the half-size transform when it is a power of two
    private final int[] rev;               // its bit reversal: Z[k] is kept at zr[rev[k]]

    public RealFft(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("real FFT length must be >= 2, got " + n);
        }
        this.n = n;
        this.half = n / 2;
        boolean even = n % 2 == 0;
        this.fft = ComplexFft.of(even ? half : n);
        this.zr = new double[even ? half : n];
        this.zi = new double[even ? half : n];
        this.radix2 = fft instanceof ComplexFft.Radix2 r ? r : null;
        this.rev = radix2 != null ? radix2.bitReversal() : null;
        if (even) {
            cos = new double[half + 1];
            sin = new double[half + 1];
            Twiddles.fill(n, cos, sin);
        } else {
            cos = null;
            sin = null;
        }
    }

    public int size() {
        return n;
    }

    /** Number of output bins, {@code n / 2 + 1}. */
    public int bins() {
        return half + 1;
    }

    /**
     * Forward transform of {@code x[0..n)}: writes {@code re[k], im[k]} for {@code k <= n/2}.
     * {@code x} is not modified.
     */
    public void forward(double[] x, double[] re, double[] im) {
        if (n % 2 != 0) {
            System.arraycopy(x, 0, zr, 0, n);
            java.util.Arrays.fill(zi, 0.0);
            fft.forward(zr, zi);
            System.arraycopy(zr, 0, re, 0, half + 1);
            System.arraycopy(zi, 0, im, 0, half + 1);
            return;
        }
        final int h = half;
        for (int k = 0; k < h; k++) {
            zr[k] = x[2 * k];
            zi[k] = x[2 * k + 1];
        }
        if (radix2 != null) {
            splitBitReversed(re, im);
            return;
        }
        fft.forward(zr, zi);
        // X[k] = E[k] + W^k O[k], E = (Z[k] + conj Z[h-k]) / 2, O = (Z[k] - conj Z[h-k]) / 2i
        re[0] = zr[0] + zi[0];
        im[0] = 0.0;
        re[h] = zr[0] - zi[0];
        im[h] = 0.0;
        for (int k = 1; k < h; k++) {
            double ar = zr[k], ai = zi[k];
            double br = zr[h - k], bi = -zi[h - k];
            double er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
            // (a - b) / (2i) = (ai - bi)/2 - i (ar - br)/2
            double or = 0.5 * (ai - bi), oi = -0.5 * (ar - br);
            double wr = cos[k], wi = -sin[k];
            re[k] = er + wr * or - wi * oi;
            im[k] = ei + wr * oi + wi * or;
        }
    }

    /** {@link #forward}'s split step reading Z in the bit-reversed order of a DIF transform. */
    private void splitBitReversed(double[] re, double[] im) {
        radix2.forwardToBitReversed(zr, zi);
        final int h = half;
        final int[] p = rev;
        re[0] = zr[0] + zi[0];
        im[0] = 0.0;
        re[h] = zr[0] - zi[0];
        im[h] = 0.0;
        for (int k = 1; k < h; k++) {
            int pk = p[k];
            int pm = p[h - k];
            double ar = zr[pk], ai = zi[pk];
            double br = zr[pm], bi = -zi[pm];
            double er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
            double or = 0.5 * (ai - bi), oi = -0.5 * (ar - br);
            double wr = cos[k], wi = -sin[k];
            re[k] = er + wr * or - wi * oi;
            im[k] = ei + wr * oi + wi * or;
        }
    }

    /**
     * Inverse of {@link #forward} for even {@code n}: from bins {@code 0..n/2} (imaginary parts of
     * bins 0 and n/2 ignored) writes the real sequence {@code x[0..n)}, scaled by {@code 1/n}.
     */
    public void inverse(double[] re, double[] im, double[] x) {
        if (n % 2 != 0) {
            throw new UnsupportedOperationException("inverse real FFT needs an even length, got " + n);
        }
        final int h = half;
        // Z[k] = E[k] + i O[k] with E = (X[k] + conj X[h-k]) / 2, O = (X[k] - conj X[h-k]) W^-k / 2
        for (int k = 0; k < h; k++) {
            double ar = re[k], ai = k == 0 ? 0.0 : im[k];
            double br = re[h - k], bi = (h - k == h || h - k == 0) ? 0.0 : -im[h - k];
            double er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
            double dr = 0.5 * (ar - br), di = 0.5 * (ai - bi);
            double wr = cos[k], wi = sin[k];
            double or = dr * wr - di * wi, oi = dr * wi + di * wr;
            int pk = rev != null ? rev[k] : k; // a DIT inverse reads bit-reversed input
            zr[pk] = er - oi;
            zi[pk] = ei + or;
        }
        if (radix2 != null) {
            radix2.inverseFromBitReversed(zr, zi);
        } else {
            fft.inverse(zr, zi);
        }
        double scale = 1.0 / h;
        for (int k = 0; k < h; k++) {
            x[2 * k] = zr[k] * scale;
            x[2 * k + 1] = zi[k] * scale;
        }
    }
}
