package ser.pipeline.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-column standardization {@code (x - mean) / std}, fitted on the training split only (every
 * frame of every training sequence; in utterance mode every training row) and stored in the
 * bundle, then applied unchanged to validation, test, evaluate and predict inputs. Statistics
 * are population ones, in double precision. A column whose std is below {@value #MIN_STD} (a
 * constant column) keeps std 1, so it becomes 0 rather than dividing by ~0.
 *
 * @param mean per column
 * @param std  per column, always &gt; 0
 */
public record Standardizer(double[] mean, double[] std) {

    public static final double MIN_STD = 1e-8;

    public Standardizer {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("scaler has " + mean.length + " means but " + std.length + " stds");
        }
        mean = mean.clone();
        std = std.clone();
        for (int i = 0; i < std.length; i++) {
            if (!(std[i] > 0) || !Double.isFinite(std[i]) || !Double.isFinite(mean[i])) {
                throw new IllegalArgumentException("scaler column " + i + " is not finite with std > 0");
            }
        }
    }

    public int width() {
        return mean.length;
    }

    /** Fits on every frame of {@code sequences}. */
    public static Standardizer fit(List<float[][]> sequences, int width) {
        Accumulator acc = new Accumulator(width);
        sequences.forEach(acc::add);
        return acc.result();
    }

    /**
     * Streams frames into column sums, so that a scaler can be fitted without holding the
     * training set twice. Sums are taken around the first frame (a shift that keeps the
     * one-pass variance accurate in double precision).
     */
    public static final class Accumulator {
        private final int width;
        private final double[] shift;
        private final double[] sum;
        private final double[] sumSq;
        private long n;

        public Accumulator(int width) {
            this.width = width;
            this.shift = new double[width];
            this.sum = new double[width];
            this.sumSq = new double[width];
        }

        public void add(float[][] sequence) {
            for (float[] frame : sequence) {
                check(frame, width);
                if (n == 0) {
                    for (int c = 0; c < width; c++) {
                        shift[c] = frame[c];
                    }
                }
                for (int c = 0; c < width; c++) {
                    double d = frame[c] - shift[c];
                    sum[c] += d;
                    sumSq[c] += d * d;
                }
                n++;
            }
        }

        public long frames() {
            return n;
        }

        public Standardizer result() {
            if (n == 0) {
                throw new IllegalArgumentException("cannot fit a scaler on no frames");
            }
            double[] mean = new double[width];
            double[] std = new double[width];
            for (int c = 0; c < width; c++) {
                double m = sum[c] / n;
                mean[c] = shift[c] + m;
                double var = Math.max(0, sumSq[c] / n - m * m);
                double s = Math.sqrt(var);
                std[c] = s < MIN_STD || !Double.isFinite(s) ? 1.0 : s;
            }
            return new Standardizer(mean, std);
        }
    }

    /** A standardized copy of one sequence. */
    public float[][] apply(float[][] sequence) {
        float[][] out = new float[sequence.length][];
        for (int t = 0; t < sequence.length; t++) {
            float[] frame = sequence[t];
            check(frame, mean.length);
            float[] z = new float[frame.length];
            for (int c = 0; c < frame.length; c++) {
                z[c] = (float) ((frame[c] - mean[c]) / std[c]);
            }
            out[t] = z;
        }
        return out;
    }

    public List<float[][]> applyAll(List<float[][]> sequences) {
        List<float[][]> out = new ArrayList<>(sequences.size());
        for (float[][] s : sequences) {
            out.add(apply(s));
        }
        return out;
    }

    private static void check(float[] frame, int width) {
        if (frame.length != width) {
            throw new IllegalArgumentException("frame has " + frame.length + " values, the scaler " + width);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardizer s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Standardizer[width=" + mean.length + "]";
    }
}
