package ser.pipeline.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import ser.pipeline.report.Json;

/**
 * Against scikit-learn: {@code linear/sklearn-logreg.json} holds 80 imbalanced samples of 3
 * classes and the coefficients, centred intercepts and probe probabilities of
 * {@code LogisticRegression(multinomial, lbfgs, tol 1e-12)} for three C / class-weight cases
 * (regenerate with {@code make_fixture.py} beside it). scikit-learn's L-BFGS (scipy) stops on a
 * relative decrease of 64 machine epsilons; the fixture warm-restarts it until the largest gradient
 * component of the mean loss is below ~4e-7 (checked with numpy), so both optima agree to 5e-5
 * in the coefficients (C = 100 is the least well conditioned) and 1e-5 in probabilities.
 */
class SoftmaxRegressionTest {

    private static final Lbfgs.Options TIGHT = new Lbfgs.Options(10, 10_000, 1e-9);

    private static JsonNode fixture() throws IOException {
        try (InputStream in = SoftmaxRegressionTest.class.getResourceAsStream("/linear/sklearn-logreg.json")) {
            return Json.MAPPER.readTree(in);
        }
    }

    private static double[][] matrix(JsonNode node) {
        double[][] m = new double[node.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = new double[node.get(i).size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = node.get(i).get(j).asDouble();
            }
        }
        return m;
    }

    @Test
    void matchesScikitLearnCoefficientsAndProbabilities() throws IOException {
        JsonNode f = fixture();
        double[][] x = matrix(f.get("x"));
        int[] y = new int[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = f.get("y").get(i).asInt();
        }
        double[][] probe = matrix(f.get("probe"));
        assertThat(f.get("cases")).hasSize(3);
        for (JsonNode c : f.get("cases")) {
            double cValue = c.get("C").asDouble();
            double[] weights = "balanced".equals(c.get("class_weight").asText()) ? balanced(y, 3) : null;
            SoftmaxRegression.Fit fit = SoftmaxRegression.fit(x, y, weights, 3, cValue, TIGHT, null);
            assertThat(fit.converged()).as("C=%s converged", cValue).isTrue();
            double[][] coef = matrix(c.get("coef"));
            double scale = 0;
            for (double[] row : coef) {
                for (double v : row) {
                    scale = Math.max(scale, Math.abs(v));
                }
            }
            for (int k = 0; k < 3; k++) {
                for (int j = 0; j < coef[k].length; j++) {
                    assertThat(fit.model().weights()[k][j]).as("C=%s coef[%d][%d]", cValue, k, j)
                            .isCloseTo(coef[k][j], within(5e-5 * Math.max(1, scale)));
                }
                assertThat(fit.model().intercepts()[k]).as("C=%s intercept[%d]", cValue, k)
                        .isCloseTo(c.get("intercept").get(k).asDouble(), within(5e-5 * Math.max(1, scale)));
            }
            double[][] proba = matrix(c.get("probe_proba"));
            for (int i = 0; i < probe.length; i++) {
                double[] p = fit.model().probabilities(probe[i]);
                for (int k = 0; k < 3; k++) {
                    assertThat(p[k]).as("C=%s probe %d class %d", cValue, i, k).isCloseTo(proba[i][k], within(1e-5));
                }
            }
        }
    }

    /** scikit-learn's class_weight="balanced": n / (classes * n_c). */
    private static double[] balanced(int[] y, int classes) {
        int[] counts = new int[classes];
        for (int v : y) {
            counts[v]++;
        }
        double[] w = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            w[i] = (double) y.length / (classes * counts[y[i]]);
        }
        return w;
    }

    @Test
    void strongerRegularizationShrinksTheWeights() throws IOException {
        JsonNode f = fixture();
        double[][] x = matrix(f.get("x"));
        int[] y = new int[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = f.get("y").get(i).asInt();
        }
        double weak = SoftmaxRegression.fit(x, y, null, 3, 10, TIGHT, null).model().penalty(1);
        double strong = SoftmaxRegression.fit(x, y, null, 3, 0.01, TIGHT, null).model().penalty(1);
        assertThat(strong).isLessThan(weak / 10);
    }

    @Test
    void aClassWithoutTrainingSamplesGetsAlmostNoProbability() {
        double[][] x = {{0, 1}, {1, 0}, {0, 1.2}, {1.1, 0}};
        int[] y = {0, 2, 0, 2};
        SoftmaxRegression m = SoftmaxRegression.fit(x, y, null, 4, 1.0, TIGHT, null).model();
        double[] p = m.probabilities(new double[] {0, 1});
        assertThat(p[1]).isLessThan(1e-10);
        assertThat(p[3]).isLessThan(1e-10);
        assertThat(p[0]).isGreaterThan(p[2]);
        assertThat(m.weights()[1]).containsOnly(0.0);
        assertThat(p[0] + p[1] + p[2] + p[3]).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void lbfgsFindsTheMinimumOfAnIllConditionedQuadratic() {
        // f(x) = sum_i a_i (x_i - i)^2 / 2 with a spread of 1e4 in curvature.
        double[] a = {1, 10, 100, 1000, 10000};
        Lbfgs.Result r = Lbfgs.minimize((x, g) -> {
            double v = 0;
            for (int i = 0; i < x.length; i++) {
                double d = x[i] - i;
                v += 0.5 * a[i] * d * d;
                g[i] = a[i] * d;
            }
            return v;
        }, new double[5], new Lbfgs.Options(5, 1000, 1e-9));
        assertThat(r.converged()).isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(r.x()[i]).isCloseTo(i, within(1e-8));
        }
    }
}
