package ser.extractors.dsp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ApproximateEntropyTest {

    private final ApproximateEntropy fast = new ApproximateEntropy();
    private final ApproximateEntropy scan = new ApproximateEntropy(ApproximateEntropy.Algorithm.SCAN);
    private final ApproximateEntropy bitset = new ApproximateEntropy(ApproximateEntropy.Algorithm.BITSET);

    @Test
    void equalsGoldenBruteForceOnEveryCase() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/golden/apen_cases.json")) {
            root = new ObjectMapper().readTree(in);
        }
        JsonNode cases = root.get("cases");
        assertThat(cases.size()).isEqualTo(48);
        double worst = 0;
        for (JsonNode c : cases) {
            double[] x = new double[c.get("x").size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = c.get("x").get(i).asDouble();
            }
            int m = c.get("m").asInt();
            double r = c.get("r").asDouble();
            double expected = c.get("apen").asDouble();
            double got = fast.apen(x, 0, x.length, m, r);
            assertThat(got).as("%s n=%d m=%d", c.get("kind").asText(), x.length, m)
                    .isCloseTo(expected, within(1e-9));
            assertThat(scan.apen(x, 0, x.length, m, r)).isCloseTo(expected, within(1e-9));
            assertThat(bitset.apen(x, 0, x.length, m, r)).isCloseTo(expected, within(1e-9));
            worst = Math.max(worst, Math.abs(scan.apen(x, 0, x.length, m, r) - expected));
            worst = Math.max(worst, Math.abs(bitset.apen(x, 0, x.length, m, r) - expected));
            // the r rule: 0.2 x population std
            assertThat(0.2 * ApproximateEntropy.populationStd(x, 0, x.length)).isCloseTo(r, within(1e-12 * r));
            assertThat(fast.compute(x, 0, x.length, m, 0.2)).isCloseTo(expected, within(1e-9));
            worst = Math.max(worst, Math.abs(got - expected));
        }
        System.out.printf("apen golden: 48 cases, max |fast - brute force| = %.2e%n", worst);
    }

    @Test
    void equalsNaiveOnRandomSmoothQuantisedAndOffsetInputs() {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 60; trial++) {
            int n = 5 + rnd.nextInt(400);
            int m = 1 + trial % 4;
            double[] x = new double[n + 7];
            int kind = trial % 3;
            double acc = 0;
            for (int i = 0; i < x.length; i++) {
                switch (kind) {
                    case 0 -> x[i] = rnd.nextGaussian();
                    case 1 -> x[i] = Math.round(rnd.nextGaussian() * 3) / 3.0; // many exact ties
                    default -> x[i] = acc += rnd.nextGaussian() * 0.1;         // smooth, correlated
                }
            }
            double[] slice = Arrays.copyOfRange(x, 7, 7 + n);
            double r = 0.2 * ApproximateEntropy.populationStd(slice, 0, n);
            double expected = NaiveApen.apen(slice, m, r);
            assertThat(scan.apen(x, 7, n, m, r)).as("scan trial %d n=%d m=%d", trial, n, m)
                    .isCloseTo(expected, within(1e-10));
            assertThat(bitset.apen(x, 7, n, m, r)).as("bitset trial %d n=%d m=%d", trial, n, m)
                    .isCloseTo(expected, within(1e-10));
            assertThat(fast.apen(x, 7, n, m, r)).isCloseTo(expected, within(1e-10));
        }
    }

    @Test
    void toleranceExactlyOnADistanceCountsAsAMatch() {
        double[] x = {0.0, 1.0, 0.5, 1.5, 0.0, 1.0, 2.0, 0.5};
        for (int m = 1; m <= 3; m++) {
            for (double r : new double[] {0.5, 1.0, 1.5, 0.0}) {
                assertThat(scan.apen(x, 0, x.length, m, r)).as("m=%d r=%s", m, r)
                        .isCloseTo(NaiveApen.apen(x, m, r), within(1e-12));
                assertThat(bitset.apen(x, 0, x.length, m, r)).as("m=%d r=%s", m, r)
                        .isCloseTo(NaiveApen.apen(x, m, r), within(1e-12));
            }
        }
    }

    @Test
    void degenerateInputsAreDefined() {
        double[] constant = new double[300];
        Arrays.fill(constant, 0.25);
        assertThat(fast.compute(constant, 0, 300, 2, 0.2)).isEqualTo(0.0);
        // with r = 0 the definition itself gives 0 for a constant signal
        assertThat(fast.apen(constant, 0, 300, 2, 0.0)).isCloseTo(0.0, within(1e-12));
        assertThat(NaiveApen.apen(constant, 2, 0.0)).isCloseTo(0.0, within(1e-12));
        assertThat(fast.compute(new double[] {1, 2}, 0, 2, 2, 0.2)).isEqualTo(0.0);
        assertThat(fast.compute(new double[] {1, 2, 3}, 0, 3, 2, 0.2)).isFinite();
        assertThat(fast.apen(new double[0], 0, 0, 2, 0.1)).isEqualTo(0.0);
    }

    @Test
    void blockedBitSetsForLongInputsAgreeWithTheScan() {
        // n large enough that the prefix tables are split into several column blocks
        Random rnd = new Random(5);
        int n = 12000;
        double[] x = new double[n];
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc = 0.95 * acc + rnd.nextGaussian();
            x[i] = Math.abs(acc);
        }
        for (int m = 1; m <= 3; m++) {
            double r = 0.2 * ApproximateEntropy.populationStd(x, 0, n);
            assertThat(bitset.apen(x, 0, n, m, r)).as("m=%d", m).isCloseTo(scan.apen(x, 0, n, m, r), within(1e-12));
        }
    }

    @Test
    void regularSignalsHaveLowerEntropyThanNoise() {
        Random rnd = new Random(7);
        int n = 1000;
        double[] sine = new double[n];
        double[] noise = new double[n];
        for (int i = 0; i < n; i++) {
            sine[i] = Math.sin(2 * Math.PI * i / 25.0);
            noise[i] = rnd.nextGaussian();
        }
        double aSine = fast.compute(sine, 0, n, 2, 0.2);
        double aNoise = fast.compute(noise, 0, n, 2, 0.2);
        assertThat(aSine).isLessThan(0.5);
        assertThat(aNoise).isGreaterThan(1.5);
    }

    @Test
    void scratchReuseAcrossSizesDoesNotLeakState() {
        Random rnd = new Random(3);
        double[] big = new double[2000];
        for (int i = 0; i < big.length; i++) {
            big[i] = rnd.nextGaussian();
        }
        double[] small = Arrays.copyOf(big, 100);
        double first = fast.compute(small, 0, 100, 2, 0.2);
        fast.compute(big, 0, 2000, 3, 0.2);
        assertThat(fast.compute(small, 0, 100, 2, 0.2)).isEqualTo(first);
    }
}
