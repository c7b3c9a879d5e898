package ser.pipeline.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import ser.pipeline.UsageException;

class FunctionalsTest {

    private static float[] compute(List<String> names, double... values) {
        Functionals f = Functionals.parse(names);
        float[] out = new float[names.size() + 1];
        f.compute(values.clone(), values.length, out, 1);
        return out;
    }

    @Test
    void handMadeColumnMatchesNumpyAndScipyConventions() {
        // x = [1, 2, 3, 4, 10] (given shuffled): mean 4, deviations -3 -2 -1 0 6,
        // m2 = 50/5 = 10, m3 = 180/5 = 36, m4 = 1394/5 = 278.8
        List<String> names = List.of("mean", "std", "var", "min", "max", "range", "median", "p10", "p90", "iqr", "skew",
                "kurtosis");
        float[] v = compute(names, 10, 3, 1, 4, 2);
        assertThat(v[0]).isZero(); // offset respected
        assertThat(v[1]).isCloseTo(4f, within(1e-6f));
        assertThat(v[2]).isCloseTo((float) Math.sqrt(10), within(1e-6f));
        assertThat(v[3]).isCloseTo(10f, within(1e-6f));
        assertThat(v[4]).isEqualTo(1f);
        assertThat(v[5]).isEqualTo(10f);
        assertThat(v[6]).isEqualTo(9f);
        assertThat(v[7]).isEqualTo(3f);
        assertThat(v[8]).isCloseTo(1.4f, within(1e-6f)); // numpy.percentile(x, 10)
        assertThat(v[9]).isCloseTo(7.6f, within(1e-6f)); // numpy.percentile(x, 90)
        assertThat(v[10]).isCloseTo(2f, within(1e-6f)); // 4 - 2
        assertThat(v[11]).isCloseTo((float) (36 / Math.pow(10, 1.5)), within(1e-6f)); // scipy.stats.skew = 1.13842
        assertThat(v[12]).isCloseTo(278.8f / 100 - 3, within(1e-6f)); // scipy.stats.kurtosis = -0.212
    }

    @Test
    void constantColumnHasDefinedValues() {
        float[] v = compute(List.of("std", "skew", "kurtosis", "p25"), 0.1, 0.1, 0.1);
        assertThat(v).containsExactly(0f, 0f, 0f, 0f, 0.1f);
    }

    @Test
    void singleFrame() {
        float[] v = compute(List.of("mean", "median", "p90", "std"), 2.5);
        assertThat(v).containsExactly(0f, 2.5f, 2.5f, 2.5f, 0f);
    }

    @Test
    void slopeIsTheLeastSquaresSlopeAgainstFrameIndexComputedBeforeSorting() {
        // t = 0..3 (mean 1.5), x = [1, 3, 2, 5] (mean 2.75): sum dt*dx = 5.5, sum dt^2 = 5
        // -> numpy.polyfit(arange(4), x, 1)[0] = 1.1; the sort for p50 must not disturb it
        float[] v = compute(List.of("median", "slope", "mean"), 1, 3, 2, 5);
        assertThat(v[1]).isCloseTo(2.5f, within(1e-6f));
        assertThat(v[2]).isCloseTo(1.1f, within(1e-6f));
        assertThat(compute(List.of("slope"), 5, 4, 3, 2)[1]).isCloseTo(-1f, within(1e-6f));
        assertThat(compute(List.of("slope"), 0.1, 0.1, 0.1)[1]).isCloseTo(0f, within(1e-7f));
        assertThat(compute(List.of("slope"), 7)[1]).isZero();
    }

    @Test
    void unknownOrRepeatedNamesAreUsageErrors() {
        assertThatThrownBy(() -> Functionals.parse(List.of("mean", "average")))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("unknown functional 'average'")
                .hasMessageContaining("kurtosis")
                .hasMessageContaining("p1..p99");
        assertThatThrownBy(() -> Functionals.parse(List.of("p100"))).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> Functionals.parse(List.of("std", "std"))).hasMessageContaining("'std' is listed twice");
    }
}
