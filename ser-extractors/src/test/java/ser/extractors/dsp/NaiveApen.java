package ser.extractors.dsp;

/**
 * Brute-force Approximate Entropy, a literal transcription of Pincus (1991): O(N^2 m). The
 * reference for the fast algorithm's tests and benchmark.
 */
public final class NaiveApen {

    private NaiveApen() {
    }

    public static double apen(double[] x, int m, double r) {
        int n = x.length;
        if (n <= m) {
            return 0.0;
        }
        return phi(x, m, r) - phi(x, m + 1, r);
    }

    static double phi(double[] x, int m, double r) {
        int count = x.length - m + 1;
        double sum = 0.0;
        for (int i = 0; i < count; i++) {
            int c = 0;
            for (int j = 0; j < count; j++) {
                double d = 0.0;
                for (int k = 0; k < m; k++) {
                    d = Math.max(d, Math.abs(x[i + k] - x[j + k]));
                }
                if (d <= r) {
                    c++;
                }
            }
            sum += Math.log(c / (double) count);
        }
        return sum / count;
    }
}
