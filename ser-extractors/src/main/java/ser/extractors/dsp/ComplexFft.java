package ser.extractors.dsp;

/**
 * Discrete Fourier transform of one fixed length {@code n} on split real/imaginary arrays,
 * in place: {@code X[k] = sum_t x[t] exp(-2 pi i k t / n)} (forward) and the unscaled inverse
 * {@code x[t] = sum_k X[k] exp(+2 pi i k t / n)}.
 *
 * <p>Powers of two use an iterative radix-2 transform with precomputed twiddles, {@code 3 * 2^k}
 * one radix-3 step over three of those ({@link #nextFastSize} picks the smallest such length for
 * zero padding); any other length uses Bluestein's chirp-z algorithm on a power-of-two transform,
 * so every length is exact to rounding. Why hand-written rather than TarsosDSP's {@code FloatFFT} (a JTransforms 2 port):
 * that class is single precision and, for sizes above 8192 on a multi-core machine, runs on a
 * global static thread pool, which breaks the "one extractor, one thread" contract and the shared
 * two-core budget; the utterance-level Hilbert transform needs those sizes. This class is checked
 * against a naive O(n^2) DFT in the tests.
 *
 * <p>Instances hold scratch (Bluestein, radix 3) and are therefore not thread-safe.
 */
public abstract class ComplexFft {

    protected final int n;

    ComplexFft(int n) {
        this.n = n;
    }

