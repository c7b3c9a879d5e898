package ser.extractors.dsp;

import java.util.Arrays;

/**
 * Approximate Entropy (Pincus 1991) by exact fast algorithms.
 *
 * <p>Definition (identical to the brute force): for {@code x[0..N)}, templates
 * {@code u_i = (x_i, ..., x_{i+m-1})}, {@code i < M = N-m+1}; {@code C_i^m = #{j < M : max_k
 * |x_{i+k} - x_{j+k}| <= r} / M}, self-matches counted; {@code phi(m) = mean_i ln C_i^m};
 * {@code phi(m+1)} likewise over the {@code N-m} templates of length {@code m+1};
 * {@code ApEn = phi(m) - phi(m+1)}.
 *
 * <p>Both algorithms start by sorting the N samples by value (a radix sort on float keys plus an
 * exact fix-up); since subtraction is monotone, the samples within {@code r} of a sample {@code b}
 * (exactly as the brute force tests them, {@code |x_a - x_b| <= r}) form a contiguous run
 * {@code [lo_b, hi_b]} of sorted positions, found for all b by one two-pointer sweep.
 * <ul>
 * <li>{@link Algorithm#SCAN} (sort, then windowed scan): for each template in sorted order of
 * its first value, the following templates while their first value is within r are candidates,
 * checked on the remaining coordinates; each pair is visited once and counted for both. Cost:
 * the number of pairs whose first values are within r.</li>
 * <li>{@link Algorithm#BITSET} (sort, then bit-parallel run intersection): templates are numbered
 * by the sorted position of their first value, and a template's matches are bit sets over those
 * numbers. Coordinate 0 is the contiguous run {@code [lo_i, hi_i]} itself; coordinate k is
 * {@code Q_k[hi_{i+k}+1] & ~Q_k[lo_{i+k}]}, where the prefix set {@code Q_k[s]} holds the
 * templates j whose sample {@code j+k} is among the first s in sorted order. Intersecting over
 * k = 1..m-1 and popcounting the words of the coordinate-0 run gives {@code C_i^m}; one more
 * intersection (k = m) gives {@code C_i^{m+1}}. Cost: {@code m N^2/64} word operations to build
 * the prefix sets plus 64 template pairs per word operation over the runs, independent of how
 * many pairs match (envelopes and other smooth or skewed signals match densely). For long
 * inputs the prefix sets are built per block of columns to bound memory (about 4 MB).</li>
 * <li>{@link Algorithm#AUTO}: SCAN when the number of scan candidates (known exactly after the
 * two-pointer sweep) is below the bit-set work estimate, else BITSET.</li>
 * </ul>
 * Counts are integers from the same comparisons as the brute force, so the result is exact up
 * to the summation of logs (tested to 1e-9 against the brute-force golden cases and the naive
 * implementation). Logs of counts come from a table of {@code ln k}.
 *
 * <p>Degenerate inputs: {@code N <= m} (no template of length m+1) gives 0; with
 * {@link #compute}, zero variance gives 0 (every template matches every other, so phi(m) =
 * phi(m+1) = 0, which is also what the definition yields for r = 0).
 *
 * <p>Instances keep scratch buffers: one thread at a time.
 */
public final class ApproximateEntropy {

    /** Which exact algorithm to run. */
    public enum Algorithm { SCAN, BITSET, AUTO }

    /** Memory cap for the prefix bit sets of one column block, in longs (4 MB). */
    private static final int BLOCK_LONGS = 1 << 19;

    private final Algorithm algorithm;
    private int[] ukeys = new int[0];
    private int[] ukeys2 = new int[0];
    private int[] so2 = new int[0];
    private final int[] histogram = new int[256];
    private int[] so = new int[0];      // sample indices in sorted order
    private double[] sv = new double[0]; // sorted sample values
    private int[] lo = new int[0];       // per sample: first sorted position within r
    private int[] hi = new int[0];       // per sample: last sorted position within r
    private int[] tpos = new int[0];     // per template: rank among templates in sorted order
    private int[] tcum = new int[0];     // templates among the first s sorted positions
    private int[] byRank = new int[0];   // template index of each rank
    private int[] cm = new int[0];
    private int[] cm1 = new int[0];
    private long[] prefix = new long[0];
    private int[] rowScratch = new int[0];
    private int[] rowScratch2 = new int[0];
    private double[][] cols = new double[0][];
    private int[] order = new int[0];
    private double[] lnTable = {0.0};
    private Algorithm lastUsed;

