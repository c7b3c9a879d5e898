package ser.pipeline.extract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ser.api.Percentiles;
import ser.pipeline.UsageException;

/**
 * Statistics of one frame-track column over an utterance, as written to nppdp.csv. Conventions
 * follow numpy/scipy defaults: {@code std}/{@code var} are population (ddof 0); percentiles use
 * linear interpolation ({@code numpy.percentile}'s default); {@code skew} is scipy's biased
 * skewness and {@code kurtosis} the biased excess (Fisher) kurtosis. A constant column gives
 * skew and kurtosis 0 (scipy would give NaN), so every value is defined. {@code slope} is the
 * least-squares slope against the frame index ({@code numpy.polyfit(arange(n), x, 1)[0]}, per
 * frame; openSMILE's {@code linregc1}), 0 for a single frame: how a column rises or falls over
 * the utterance, which no order statistic shows.
 */
public final class Functionals {

    /** Names understood besides {@code p1}..{@code p99}. */
    public static final List<String> KNOWN = List.of("mean", "std", "var", "min", "max", "range", "median", "iqr",
            "skew", "kurtosis", "slope");

    private static final Pattern PERCENTILE = Pattern.compile("p([1-9][0-9]?)");

    private final List<String> names;
    private final Kind[] kinds;
    private final double[] percents;
    private final boolean needsSort;
    private final boolean needsMoments;
    private final boolean needsSlope;

    private enum Kind { MEAN, STD, VAR, MIN, MAX, RANGE, PERCENTILE, IQR, SKEW, KURTOSIS, SLOPE }

    private Functionals(List<String> names) {
        this.names = List.copyOf(names);
        this.kinds = new Kind[names.size()];
        this.percents = new double[names.size()];
        boolean sort = false;
        boolean moments = false;
        boolean slope = false;
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            Matcher m = PERCENTILE.matcher(n);
            Kind k = switch (n) {
                case "mean" -> Kind.MEAN;
                case "std" -> Kind.STD;
                case "var" -> Kind.VAR;
                case "min" -> Kind.MIN;
                case "max" -> Kind.MAX;
                case "range" -> Kind.RANGE;
                case "median" -> Kind.PERCENTILE;
                case "iqr" -> Kind.IQR;
                case "skew" -> Kind.SKEW;
                case "kurtosis" -> Kind.KURTOSIS;
                case "slope" -> Kind.SLOPE;
                default -> m.matches() ? Kind.PERCENTILE : null;
            };
            if (k == null) {
                throw new UsageException("ser.extract.functionals: unknown functional '" + n + "' (known: "
                        + String.join(", ", KNOWN) + ", p1..p99)");
            }
            kinds[i] = k;
            if (k == Kind.PERCENTILE) {
                percents[i] = n.equals("median") ? 50 : Integer.parseInt(m.group(1));
            }
            sort |= k == Kind.PERCENTILE || k == Kind.IQR;
            moments |= k == Kind.STD || k == Kind.VAR || k == Kind.SKEW || k == Kind.KURTOSIS;
            slope |= k == Kind.SLOPE;
        }
        this.needsSlope = slope;
        this.needsSort = sort;
        this.needsMoments = moments;
    }

    /** Parses the configured list; an unknown or repeated name is a {@link UsageException}. */
    public static Functionals parse(List<String> names) {
        if (new LinkedHashSet<>(names).size() != names.size()) {
            List<String> seen = new ArrayList<>();
            for (String n : names) {
                if (seen.contains(n)) {
                    throw new UsageException("ser.extract.functionals: '" + n + "' is listed twice");
                }
                seen.add(n);
            }
        }
        return new Functionals(names);
    }

    public List<String> names() {
        return names;
    }

    public int size() {
        return names.size();
    }

    /**
     * Computes every functional of {@code values[0..n)} into {@code out[offset..offset+size())}.
     * {@code values} is used as scratch space (it may be reordered). {@code n} must be positive.
     */
    public void compute(double[] values, int n, float[] out, int offset) {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double v = values[i];
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / n;
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        if (needsMoments) {
            for (int i = 0; i < n; i++) {
                double d = values[i] - mean;
                double d2 = d * d;
                m2 += d2;
                m3 += d2 * d;
                m4 += d2 * d2;
            }
            m2 /= n;
            m3 /= n;
            m4 /= n;
        }
        // before sorting reorders the values
        double slope = needsSlope ? slope(values, n, mean) : 0;
        boolean constant = min == max;
        if (constant) {
            m2 = 0; // exactly, whatever rounding the mean had
        }
        if (needsSort) {
            Arrays.sort(values, 0, n);
        }
        for (int f = 0; f < kinds.length; f++) {
            double v = switch (kinds[f]) {
                case MEAN -> mean;
                case STD -> Math.sqrt(m2);
                case VAR -> m2;
                case MIN -> min;
                case MAX -> max;
                case RANGE -> max - min;
                case PERCENTILE -> Percentiles.of(values, n, percents[f]);
                case IQR -> Percentiles.of(values, n, 75) - Percentiles.of(values, n, 25);
                case SKEW -> constant || m2 == 0 ? 0 : m3 / Math.pow(m2, 1.5);
                case KURTOSIS -> constant || m2 == 0 ? 0 : m4 / (m2 * m2) - 3;
                case SLOPE -> slope;
            };
            out[offset + f] = (float) v;
        }
    }

    /** Least-squares slope of {@code values[i]} against {@code i}; 0 when {@code n < 2}. */
    static double slope(double[] values, int n, double mean) {
        if (n < 2) {
            return 0;
        }
        double tMean = (n - 1) / 2.0;
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            double dt = i - tMean;
            num += dt * (values[i] - mean);
            den += dt * dt;
        }
        return num / den;
    }
}
