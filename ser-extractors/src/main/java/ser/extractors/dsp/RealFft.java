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
    private final int[] order;                     // where Z[k] is kept: zr[order[k]]

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
        this.order = permuting != null ? permuting.order() : identity(even ? half : 0);
        if (even) {
            cos = new double[half + 1];
            sin = new double[half + 1];
            Twiddles.fill(n, cos, sin);
        } else {
            cos = null;
            sin = null;
        }
    }

    private static int[] identity(int n) {
        int[] id = new int[n];
        for (int k = 0; k < n; k++) {
            id[k] = k;
        }
        return id;
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
            permuting.forwardToPermuted(zr, zi);
        } else {
            fft.forward(zr, zi);
        }
        split(re, im);
    }

    /**
     * {@link #forward}'s split step, reading Z where {@link #order} keeps it: {@code X[k] = E[k]
     * + W^k O[k]} with {@code E = (Z[k] + conj Z[h-k]) / 2}, {@code O = (Z[k] - conj Z[h-k]) / 2i}.
     * Bins k and h - k share E and O up to conjugation, so one pass over half the bins writes
     * both (each bin with the operations, in the order, that it would get alone: same values).
     */
    private void split(double[] re, double[] im) {
        final int h = half;
        final int[] p = order;
        final double[] c = cos;
        final double[] sn = sin;
        re[0] = zr[p[0]] + zi[p[0]];
        im[0] = 0.0;
        re[h] = zr[p[0]] - zi[p[0]];
        im[h] = 0.0;
        int k = 1;
        for (int m = h - 1; k < m; k++, m--) {
            int pk = p[k];
            int pm = p[m];
            double ar = zr[pk], ai = zi[pk];
            double br = zr[pm], bi = -zi[pm];
            double er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
            // (a - b) / (2i) = (ai - bi)/2 - i (ar - br)/2
            double or = 0.5 * (ai - bi), oi = -0.5 * (ar - br);
            double wr = c[k], wi = -sn[k];
            re[k] = er + wr * or - wi * oi;
            im[k] = ei + wr * oi + wi * or;
            // bin m: E conjugated (-ei), O conjugated (-oi)
            double wrm = c[m], wim = -sn[m];
            re[m] = er + wrm * or - wim * -oi;
            im[m] = -ei + wrm * -oi + wim * or;
        }
        if (k == h - k) {
            int pk = p[k];
            double ar = zr[pk], ai = zi[pk];
            double br = ar, bi = -ai;
            double er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
            double or = 0.5 * (ai - bi), oi = -0.5 * (ar - br);
            double wr = c[k], wi = -sn[k];
            re[k] = er + wr * or - wi * oi;
            im[k] = ei + wr * oi + wi * or;
        }
    }

    /**
     * {@link #inverse}'s pre-step for a bin without a partner (0, and h/2 when h is even): Z from
     * {@code a = X[k]}, {@code b = conj X[h-k]} and {@code W^-k = (wr, wi)}, written at {@code at}.
     */
    private void inverseBin(double ar, double ai, double br, double bi, double wr, double wi, int at) {
        double er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
        double dr = 0.5 * (ar - br), di = 0.5 * (ai - bi);
        double or = dr * wr - di * wi, oi = dr * wi + di * wr;
        zr[at] = er - oi;
        zi[at] = ei + or;
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
        // Z[k] = E[k] + i O[k] with E = (X[k] + conj X[h-k]) / 2, O = (X[k] - conj X[h-k]) W^-k / 2,
        // written where the transform reads it (a permuting inverse reads permuted input); as in
        // split(), bins k and h - k share E (conjugated) and O (negated and conjugated)
        final int[] p = order;
        final double[] c = cos;
        final double[] sn = sin;
        inverseBin(re[0], 0.0, re[h], 0.0, c[0], sn[0], p[0]);
        int k = 1;
        for (int m = h - 1; k < m; k++, m--) {
            double ar = re[k], ai = im[k];
            double br = re[m], bi = -im[m];
            double er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
            double dr = 0.5 * (ar - br), di = 0.5 * (ai - bi);
            double wr = c[k], wi = sn[k];
            double or = dr * wr - di * wi, oi = dr * wi + di * wr;
            zr[p[k]] = er - oi;
            zi[p[k]] = ei + or;
            // bin m: the same er and di, ei and dr negated
            wr = c[m];
            wi = sn[m];
            or = -dr * wr - di * wi;
            oi = -dr * wi + di * wr;
            zr[p[m]] = er - oi;
            zi[p[m]] = -ei + or;
        }
        if (k == h - k) {
            inverseBin(re[k], im[k], re[k], -im[k], c[k], sn[k], p[k]);
        }
        if (permuting != null) {
            permuting.inverseFromPermuted(zr, zi);
        } else {
            fft.inverse(zr, zi);
        }
        double scale = 1.0 / h;
        for (int t = 0; t < h; t++) {
            x[2 * t] = zr[t] * scale;
            x[2 * t + 1] = zi[t] * scale;
        }
    }
}
