package ser.extractors.dsp;

/**
 * DFT of a real sequence of fixed length {@code n}: bins {@code 0..n/2}. Even lengths pack the
 * signal into a complex sequence of length {@code n/2} (one half-size complex transform plus an
 * O(n) split); odd lengths fall back to a full complex transform. When the half size is
 * {@code 2^k} or {@code 3 * 2^k} the split step reads (and the inverse's writes) the half-size
 * spectrum in the permuted order its transform leaves it in, so no pass permutes. Not
 * thread-safe (scratch).
 */
public final class RealFft {

    private final int n;
    private final int half;
    private final ComplexFft fft;
    private final double[] zr;
    private final double[] zi;
    private final double[] cos; // cos(2 pi k / n), k <= n/2
    private final double[] sin;
    private final ComplexFft.Permuting permuting; // the half-size transform when it has that form
    private final int[] order;                     // its spectrum order: Z[k] is kept at zr[order[k]]

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
        this.permuting = even && fft instanceof ComplexFft.Permuting p ? p : null;
        this.order = permuting != null ? permuting.order() : null;
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
        if (permuting != null) {
            splitPermuted(re, im);
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

    /** {@link #forward}'s split step reading Z in the order its transform leaves it in. */
    private void splitPermuted(double[] re, double[] im) {
        permuting.forwardToPermuted(zr, zi);
        final int h = half;
        final int[] p = order;
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
            int pk = order != null ? order[k] : k; // a permuting inverse reads permuted input
            zr[pk] = er - oi;
            zi[pk] = ei + or;
        }
        if (permuting != null) {
            permuting.inverseFromPermuted(zr, zi);
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
