package ser.api;

/**
 * Percentiles as {@code numpy.percentile} computes them by default: linear interpolation between
 * the two closest ranks. One definition for the features that report percentiles (functionals,
 * pitch statistics), which must match the Python pipeline's, and for the benchmarks' latencies.
 */
public final class Percentiles {

    private Percentiles() {
    }

    /** The {@code percent}-th percentile (0..100) of {@code sorted[0..n)}, ascending, n >= 1. */
    public static double of(double[] sorted, int n, double percent) {
        if (n < 1) {
            throw new IllegalArgumentException("a percentile needs at least one value");
        }
        double pos = percent / 100.0 * (n - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(n - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