    public ApproximateEntropy() {
        this(Algorithm.AUTO);
    }

    public ApproximateEntropy(Algorithm algorithm) {
        this.algorithm = algorithm;
    }

    /** The algorithm the last call ran (AUTO resolved), for tests and benchmarks. */
    public Algorithm lastUsed() {
        return lastUsed;
    }

    /**
     * Approximate Entropy with {@code r = rFactor * std(x)} (population standard deviation of the
     * {@code n} values); zero variance gives 0.
     */
    public double compute(double[] x, int off, int n, int m, double rFactor) {
        if (n <= m) {
            return 0.0;
        }
        double sd = populationStd(x, off, n);
        if (sd == 0.0) {
            return 0.0;
        }
        return apen(x, off, n, m, rFactor * sd);
    }

    /** Population (ddof = 0) standard deviation, two-pass. */
    public static double populationStd(double[] x, int off, int n) {
        if (n <= 0) {
            return 0.0;
        }
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            sum += x[off + i];
        }
        double mean = sum / n;
        double ss = 0.0;
        for (int i = 0; i < n; i++) {
            double d = x[off + i] - mean;
            ss += d * d;
        }
        return Math.sqrt(ss / n);
    }

    /** Approximate Entropy of {@code x[off..off+n)} with absolute tolerance {@code r >= 0}. */
    public double apen(double[] x, int off, int n, int m, double r) {
        if (m < 1) {
            throw new IllegalArgumentException("m must be >= 1, got " + m);
        }
        if (!(r >= 0)) {
            throw new IllegalArgumentException("r must be >= 0, got " + r);
        }
        if (n <= m) {
            return 0.0;
        }
        final int templates = n - m + 1;
        final int longTemplates = n - m;
        ensure(n, m);
        sortSamples(x, off, n);
        long candidates = neighbourRuns(n, r);
        Algorithm use = algorithm;
        if (use == Algorithm.AUTO) {
            // measured costs, in units of one bit-set word operation: a scan candidate ~3; the
            // bit sets ~m (N+1) W to build plus ~8 per template and ~1/8 per candidate to count
            long words = (templates + 63) / 64;
            long bitsetWork = (long) m * (n + 1) * words + 8L * templates + candidates / 8;
            use = 3 * candidates < bitsetWork ? Algorithm.SCAN : Algorithm.BITSET;
        }
        lastUsed = use;
        if (use == Algorithm.SCAN) {
            scan(x, off, n, m, r);
        } else {
            bitset(n, m);
        }
        double sumM = 0.0;
        double sumM1 = 0.0;
        final double[] ln = lnTable;
        for (int i = 0; i < templates; i++) {
            sumM += ln[cm[i]];
            if (i < longTemplates) {
                sumM1 += ln[cm1[i]];
            }
        }
        double phiM = sumM / templates - ln[templates];
        double phiM1 = sumM1 / longTemplates - ln[longTemplates];
        return phiM - phiM1;
    }

    private void ensure(int n, int m) {
        if (so.length < n) {
            int cap = Math.max(n, so.length * 3 / 2);
            ukeys = new int[cap];
            ukeys2 = new int[cap];
            so2 = new int[cap];
            so = new int[cap];
            sv = new double[cap];
            lo = new int[cap + 1];
            hi = new int[cap + 1];
            tpos = new int[cap];
            tcum = new int[cap + 1];
            byRank = new int[cap];
            cm = new int[cap];
            cm1 = new int[cap];
            order = new int[cap];
            cols = new double[0][];
        }
        if (rowScratch.length < m + 1) {
            rowScratch = new int[m + 1];
            rowScratch2 = new int[m + 1];
        }
        if (lnTable.length <= n) {
            int cap = Math.max(n + 1, lnTable.length * 3 / 2);
            double[] t = new double[cap];
            for (int k = 1; k < cap; k++) {
                t[k] = Math.log(k);
            }
            lnTable = t;
        }
    }

    /**
     * Sorts sample indices by value. Keys: an order-preserving 32-bit image of each value rounded
     * to float, minus the smallest, scaled down so the range fits 16 bits; two stable 8-bit radix
     * passes on that key; then an exact insertion fix-up on the doubles (keys are monotone in the
     * value, so only runs of equal keys can be out of order, and they are short).
     */
    private void sortSamples(double[] x, int off, int n) {
        int[] k = ukeys;
        int[] idx = so;
        int[] k2 = ukeys2;
        int[] idx2 = so2;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToIntBits((float) x[off + i]);
            int u = bits < 0 ? ~bits : bits | 0x80000000; // unsigned order = numeric order
            k[i] = u;
            long ul = u & 0xffffffffL;
            min = Math.min(min, ul);
            max = Math.max(max, ul);
        }
        long range = max - min;
        int shift = 0;
        while ((range >>> shift) > 0xffff) {
            shift++;
        }
        for (int i = 0; i < n; i++) {
            k[i] = (int) (((k[i] & 0xffffffffL) - min) >>> shift);
            idx[i] = i;
        }
        final int[] count = histogram;
        for (int pass = 0; pass < 2; pass++) {
            int sh = pass * 8;
            Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[(k[i] >>> sh) & 0xff]++;
            }
            if (count[(k[0] >>> sh) & 0xff] == n) {
                continue;
            }
            int sum = 0;
            for (int d = 0; d < 256; d++) {
                int c = count[d];
                count[d] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                int key = k[i];
                int pos = count[(key >>> sh) & 0xff]++;
                k2[pos] = key;
                idx2[pos] = idx[i];
            }
            int[] t = k;
            k = k2;
            k2 = t;
            t = idx;
            idx = idx2;
            idx2 = t;
        }
        if (idx != so) {
            System.arraycopy(idx, 0, so, 0, n);
        }
        final int[] o = so;
        final double[] v = sv;
        for (int q = 0; q < n; q++) {
            v[q] = x[off + o[q]];
        }
        for (int q = 1; q < n; q++) {
            double val = v[q];
            if (v[q - 1] <= val) {
                continue;
            }
            int id = o[q];
            int p = q - 1;
            while (p >= 0 && v[p] > val) {
                v[p + 1] = v[p];
                o[p + 1] = o[p];
                p--;
            }
            v[p + 1] = val;
            o[p + 1] = id;
        }
    }

    /**
     * Runs {@code [lo_b, hi_b]} of sorted positions within r of each sample b (by index), and the
     * number of scan candidates: pairs of sorted positions {@code p > q} within r.
     */
    private long neighbourRuns(int n, double r) {
        final double[] v = sv;
        final int[] o = so;
        final int[] lw = lo;
        final int[] hg = hi;
        // Two-pointer walks (lower ends ascending, upper ends descending), written branch-free:
        // the predicate "d > r" is the sign bit of r - d (exact for finite values: r - d < 0 iff
        // d > r). A data-dependent loop exit would mispredict about once per sample. Each walk is
        // a serial chain (the next load depends on the last comparison), so the sorted positions
        // are split in two halves and the four walks (lower/upper ends of each half) run
        // interleaved; the second half's walks start where a binary search with the same
        // predicate puts them, i.e. exactly where the first half's walks would have arrived.
        final int mid = n >>> 1;            // n > m >= 1, so 1 <= mid < n
        final int last = n - 1;
        // lower ends: walk A over q in [0, mid), walk B over q in [mid, n)
        int qa = 0;
        int la = 0;
        int qb = mid;
        int lb = firstWithin(v, mid, r);
        // upper ends: walk C over q in (mid - 1, n) descending, walk D over q in [0, mid) descending
        int qc = last;
        int hc = last;
        int qd = mid - 1;
        int hd = lastWithin(v, n, mid - 1, r);
        long pairs = 0;
        while (qa < mid || qb < n || qc >= mid || qd >= 0) {
            int aa = qa < mid ? 1 : 0;
            int sa = qa < mid ? qa : mid - 1;
            int adva = (int) (Double.doubleToRawLongBits(r - (v[sa] - v[la])) >>> 63) & aa;
            lw[o[sa]] = la;                 // the last write for each q is its final value
            la += adva;
            qa += aa - adva;
            int ab = qb < n ? 1 : 0;
            int sb = qb < n ? qb : last;
            int advb = (int) (Double.doubleToRawLongBits(r - (v[sb] - v[lb])) >>> 63) & ab;
            lw[o[sb]] = lb;
            lb += advb;
            qb += ab - advb;
            int ac = qc >= mid ? 1 : 0;
            int sc = qc >= mid ? qc : mid;
            int backc = (int) (Double.doubleToRawLongBits(r - (v[hc] - v[sc])) >>> 63) & ac;
            hg[o[sc]] = hc;
            int donec = ac - backc;
            pairs += (long) donec * (hc - sc);
            hc -= backc;
            qc -= donec;
            int ad = qd >= 0 ? 1 : 0;
            int sd = qd >= 0 ? qd : 0;
            int backd = (int) (Double.doubleToRawLongBits(r - (v[hd] - v[sd])) >>> 63) & ad;
            hg[o[sd]] = hd;
            int doned = ad - backd;
            pairs += (long) doned * (hd - sd);
            hd -= backd;
            qd -= doned;
        }
        return pairs;
    }

    /** Smallest sorted position p <= q with {@code v[q] - v[p] <= r} (the lower end of q's run). */
    private static int firstWithin(double[] v, int q, double r) {
        int a = 0;
        int b = q;   // v[q] - v[q] = 0 <= r: b always satisfies the predicate
        while (a < b) {
            int c = (a + b) >>> 1;
            if (v[q] - v[c] > r) {
                a = c + 1;
            } else {
                b = c;
            }
        }
        return a;
    }

    /** Largest sorted position p >= q, p < n, with {@code v[p] - v[q] <= r} (the upper end). */
    private static int lastWithin(double[] v, int n, int q, double r) {
        int a = q;   // always satisfies the predicate
        int b = n - 1;
        while (a < b) {
            int c = (a + b + 1) >>> 1;
            if (v[c] - v[q] > r) {
                b = c - 1;
            } else {
                a = c;
            }
        }
        return a;
    }

    // ----------------------------------------------------------------------------- bit sets

    private void bitset(int n, int m) {
        final int templates = n - m + 1;
        final int longTemplates = n - m;
        // template ranks in sorted order, and templates among the first s sorted positions
        int t = 0;
        for (int s = 0; s < n; s++) {
            tcum[s] = t;
            int b = so[s];
            if (b < templates) {
                byRank[t] = b;
                tpos[b] = t++;
            }
        }
        tcum[n] = t;
        final int words = (templates + 63) >>> 6;
        // column block width (in words) so that m prefix tables of (n+1) rows fit the cap
        int blockWords = (int) Math.max(1, Math.min(words, BLOCK_LONGS / ((long) m * (n + 1))));
        int rows = n + 1;
        long need = (long) m * rows * blockWords;
        if (prefix.length < need) {
            prefix = new long[(int) need];
        }
        Arrays.fill(cm, 0, templates, 0);
        Arrays.fill(cm1, 0, templates, 0);
        int firstRank = 0;
        for (int w0 = 0; w0 < words; w0 += blockWords) {
            int w1 = Math.min(words, w0 + blockWords);
            int bw = w1 - w0;
            buildPrefix(n, m, templates, longTemplates, w0, bw);
            firstRank = countBlock(m, templates, longTemplates, w0, w1, bw, rows, firstRank);
        }
    }

    /**
     * {@code Q_k[s]} for k = 1..m, rows s = 0..n, columns = template ranks in words
     * {@code [w0, w0 + bw)}: templates j (j + k < n, and for k = m only (m+1)-templates j < N-m)
     * whose sample j + k has sorted position < s.
     */
    private void buildPrefix(int n, int m, int templates, int longTemplates, int w0, int bw) {
        final long[] pf = prefix;
        final int rows = n + 1;
        final int colLo = w0 << 6;
        final int colHi = (w0 + bw) << 6;
        if (bw <= 4) {
            buildNarrowPrefix(n, m, templates, longTemplates, w0, bw);
            return;
        }
        for (int k = 1; k <= m; k++) {
            int base = (k - 1) * rows * bw;
            int limit = k == m ? longTemplates : templates;
            Arrays.fill(pf, base, base + bw, 0L);
            // row s + 1 = row s plus (at most) one bit; a plain loop, as rows are a few words
            // long and a System.arraycopy call per row cost more than the copy
            for (int s = 0; s < n; s++) {
                int from = base + s * bw;
                int to = from + bw;
                for (int w = 0; w < bw; w++) {
                    pf[to + w] = pf[from + w];
                }
                int j = so[s] - k;
                if (j >= 0 && j < limit) {
                    int p = tpos[j];
                    if (p >= colLo && p < colHi) {
                        pf[to + (p >>> 6) - w0] |= 1L << p;
                    }
                }
            }
        }
    }

    /**
     * {@link #buildPrefix} for blocks of at most four words (frame windows of up to 256 values):
     * the running row lives in four locals, so each row costs four stores. The row-copy form
     * reads back the row it stored one iteration earlier, a store-to-load chain through memory
     * on every row, which made the prefix build a quarter of the frame ApEn.
     */
    private void buildNarrowPrefix(int n, int m, int templates, int longTemplates, int w0, int bw) {
        final long[] pf = prefix;
        final int rows = n + 1;
        final int[] order = so;
        final int[] rank = tpos;
        for (int k = 1; k <= m; k++) {
            final int limit = k == m ? longTemplates : templates;
            long r0 = 0L;
            long r1 = 0L;
            long r2 = 0L;
            long r3 = 0L;
            int at = (k - 1) * rows * bw;
            for (int s = 0; s <= n; s++) {
                pf[at] = r0;
                if (bw > 1) {
                    pf[at + 1] = r1;
                }
                if (bw > 2) {
                    pf[at + 2] = r2;
                }
                if (bw > 3) {
                    pf[at + 3] = r3;
                }
                at += bw;
                if (s == n) {
                    break;
                }
                int j = order[s] - k;
                if (j >= 0 && j < limit) {
                    int p = rank[j];
                    long bit = 1L << p;
                    // word of p within the block; ranks outside it match no word
                    int w = (p >>> 6) - w0;
                    r0 |= w == 0 ? bit : 0L;
                    r1 |= w == 1 ? bit : 0L;
                    r2 |= w == 2 ? bit : 0L;
                    r3 |= w == 3 ? bit : 0L;
                }
            }
        }
    }

    /**
     * Adds the matches inside column block {@code [w0, w1)} words. Templates are visited in rank
     * order, in which their coordinate-0 runs {@code [a, b]} are non-decreasing at both ends, so
     * the templates whose run meets the block are a contiguous stretch starting at or after
     * {@code firstRank}; returns where the next block's stretch can start.
     */
    private int countBlock(int m, int templates, int longTemplates, int w0, int w1, int bw, int rows,
                           int firstRank) {
        final long[] pf = prefix;
        final int colLo = w0 << 6;
        final int colHi = w1 << 6;
        final int[] tc = tcum;
        final int[] l = lo;
        final int[] h = hi;
        final int lastBase = (m - 1) * rows * bw - w0;
        final int[] hiRow = rowScratch;
        final int[] loRow = rowScratch2;
        int next = firstRank;
        for (int rank = firstRank; rank < templates; rank++) {
            final int i = byRank[rank];
            // coordinate 0: template ranks [a, b], clipped to this column block
            int a = tc[l[i]];
            int b = tc[h[i] + 1] - 1;
            if (b < colLo) {
                next = rank + 1; // ends before this block, hence before all later blocks
                continue;
            }
            if (a >= colHi) {
                break;           // starts after this block, as do all later ranks
            }
            if (a < colLo) {
                a = colLo;
            }
            if (b >= colHi) {
                b = colHi - 1;
            }
            final int wa = a >>> 6;
            final int wb = b >>> 6;
            final long firstMask = -1L << a;
            final long lastMask = -1L >>> (63 - (b & 63));
            // rows of the prefix tables for coordinates 1..m-1 (minus w0: index by word)
            for (int k = 1; k < m; k++) {
                int base = (k - 1) * rows * bw - w0;
                hiRow[k] = base + (h[i + k] + 1) * bw;
                loRow[k] = base + l[i + k] * bw;
            }
            final boolean extend = i < longTemplates;
            final int xh = extend ? lastBase + (h[i + m] + 1) * bw : 0;
            final int xl = extend ? lastBase + l[i + m] * bw : 0;
            int c = 0;
            int c1 = 0;
            if (m == 2) {
                final int h1 = hiRow[1];
                final int l1 = loRow[1];
                for (int w = wa; w <= wb; w++) {
                    long acc = w == wa ? firstMask : -1L;
                    if (w == wb) {
                        acc &= lastMask;
                    }
                    acc &= pf[h1 + w] & ~pf[l1 + w];
                    c += Long.bitCount(acc);
                    if (extend) {
                        c1 += Long.bitCount(acc & pf[xh + w] & ~pf[xl + w]);
                    }
                }
            } else {
                for (int w = wa; w <= wb; w++) {
                    long acc = w == wa ? firstMask : -1L;
                    if (w == wb) {
                        acc &= lastMask;
                    }
                    for (int k = 1; k < m; k++) {
                        acc &= pf[hiRow[k] + w] & ~pf[loRow[k] + w];
                    }
                    c += Long.bitCount(acc);
                    if (extend) {
                        c1 += Long.bitCount(acc & pf[xh + w] & ~pf[xl + w]);
                    }
                }
            }
            cm[i] += c;
            cm1[i] += c1;
        }
        return next;
    }

    // ----------------------------------------------------------------------------- scan

    private void scan(double[] x, int off, int n, int m, double r) {
        final int templates = n - m + 1;
        final int longTemplates = n - m;
        // templates in sorted order of their first value (the sample order restricted to them)
        int t = 0;
        for (int s = 0; s < n; s++) {
            if (so[s] < templates) {
                order[t++] = so[s];
            }
        }
        if (cols.length < m + 1 || cols[0].length < templates) {
            double[][] c = new double[Math.max(m + 1, cols.length)][];
            for (int d = 0; d < c.length; d++) {
                c[d] = new double[so.length];
            }
            cols = c;
        }
        // coordinates in sorted order; coordinate m is NaN for the template without one (NaN
        // never compares <= r)
        for (int d = 0; d <= m; d++) {
            double[] col = cols[d];
            for (int q = 0; q < templates; q++) {
                int i = order[q];
                col[q] = (d < m || i < longTemplates) ? x[off + i + d] : Double.NaN;
            }
        }
        final int[] c = cm;
        final int[] c1 = cm1;
        for (int q = 0; q < templates; q++) {
            c[q] = 1;
            c1[q] = order[q] < longTemplates ? 1 : 0;
        }
        final double[] s0 = cols[0];
        final double[][] cl = cols;
        for (int q = 0; q < templates; q++) {
            final double a0 = s0[q];
            int cnt = 0;
            int cnt1 = 0;
            outer:
            for (int p = q + 1; p < templates; p++) {
                if (s0[p] - a0 > r) {
                    break;
                }
                for (int d = 1; d < m; d++) {
                    if (!(Math.abs(cl[d][p] - cl[d][q]) <= r)) {
                        continue outer;
                    }
                }
                cnt++;
                c[p]++;
                if (Math.abs(cl[m][p] - cl[m][q]) <= r) {
                    cnt1++;
                    c1[p]++;
                }
            }
            c[q] += cnt;
            c1[q] += cnt1;
        }
        // back from sorted order to template order (the sums below run over templates)
        for (int q = 0; q < templates; q++) {
            int i = order[q];
            lo[i] = c[q];   // reuse as scratch
            hi[i] = c1[q];
        }
        System.arraycopy(lo, 0, c, 0, templates);
        System.arraycopy(hi, 0, c1, 0, templates);
    }
}
