package ser.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void interpolatesBetweenRanksAsNumpyDoes() {
        double[] x = {1, 2, 3, 4, 10};
        // numpy.percentile([1, 2, 3, 4, 10], [0, 10, 50, 90, 95, 100])
        assertThat(Percentiles.of(x, 5, 0)).isEqualTo(1.0);
        assertThat(Percentiles.of(x, 5, 10)).isCloseTo(1.4, within(1e-12));
        assertThat(Percentiles.of(x, 5, 50)).isEqualTo(3.0);
        assertThat(Percentiles.of(x, 5, 90)).isCloseTo(7.6, within(1e-12));
        assertThat(Percentiles.of(x, 5, 95)).isCloseTo(8.8, within(1e-12));
        assertThat(Percentiles.of(x, 5, 100)).isEqualTo(10.0);
    }

    @Test
    void readsOnlyTheFirstNValues() {
        double[] x = {1, 2, 3, 4, 1000};
        // numpy.percentile([1, 2, 3, 4], 50)
        assertThat(Percentiles.of(x, 4, 50)).isEqualTo(2.5);
        assertThat(Percentiles.of(x, 1, 75)).isEqualTo(1.0);
    }

    @Test
    void noValueIsAnError() {
        assertThatThrownBy(() -> Percentiles.of(new double[0], 0, 50)).isInstanceOf(IllegalArgumentException.class);
    }
}