    /** A transform of length {@code n >= 1}. */
    public static ComplexFft of(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FFT length must be >= 1, got " + n);
        }
        if (isPowerOfTwo(n)) {
            return new Radix2(n);
        }
        return isThreeTimesPowerOfTwo(n) ? new Radix3(n) : new Bluestein(n);
    }

    public final int size() {
        return n;
    }

    /** Forward transform of {@code re[0..n), im[0..n)} in place. */
    public abstract void forward(double[] re, double[] im);

    /** Unscaled inverse transform in place (divide by {@code n} for the true inverse). */
    public abstract void inverse(double[] re, double[] im);

    public static boolean isPowerOfTwo(int n) {
        return n > 0 && (n & (n - 1)) == 0;
    }

    /** Whether {@code n = 3 * 2^k} for some {@code k >= 0}. */
    public static boolean isThreeTimesPowerOfTwo(int n) {
        return n > 0 && n % 3 == 0 && isPowerOfTwo(n / 3);
    }

    /**
     * Smallest length {@code >= n} with a fast transform here, {@code 2^a} or {@code 3 * 2^a}
     * (n >= 1, at most 2^30): a zero-padded linear convolution or correlation needs no more.
     */
    public static int nextFastSize(int n) {
        int p = nextPowerOfTwo(n);
        int three = 3 * (p >>> 2); // the only 3 * 2^a in (p / 2, p)
        return three >= n && p >= 4 ? three : p;
    }

    /** Smallest power of two {@code >= n} (n >= 1, at most 2^30). */
    public static int nextPowerOfTwo(int n) {
        if (n > (1 << 30)) {
            throw new IllegalArgumentException("FFT length too large: " + n);
        }
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    /**
     * A transform that can also run without any permutation pass: forward from natural-order
     * input to a spectrum left in a permuted order, and inverse from that order back to natural
     * order. {@link RealFft} reads and writes the permuted spectrum through {@link #order()} in its
     * O(n) split step: at 2^15 points a permutation pass alone cost as much as 40 % of a transform
     * (it is cache-hostile), at 2^8 about 5 %.
     */
    abstract static class Permuting extends ComplexFft {
        Permuting(int n) {
            super(n);
        }

        /** {@code order()[k]}: where spectrum bin k is kept by {@link #forwardToPermuted}. */
        abstract int[] order();

        /** Forward transform of natural-order input, in place; the output is permuted. */
        abstract void forwardToPermuted(double[] re, double[] im);

        /** Unscaled inverse of permuted input, in place; the output is in natural order. */
        abstract void inverseFromPermuted(double[] re, double[] im);
    }

    /**
     * Power-of-two transform from radix-2 stages fused pairwise into radix-2^2 passes (half as
     * many sweeps over memory), with each stage's twiddles stored contiguously so that every pass
     * reads them sequentially. Two directions of data flow:
     * <ul>
     * <li>decimation in time (DIT): bit-reversed input, natural-order output;</li>
     * <li>decimation in frequency (DIF): natural input, bit-reversed output.</li>
     * </ul>
     * {@link #forward}/{@link #inverse} permute the input and run DIT; the permutation-free
     * {@link #forwardToPermuted} runs DIF and {@link #inverseFromPermuted} DIT, the order being the
     * bit reversal. Blocks larger than {@link #BLOCK} points are transformed recursively (four quarters and one
     * fused pass over the whole block), so that most passes run on data that fits the caches.
     */
    static final class Radix2 extends Permuting {
        /** Largest block transformed by plain iterative passes (64 KB of re + im). */
        static final int BLOCK = 4096;

        private final int[] swapA; // bit-reversal swap pairs (i < j)
        private final int[] swapB;
        private final int[] rev;   // rev[k] = bit reversal of k
        private final double[] twr; // twiddles of stage L at offset L/2 - 4: cos(2 pi k / L), k < L/2
        private final double[] twi; // sin(2 pi k / L)

        Radix2(int n) {
            super(n);
            int bits = Integer.numberOfTrailingZeros(n);
            rev = new int[n];
            int pairs = 0;
            for (int i = 0; i < n; i++) {
                int j = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
                rev[i] = j;
                if (j > i) {
                    pairs++;
                }
            }
            swapA = new int[pairs];
            swapB = new int[pairs];
            int p = 0;
            for (int i = 0; i < n; i++) {
                int j = rev[i];
                if (j > i) {
                    swapA[p] = i;
                    swapB[p++] = j;
                }
            }
            int len = Math.max(0, n - 4);
            twr = new double[len];
            twi = new double[len];
            if (n >= 8) {
                double[] c = new double[n / 2];
                double[] s = new double[n / 2];
                Twiddles.fill(n, c, s);
                for (int size = 8; size <= n; size <<= 1) {
                    int half = size >>> 1;
                    int off = half - 4;
                    int step = n / size;
                    for (int k = 0; k < half; k++) {
                        twr[off + k] = c[k * step];
                        twi[off + k] = s[k * step];
                    }
                }
            }
        }

        /** {@code rev[k]}: the position of natural index k in bit-reversed order (an involution). */
        @Override
        int[] order() {
            return rev;
        }

        @Override
        public void forward(double[] re, double[] im) {
            permute(re, im);
            dit(re, im, -1.0, 0);
        }

        @Override
        public void inverse(double[] re, double[] im) {
            permute(re, im);
            dit(re, im, 1.0, 0);
        }

        /** Forward transform of natural-order input (DIF); the output is in bit-reversed order. */
        @Override
        void forwardToPermuted(double[] re, double[] im) {
            dif(re, im, -1.0, 0);
        }

        /** As {@link #forwardToPermuted} on {@code [start, start + n)}. */
        void forwardToPermuted(double[] re, double[] im, int start) {
            dif(re, im, -1.0, start);
        }

        /** Unscaled inverse of bit-reversed input (DIT); the output is in natural order. */
        @Override
        void inverseFromPermuted(double[] re, double[] im) {
            dit(re, im, 1.0, 0);
        }

        /** As {@link #inverseFromPermuted} on {@code [start, start + n)}. */
        void inverseFromPermuted(double[] re, double[] im, int start) {
            dit(re, im, 1.0, start);
        }

        private void permute(double[] re, double[] im) {
            final int[] sa = swapA;
            final int[] sb = swapB;
            for (int p = 0; p < sa.length; p++) {
                int i = sa[p];
                int j = sb[p];
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }

        private void dit(double[] re, double[] im, double sign, int start) {
            if (n == 1) {
                return;
            }
            if (n == 2) {
                butterfly2(re, im, start);
                return;
            }
            ditBlock(re, im, sign, start, n);
        }

        private void dif(double[] re, double[] im, double sign, int start) {
            if (n == 1) {
                return;
            }
            if (n == 2) {
                butterfly2(re, im, start);
                return;
            }
            difBlock(re, im, sign, start, n);
        }

        private static void butterfly2(double[] re, double[] im, int i) {
            double ar = re[i], ai = im[i];
            re[i] = ar + re[i + 1];
            im[i] = ai + im[i + 1];
            re[i + 1] = ar - re[i + 1];
            im[i + 1] = ai - im[i + 1];
        }

        /** All DIT stages of sizes up to {@code len} (>= 4) within {@code [start, start + len)}. */
        private void ditBlock(double[] re, double[] im, double sign, int start, int len) {
            if (len > BLOCK) {
                int q = len >>> 2;
                for (int b = 0; b < 4; b++) {
                    ditBlock(re, im, sign, start + b * q, q);
                }
                ditPair(re, im, sign, start, len, len >>> 1);
                return;
            }
            dit42(re, im, sign, start, len);
            int size = 8;
            for (; size * 2 <= len; size <<= 2) {
                ditPair(re, im, sign, start, len, size);
            }
            if (size <= len) {
                ditSingle(re, im, sign, start, len, size);
            }
        }

        /** All DIF stages of sizes down from {@code len} (>= 4) within {@code [start, start + len)}. */
        private void difBlock(double[] re, double[] im, double sign, int start, int len) {
            if (len > BLOCK) {
                difPair(re, im, sign, start, len, len);
                int q = len >>> 2;
                for (int b = 0; b < 4; b++) {
                    difBlock(re, im, sign, start + b * q, q);
                }
                return;
            }
            int size = len;
            for (; size >= 16; size >>>= 2) {
                difPair(re, im, sign, start, len, size);
            }
            if (size == 8) {
                difSingle(re, im, sign, start, len, size);
            }
            dif42(re, im, sign, start, len);
        }

        /** DIT stages of sizes 2 and 4 together: twiddles 1 and (sign * i). */
        private static void dit42(double[] re, double[] im, double sign, int start, int len) {
            for (int i = start, end = start + len; i < end; i += 4) {
                double r0 = re[i], i0 = im[i], r1 = re[i + 1], i1 = im[i + 1];
                double r2 = re[i + 2], i2 = im[i + 2], r3 = re[i + 3], i3 = im[i + 3];
                double ar = r0 + r1, ai = i0 + i1, br = r0 - r1, bi = i0 - i1;
                double cr = r2 + r3, ci = i2 + i3, dr = r2 - r3, di = i2 - i3;
                // t = (sign * i) * d
                double tr = -sign * di, ti = sign * dr;
                re[i] = ar + cr;
                im[i] = ai + ci;
                re[i + 2] = ar - cr;
                im[i + 2] = ai - ci;
                re[i + 1] = br + tr;
                im[i + 1] = bi + ti;
                re[i + 3] = br - tr;
                im[i + 3] = bi - ti;
            }
        }

        /** DIF stages of sizes 4 and 2 together (the transpose of {@link #dit42}). */
        private static void dif42(double[] re, double[] im, double sign, int start, int len) {
            for (int i = start, end = start + len; i < end; i += 4) {
                double r0 = re[i], i0 = im[i], r1 = re[i + 1], i1 = im[i + 1];
                double r2 = re[i + 2], i2 = im[i + 2], r3 = re[i + 3], i3 = im[i + 3];
                double ar = r0 + r2, ai = i0 + i2, cr = r0 - r2, ci = i0 - i2;
                double br = r1 + r3, bi = i1 + i3, ur = r1 - r3, ui = i1 - i3;
                // d = (sign * i) * u
                double dr = -sign * ui, di = sign * ur;
                re[i] = ar + br;
                im[i] = ai + bi;
                re[i + 1] = ar - br;
                im[i + 1] = ai - bi;
                re[i + 2] = cr + dr;
                im[i + 2] = ci + di;
                re[i + 3] = cr - dr;
                im[i + 3] = ci - di;
            }
        }

        /** DIT stages {@code size} and {@code 2 size} in one sweep over the block. */
        private void ditPair(double[] re, double[] im, double sign, int start, int len, int size) {
            final double[] wr = twr;
            final double[] wi = twi;
            final int half = size >>> 1;        // stage L butterflies span half
            final int offL = half - 4;           // twiddles W_L^k
            final int off2L = size - 4;          // twiddles W_2L^k
            final int group = size << 1;
            for (int g = start, end = start + len; g < end; g += group) {
                for (int k = 0; k < half; k++) {
                    int a = g + k;
                    int b = a + half;
                    int c = a + size;
                    int d = c + half;
                    double w1r = wr[offL + k], w1i = sign * wi[offL + k];
                    double w2r = wr[off2L + k], w2i = sign * wi[off2L + k];
                    // stage L: (a, b) and (c, d) with W1
                    double xr = re[b], xi = im[b];
                    double tr = w1r * xr - w1i * xi, ti = w1r * xi + w1i * xr;
                    double ar = re[a] + tr, ai = im[a] + ti;
                    double br = re[a] - tr, bi = im[a] - ti;
                    xr = re[d];
                    xi = im[d];
                    tr = w1r * xr - w1i * xi;
                    ti = w1r * xi + w1i * xr;
                    double cr = re[c] + tr, ci = im[c] + ti;
                    double dr = re[c] - tr, di = im[c] - ti;
                    // stage 2L: (a, c) with W2, (b, d) with W3 = W2 * (sign * i)
                    tr = w2r * cr - w2i * ci;
                    ti = w2r * ci + w2i * cr;
                    re[a] = ar + tr;
                    im[a] = ai + ti;
                    re[c] = ar - tr;
                    im[c] = ai - ti;
                    double ur = w2r * dr - w2i * di, ui = w2r * di + w2i * dr;
                    tr = -sign * ui;
                    ti = sign * ur;
                    re[b] = br + tr;
                    im[b] = bi + ti;
                    re[d] = br - tr;
                    im[d] = bi - ti;
                }
            }
        }

        /**
         * DIF stages {@code size} and {@code size / 2} in one sweep over the block (the transpose
         * of {@link #ditPair} for {@code size / 2}).
         */
        private void difPair(double[] re, double[] im, double sign, int start, int len, int size) {
            final double[] wr = twr;
            final double[] wi = twi;
            final int half = size >>> 1;
            final int quarter = size >>> 2;
            final int offL = quarter - 4;        // twiddles W_{size/2}^k
            final int off2L = half - 4;          // twiddles W_size^k
            for (int g = start, end = start + len; g < end; g += size) {
                for (int k = 0; k < quarter; k++) {
                    int a = g + k;
                    int b = a + quarter;
                    int c = a + half;
                    int d = c + quarter;
                    double w1r = wr[offL + k], w1i = sign * wi[offL + k];
                    double w2r = wr[off2L + k], w2i = sign * wi[off2L + k];
                    // stage size: (a, c) with W2, (b, d) with W2 * (sign * i)
                    double ar0 = re[a], ai0 = im[a], cr0 = re[c], ci0 = im[c];
                    double ar = ar0 + cr0, ai = ai0 + ci0;
                    double tr = ar0 - cr0, ti = ai0 - ci0;
                    double cr = w2r * tr - w2i * ti, ci = w2r * ti + w2i * tr;
                    double br0 = re[b], bi0 = im[b], dr0 = re[d], di0 = im[d];
                    double br = br0 + dr0, bi = bi0 + di0;
                    tr = br0 - dr0;
                    ti = bi0 - di0;
                    double ur = w2r * tr - w2i * ti, ui = w2r * ti + w2i * tr;
                    double dr = -sign * ui, di = sign * ur;
                    // stage size / 2: (a, b) and (c, d) with W1
                    re[a] = ar + br;
                    im[a] = ai + bi;
                    tr = ar - br;
                    ti = ai - bi;
                    re[b] = w1r * tr - w1i * ti;
                    im[b] = w1r * ti + w1i * tr;
                    re[c] = cr + dr;
                    im[c] = ci + di;
                    tr = cr - dr;
                    ti = ci - di;
                    re[d] = w1r * tr - w1i * ti;
                    im[d] = w1r * ti + w1i * tr;
                }
            }
        }

        /** One DIT stage of {@code size}. */
        private void ditSingle(double[] re, double[] im, double sign, int start, int len, int size) {
            final double[] wr = twr;
            final double[] wi = twi;
            final int half = size >>> 1;
            final int off = half - 4;
            for (int g = start, end = start + len; g < end; g += size) {
                for (int k = 0; k < half; k++) {
                    int i = g + k;
                    int j = i + half;
                    double w1r = wr[off + k], w1i = sign * wi[off + k];
                    double xr = re[j], xi = im[j];
                    double tr = w1r * xr - w1i * xi, ti = w1r * xi + w1i * xr;
                    double ur = re[i], ui = im[i];
                    re[j] = ur - tr;
                    im[j] = ui - ti;
                    re[i] = ur + tr;
                    im[i] = ui + ti;
                }
            }
        }

        /** One DIF stage of {@code size}. */
        private void difSingle(double[] re, double[] im, double sign, int start, int len, int size) {
            final double[] wr = twr;
            final double[] wi = twi;
            final int half = size >>> 1;
            final int off = half - 4;
            for (int g = start, end = start + len; g < end; g += size) {
                for (int k = 0; k < half; k++) {
                    int i = g + k;
                    int j = i + half;
                    double w1r = wr[off + k], w1i = sign * wi[off + k];
                    double ur = re[i], ui = im[i], xr = re[j], xi = im[j];
                    re[i] = ur + xr;
                    im[i] = ui + xi;
                    double tr = ur - xr, ti = ui - xi;
                    re[j] = w1r * tr - w1i * ti;
                    im[j] = w1r * ti + w1i * tr;
                }
            }
        }
    }

    /**
     * Length {@code n = 3 m}, m a power of two: one radix-3 step and three {@link Radix2}
     * transforms of length m, about 3/4 of the work of the next power of two (e.g. 768 points
     * rather than 1024 for a zero-padded correlation) and far less than Bluestein. Forward is
     * decimation in frequency: {@code u_r[j] = W_n^{rj} sum_q W_3^{rq} x[j + q m]} ({@code j < m},
     * in place at {@code r m + j}), then each block's DIF gives {@code X[3k + r]} at
     * {@code r m + rev(k)}, the {@link #order()}. The inverse is the transpose: the blocks' DIT,
     * then the radix-3 step with conjugate twiddles. {@link #forward}/{@link #inverse} (natural
     * order) add a permutation through scratch.
     */
    static final class Radix3 extends Permuting {
        private static final double SIN_60 = Math.sqrt(3.0) / 2.0;

        private final int m;
        private final Radix2 sub;
        private final int[] order;  // order[k]: where X[k] is kept in the permuted spectrum
        private final double[] w1r; // cos(2 pi j / n), j < m
        private final double[] w1i; // sin(2 pi j / n)
        private final double[] w2r; // cos(2 pi 2j / n)
        private final double[] w2i; // sin(2 pi 2j / n)
        private final double[] sr;  // scratch for the natural-order transforms
        private final double[] si;

        Radix3(int n) {
            super(n);
            if (!isThreeTimesPowerOfTwo(n)) {
                throw new IllegalArgumentException("radix-3 FFT length must be 3 * 2^k, got " + n);
            }
            m = n / 3;
            sub = new Radix2(m);
            int[] rev = sub.order();
            order = new int[n];
            for (int k = 0; k < m; k++) {
                for (int r = 0; r < 3; r++) {
                    order[3 * k + r] = r * m + rev[k];
                }
            }
            int h = n / 2;
            double[] c = new double[h + 1];
            double[] s = new double[h + 1];
            Twiddles.fill(n, c, s);
            w1r = new double[m];
            w1i = new double[m];
            w2r = new double[m];
            w2i = new double[m];
            for (int j = 0; j < m; j++) {
                w1r[j] = c[j]; // j < m <= n / 2
                w1i[j] = s[j];
                int j2 = 2 * j; // < 2n / 3: cos(2 pi j2 / n) = cos(2 pi (n - j2) / n), sin negated
                w2r[j] = j2 <= h ? c[j2] : c[n - j2];
                w2i[j] = j2 <= h ? s[j2] : -s[n - j2];
            }
            sr = new double[n];
            si = new double[n];
        }

        @Override
        int[] order() {
            return order;
        }

        @Override
        public void forward(double[] re, double[] im) {
            forwardToPermuted(re, im);
            final int[] o = order;
            for (int k = 0; k < n; k++) {
                sr[k] = re[o[k]];
                si[k] = im[o[k]];
            }
            System.arraycopy(sr, 0, re, 0, n);
            System.arraycopy(si, 0, im, 0, n);
        }

        @Override
        public void inverse(double[] re, double[] im) {
            final int[] o = order;
            for (int k = 0; k < n; k++) {
                sr[o[k]] = re[k];
                si[o[k]] = im[k];
            }
            System.arraycopy(sr, 0, re, 0, n);
            System.arraycopy(si, 0, im, 0, n);
            inverseFromPermuted(re, im);
        }

        @Override
        void forwardToPermuted(double[] re, double[] im) {
            final int m = this.m;
            final double[] ar = w1r, ai = w1i, br = w2r, bi = w2i;
            final double s = -SIN_60; // W_3 = exp(-2 pi i / 3) = -1/2 + i s
            for (int a = 0, b = m, c = 2 * m; a < m; a++, b++, c++) {
                double x0r = re[a], x0i = im[a], x1r = re[b], x1i = im[b], x2r = re[c], x2i = im[c];
                double sumr = x1r + x2r, sumi = x1i + x2i;
                re[a] = x0r + sumr;
                im[a] = x0i + sumi;
                double mr = x0r - 0.5 * sumr, mi = x0i - 0.5 * sumi;
                double vr = -s * (x1i - x2i), vi = s * (x1r - x2r); // i s (x1 - x2)
                // u1 = W^j (m + v), u2 = W^2j (m - v), W = exp(-2 pi i / n)
                double ur = mr + vr, ui = mi + vi;
                re[b] = ar[a] * ur + ai[a] * ui;
                im[b] = ar[a] * ui - ai[a] * ur;
                ur = mr - vr;
                ui = mi - vi;
                re[c] = br[a] * ur + bi[a] * ui;
                im[c] = br[a] * ui - bi[a] * ur;
            }
            sub.forwardToPermuted(re, im, 0);
            sub.forwardToPermuted(re, im, m);
            sub.forwardToPermuted(re, im, 2 * m);
        }

        @Override
        void inverseFromPermuted(double[] re, double[] im) {
            final int m = this.m;
            sub.inverseFromPermuted(re, im, 0);
            sub.inverseFromPermuted(re, im, m);
            sub.inverseFromPermuted(re, im, 2 * m);
            final double[] ar = w1r, ai = w1i, br = w2r, bi = w2i;
            final double s = SIN_60; // conjugate: W_3^-1 = -1/2 + i s
            for (int a = 0, b = m, c = 2 * m; a < m; a++, b++, c++) {
                // t1 = W^-j v1, t2 = W^-2j v2
                double xr = re[b], xi = im[b];
                double t1r = ar[a] * xr - ai[a] * xi, t1i = ar[a] * xi + ai[a] * xr;
                xr = re[c];
                xi = im[c];
                double t2r = br[a] * xr - bi[a] * xi, t2i = br[a] * xi + bi[a] * xr;
                double x0r = re[a], x0i = im[a];
                double sumr = t1r + t2r, sumi = t1i + t2i;
                re[a] = x0r + sumr;
                im[a] = x0i + sumi;
                double mr = x0r - 0.5 * sumr, mi = x0i - 0.5 * sumi;
                double vr = -s * (t1i - t2i), vi = s * (t1r - t2r);
                re[b] = mr + vr;
                im[b] = mi + vi;
                re[c] = mr - vr;
                im[c] = mi - vi;
            }
        }
    }

    /** Bluestein's algorithm: a length-n DFT as a convolution of power-of-two length. */
    static final class Bluestein extends ComplexFft {
        private final Radix2 conv;
        private final double[] wr; // chirp exp(-i pi t^2 / n)
        private final double[] wi;
        private final double[] bRe; // FFT of the conjugate chirp filter
        private final double[] bIm;
        private final double[] aRe;
        private final double[] aIm;

        Bluestein(int n) {
            super(n);
            int m = nextPowerOfTwo(2 * n - 1);
            conv = new Radix2(m);
            wr = new double[n];
            wi = new double[n];
            long twoN = 2L * n;
            for (int t = 0; t < n; t++) {
                long sq = ((long) t * t) % twoN;
                double angle = Math.PI * sq / n;
                wr[t] = Math.cos(angle);
                wi[t] = -Math.sin(angle);
            }
            bRe = new double[m];
            bIm = new double[m];
            bRe[0] = wr[0];
            bIm[0] = -wi[0];
            for (int t = 1; t < n; t++) {
                bRe[t] = wr[t];
                bIm[t] = -wi[t];
                bRe[m - t] = wr[t];
                bIm[m - t] = -wi[t];
            }
            conv.forwardToPermuted(bRe, bIm); // the product below is order-free
            aRe = new double[m];
            aIm = new double[m];
        }

        @Override
        public void forward(double[] re, double[] im) {
            run(re, im);
        }

        @Override
        public void inverse(double[] re, double[] im) {
            // inverse(x) = conj(forward(conj(x)))
            for (int i = 0; i < n; i++) {
                im[i] = -im[i];
            }
            run(re, im);
            for (int i = 0; i < n; i++) {
                im[i] = -im[i];
            }
        }

        private void run(double[] re, double[] im) {
            int m = aRe.length;
            for (int t = 0; t < n; t++) {
                double xr = re[t], xi = im[t];
                aRe[t] = xr * wr[t] - xi * wi[t];
                aIm[t] = xr * wi[t] + xi * wr[t];
            }
            java.util.Arrays.fill(aRe, n, m, 0.0);
            java.util.Arrays.fill(aIm, n, m, 0.0);
            conv.forwardToPermuted(aRe, aIm);
            for (int k = 0; k < m; k++) {
                double xr = aRe[k], xi = aIm[k];
                aRe[k] = xr * bRe[k] - xi * bIm[k];
                aIm[k] = xr * bIm[k] + xi * bRe[k];
            }
            conv.inverseFromPermuted(aRe, aIm);
            double scale = 1.0 / m;
            for (int k = 0; k < n; k++) {
                double xr = aRe[k] * scale, xi = aIm[k] * scale;
                re[k] = xr * wr[k] - xi * wi[k];
                im[k] = xr * wi[k] + xi * wr[k];
            }
        }
    }
}
