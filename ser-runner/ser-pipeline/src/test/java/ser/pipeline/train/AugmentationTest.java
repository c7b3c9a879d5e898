package ser.pipeline.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import ser.api.TrainingBatch;

class AugmentationTest {

    private static final int F = 12;

    /** Sequences of the given lengths whose values are all non-zero (so masks are visible). */
    private static TrainingBatch batch(int... lengths) {
        List<float[][]> inputs = new ArrayList<>();
        int[] labels = new int[lengths.length];
        float[] weights = new float[lengths.length];
        for (int i = 0; i < lengths.length; i++) {
            float[][] seq = new float[lengths[i]][F];
            for (int t = 0; t < lengths[i]; t++) {
                for (int f = 0; f < F; f++) {
                    seq[t][f] = 1 + i + t * 0.01f + f * 0.001f;
                }
            }
            inputs.add(seq);
            labels[i] = i % 8;
            weights[i] = 1 + i;
        }
        return new TrainingBatch(inputs, labels, weights);
    }

    private static boolean zeroRow(float[] row) {
        for (float v : row) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void timeMasksZeroWholeStepsInRunsNoWiderThanTheLimit() {
        TrainingBatch in = batch(200, 200, 200, 200, 200, 200, 200, 200);
        TrainingBatch out = new TimeMask(2, 10).apply(in, new SplittableRandom(3));
        int maskedTotal = 0;
        for (int i = 0; i < in.size(); i++) {
            float[][] seq = out.inputs().get(i);
            int masked = 0;
            for (int t = 0; t < seq.length; t++) {
                if (zeroRow(seq[t])) {
                    masked++;
                } else {
                    assertThat(seq[t]).containsExactly(in.inputs().get(i)[t]);
                }
            }
            assertThat(masked).isLessThanOrEqualTo(20); // two masks of at most 10 steps
            maskedTotal += masked;
            assertThat(in.inputs().get(i)[0][0]).isNotZero(); // the training set is untouched
        }
        assertThat(maskedTotal).isPositive();
        assertThat(out.labels()).containsExactly(in.labels());
        assertThat(out.weights()).containsExactly(in.weights());
    }

    @Test
    void timeMasksLeaveAtLeastThreeQuartersOfAShortSequence() {
        TrainingBatch in = batch(8, 8, 8, 8);
        for (int seed = 0; seed < 20; seed++) {
            TrainingBatch out = new TimeMask(1, 100).apply(in, new SplittableRandom(seed));
            for (float[][] seq : out.inputs()) {
                assertThat(java.util.Arrays.stream(seq).filter(AugmentationTest::zeroRow).count()).isLessThanOrEqualTo(2);
            }
        }
    }

    @Test
    void featureMasksZeroTheSameColumnsInEveryStep() {
        TrainingBatch in = batch(30, 30, 30, 30, 30, 30);
        TrainingBatch out = new FeatureMask(1, 4).apply(in, new SplittableRandom(5));
        int maskedSequences = 0;
        for (int i = 0; i < in.size(); i++) {
            float[][] seq = out.inputs().get(i);
            List<Integer> zeroColumns = new ArrayList<>();
            for (int f = 0; f < F; f++) {
                if (seq[0][f] == 0) {
                    zeroColumns.add(f);
                }
                for (int t = 0; t < seq.length; t++) {
                    assertThat(seq[t][f] == 0).isEqualTo(seq[0][f] == 0);
                    if (seq[t][f] != 0) {
                        assertThat(seq[t][f]).isEqualTo(in.inputs().get(i)[t][f]);
                    }
                }
            }
            assertThat(zeroColumns.size()).isLessThanOrEqualTo(4);
            if (!zeroColumns.isEmpty()) {
                maskedSequences++;
                // one run of consecutive columns
                assertThat(zeroColumns.get(zeroColumns.size() - 1) - zeroColumns.get(0)).isEqualTo(zeroColumns.size() - 1);
            }
            assertThat(in.inputs().get(i)[0][0]).isNotZero();
        }
        assertThat(maskedSequences).isPositive();
    }

    @Test
    void theSameSeedGivesTheSameMasksAndAnotherSeedOthers() {
        TrainingBatch in = batch(50, 60, 70, 80);
        List<Augmentation> all = List.of(new TimeMask(2, 8), new FeatureMask(2, 3), new Mixup(0.4));
        for (Augmentation a : all) {
            TrainingBatch x = a.apply(in, new SplittableRandom(11));
            TrainingBatch y = a.apply(in, new SplittableRandom(11));
            TrainingBatch z = a.apply(in, new SplittableRandom(12));
            boolean differs = false;
            for (int i = 0; i < x.size(); i++) {
                assertThat(y.inputs().get(i)).as(a.toString()).isDeepEqualTo(x.inputs().get(i));
                differs |= !java.util.Arrays.deepEquals(x.inputs().get(i), z.inputs().get(i));
            }
            assertThat(y.weights()).containsExactly(x.weights());
            assertThat(differs).as(a + " with another seed").isTrue();
        }
    }

    @Test
    void mixupCarriesEachMixedSequenceOnceForEachLabelWithWeightsThatSumToTheOriginals() {
        TrainingBatch in = batch(20, 25, 30, 35, 40);
        TrainingBatch out = new Mixup(0.4).apply(in, new SplittableRandom(7));
        int n = in.size();
        assertThat(out.size()).isEqualTo(2 * n);
        double total = 0;
        for (int i = 0; i < n; i++) {
            assertThat(out.inputs().get(i)).isSameAs(out.inputs().get(n + i));
            assertThat(out.labels()[i]).isEqualTo(in.labels()[i]);
            // weight_i = 2 lambda w_i: recover lambda and the partner, and check the mix itself.
            double lambda = out.weights()[i] / (2.0 * in.weights()[i]);
            assertThat(lambda).isBetween(0.0, 1.0);
            int j = -1;
            for (int k = 0; k < n; k++) {
                if (in.labels()[k] == out.labels()[n + i]) {
                    j = k;
                }
            }
            assertThat(out.weights()[n + i]).isCloseTo((float) (2 * (1 - lambda) * in.weights()[j]), within(1e-4f));
            float[][] a = in.inputs().get(i);
            float[][] b = in.inputs().get(j);
            float[][] mixed = out.inputs().get(i);
            assertThat(mixed).hasNumberOfRows(Math.max(a.length, b.length));
            int t = Math.min(a.length, b.length) - 1;
            assertThat(mixed[t][3]).isCloseTo((float) (lambda * a[t][3] + (1 - lambda) * b[t][3]), within(1e-4f));
            if (a.length != b.length) {
                int last = mixed.length - 1; // past the shorter one: its part is 0
                float[][] longer = a.length > b.length ? a : b;
                double share = a.length > b.length ? lambda : 1 - lambda;
                assertThat(mixed[last][3]).isCloseTo((float) (share * longer[last][3]), within(1e-4f));
            }
            total += out.weights()[i] + out.weights()[n + i];
        }
        // Mean weight over 2n copies: the mean of lambda w_i + (1 - lambda) w_j.
        assertThat(total / (2 * n)).isBetween(0.5, 6.0);
    }

    @Test
    void betaDrawsHaveTheRightMeanAndSpread() {
        SplittableRandom random = new SplittableRandom(1);
        for (double alpha : new double[] {0.2, 0.4, 2.0}) {
            double sum = 0;
            double sq = 0;
            int n = 20000;
            for (int i = 0; i < n; i++) {
                double b = Mixup.beta(alpha, random);
                assertThat(b).isBetween(0.0, 1.0);
                sum += b;
                sq += b * b;
            }
            double mean = sum / n;
            double var = sq / n - mean * mean;
            assertThat(mean).as("alpha %s", alpha).isCloseTo(0.5, within(0.01));
            assertThat(var).as("alpha %s", alpha).isCloseTo(1 / (4 * (2 * alpha + 1)), within(0.01));
        }
    }

    @Test
    void settingsGiveTheAugmentationsInOrderWithTheMaskWidthInSteps() {
        AugmentSettings a = new AugmentSettings(2, 0.2, 1, 6, 0.3);
        assertThat(a.augmentations(0.1, 0.04)).containsExactly(new Mixup(0.3), new GaussianNoise(0.1), new TimeMask(2, 5),
                new FeatureMask(1, 6));
        assertThat(a.augmentations(0, 0.01)).contains(new TimeMask(2, 20)).doesNotContain(new GaussianNoise(0.1));
        assertThat(AugmentSettings.NONE.augmentations(0, 0.01)).isEmpty();
        assertThat(AugmentSettings.from(TestSupport.config())).isEqualTo(new AugmentSettings(0, 0.2, 0, 6, 0));
        assertThat(TrainSettings.from(TestSupport.config("ser.train.augment { time-masks = 2, mixup-alpha = 0.2 }")).augment())
                .isEqualTo(new AugmentSettings(2, 0.2, 0, 6, 0.2));
    }
}
