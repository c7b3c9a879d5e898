package ser.pipeline.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ser.api.ArchitectureSpec;
import ser.api.EpochMetrics;
import ser.api.ModelContext;
import ser.api.SequenceDataset;
import ser.api.SequenceModel;
import ser.api.TrainingBatch;
import ser.api.TrainingResult;
import ser.api.TrainingSpec;
import ser.pipeline.config.ConfigValidator;
import ser.pipeline.plugins.PluginRegistry;

/** The one training protocol, on the test backend and on both real backends. */
class TrainingLoopTest {

    private static final int F = 5;

    private static TrainingSpec spec(int batch, int epochs, double lr, int patience, double decay, int decayStart, double noise) {
        return new TrainingSpec(batch, epochs, lr, patience, decay, decayStart, noise, false, TrainingSpec.ClassWeights.NONE);
    }

    /** {@code n} sequences of 2..9 frames; the class shifts one feature's mean (learnable). */
    static SequenceDataset data(long seed, int n, int classes) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<float[][]> inputs = new ArrayList<>();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            float[][] seq = new float[2 + rng.nextInt(8)][F];
            for (float[] frame : seq) {
                for (int f = 0; f < F; f++) {
                    frame[f] = (float) rng.nextGaussian() + (f == labels[i] % F ? 1.5f : 0f);
                }
            }
            inputs.add(seq);
        }
        return new SequenceDataset(inputs, labels, F);
    }

    private static SequenceModel real(String backend, long seed) {
        PluginRegistry plugins = PluginRegistry.discover(TrainingLoopTest.class.getClassLoader(), null);
        ArchitectureSpec tiny = new ArchitectureSpec(6, 2, true, true, List.of(2), List.of(0.0, 0.2), 2, 3, 5, List.of(8), 0.01,
                true, 0.2, 4);
        var reference = ConfigValidator.reference(List.of(TrainingLoopTest.class.getClassLoader()));
        return plugins.backend(backend).create(new ModelContext(tiny, F, seed, 1, reference.getConfig("ser.backends." + backend)));
    }

    private static SequenceModel centroid() {
        return new CentroidModelProvider.Model(CentroidModelProvider.NAME, F, 4);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"djl", "dl4j"})
    void bothBackendsTrainRepeatablyUnderTheSameLoop(String backend) {
        SequenceDataset train = data(1, 24, 4);
        SequenceDataset val = data(2, 8, 4);
        TrainingSpec spec = spec(8, 3, 0.01, 3, 0.5, 1, 0.1);
        List<Object> runs = new ArrayList<>();
        for (long seed : new long[] {7, 7, 8}) {
            try (SequenceModel model = real(backend, 3)) {
                List<EpochMetrics> seen = new ArrayList<>();
                TrainingResult r = TrainingLoop.of(spec, seed).fit(model, train, val, seen::add);
                assertThat(seen).isEqualTo(r.history());
                for (EpochMetrics m : r.history()) {
                    assertThat(m.steps()).isEqualTo(3);
                    assertThat(m.learningRate()).isEqualTo(spec.learningRateAt(m.epoch()));
                    assertThat(m.loss()).isFinite();
                }
                runs.add(withoutTime(r.history()));
                runs.add(model.predict(val.inputs()));
            }
        }
        assertThat(runs.get(2)).isEqualTo(runs.get(0));
        assertThat((float[][]) runs.get(3)).isDeepEqualTo((float[][]) runs.get(1));
        assertThat(runs.get(4)).as("another loop seed: other batches and noise").isNotEqualTo(runs.get(0));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"djl", "dl4j", "test-centroid"})
    void earlyStoppingRestoresTheBestEpoch(String backend) {
        // Random labels on validation: its loss soon rises while training fits.
        SequenceDataset train = data(31, 16, 4);
        SequenceDataset val = data(32, 8, 4);
        SplittableRandom shuffle = new SplittableRandom(3);
        int[] labels = val.labels().clone();
        for (int i = 0; i < labels.length; i++) {
            labels[i] = shuffle.nextInt(4);
        }
        SequenceDataset noisyVal = new SequenceDataset(val.inputs(), labels, F);
        TrainingSpec spec = spec(4, 40, backend.equals("test-centroid") ? 2.0 : 0.05, 3, 0.5, 2, 0.0);
        try (SequenceModel model = backend.equals("test-centroid") ? centroid() : real(backend, 6)) {
            TrainingResult r = TrainingLoop.of(spec, 1).fit(model, train, noisyVal, null);
            assertThat(r.stoppedEarly()).isTrue();
            assertThat(r.history()).hasSize(r.bestEpoch() + 3);
            EpochMetrics best = r.history().get(r.bestEpoch() - 1);
            for (EpochMetrics m : r.history()) {
                assertThat(m.validationLoss()).isGreaterThanOrEqualTo(best.validationLoss());
                assertThat(m.steps()).isEqualTo(4);
            }
            assertThat(model.evaluate(noisyVal.inputs(), noisyVal.labels()).loss()).isCloseTo(best.validationLoss(), within(1e-6));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"djl", "dl4j"})
    void anEpochWithANonFiniteLossStopsTrainingWithTheBestWeights(String backend) {
        SequenceDataset train = data(61, 16, 4);
        SequenceDataset val = data(62, 8, 4);
        try (SequenceModel model = real(backend, 9)) {
            List<EpochMetrics> seen = new ArrayList<>();
            // The data goes bad after epoch 2: one sequence gets a NaN frame, so one batch per
            // epoch has a NaN loss from then on.
            TrainingResult r = TrainingLoop.of(spec(4, 20, 1e-2, 20, 1.0, 20, 0.0), 5).fit(model, train, val, m -> {
                seen.add(m);
                if (m.epoch() == 2) {
                    train.inputs().get(5)[1][0] = Float.NaN;
                }
            });
            assertThat(r.stoppedEarly()).isTrue();
            assertThat(r.history()).hasSize(3).isEqualTo(seen);
            EpochMetrics diverged = r.history().get(2);
            assertThat(diverged.loss()).isNaN();
            assertThat(diverged.steps()).as("applied steps of 4").isEqualTo(3);
            assertThat(diverged.validationLoss()).as("weights stayed finite").isFinite();
            assertThat(r.bestEpoch()).isBetween(1, 2);
            EpochMetrics best = r.history().get(r.bestEpoch() - 1);
            assertThat(model.evaluate(val.inputs(), val.labels()).loss()).isCloseTo(best.validationLoss(), within(1e-6));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"djl", "dl4j"})
    void whenNoStepCanBeAppliedTheModelKeepsItsInitialWeights(String backend) {
        // An infinite input saturates the GRU gates: the loss stays finite, the gradient does not.
        SequenceDataset train = data(71, 6, 4);
        train.inputs().get(3)[0][0] = Float.POSITIVE_INFINITY;
        try (SequenceModel model = real(backend, 10)) {
            Map<String, float[]> initial = model.parameters();
            TrainingResult r = TrainingLoop.of(spec(6, 5, 1e-2, 5, 1.0, 5, 0.0), 5).fit(model, train, null, null);
            assertThat(r.stoppedEarly()).isTrue();
            assertThat(r.history()).hasSize(1);
            assertThat(r.history().get(0).steps()).isZero();
            Map<String, float[]> after = model.parameters();
            initial.forEach((name, v) -> assertThat(after.get(name)).as(name).containsExactly(v));
        }
    }

    /**
     * The centroid model, reporting a training loss that rises by 10 every epoch (so that anything
     * watching it would stop at once), whose weights are snapshotted after every epoch and which
     * must never be evaluated: there is nothing to evaluate on.
     */
    private static final class UnvalidatedModel extends ForwardingModel {
        final int stepsPerEpoch;
        final int nanEpoch;
        int steps;

        UnvalidatedModel(int stepsPerEpoch, int nanEpoch) {
            super(centroid());
            this.stepsPerEpoch = stepsPerEpoch;
            this.nanEpoch = nanEpoch;
        }

        @Override
        public StepResult trainStep(TrainingBatch batch, double learningRate) {
            int epoch = steps++ / stepsPerEpoch + 1;
            StepResult r = super.trainStep(batch, learningRate);
            return new StepResult(epoch == nanEpoch ? Double.NaN : r.loss() + 10 * epoch, r.correct(), r.applied());
        }

        @Override
        public Evaluation evaluate(List<float[][]> inputs, int[] labels) {
            throw new AssertionError("evaluated without a validation set");
        }
    }

    @Test
    void withoutAValidationSetEveryEpochRunsAndTheLastIsKept() {
        SequenceDataset train = data(101, 16, 4);
        TrainingSpec spec = spec(4, 7, 0.5, 1, 0.5, 2, 0.0);
        List<Object> histories = new ArrayList<>();
        for (SequenceDataset none : java.util.Arrays.asList(null, new SequenceDataset(List.of(), new int[0], F))) {
            UnvalidatedModel model = new UnvalidatedModel(4, -1);
            List<Map<String, float[]>> snapshots = new ArrayList<>();
            TrainingResult r = TrainingLoop.of(spec, 3).fit(model, train, none, m -> snapshots.add(model.parameters()));
            assertThat(r.history()).as("patience 1 and a rising training loss stop nothing").hasSize(7);
            assertThat(r.stoppedEarly()).isFalse();
            assertThat(r.bestEpoch()).isEqualTo(7);
            for (EpochMetrics m : r.history()) {
                assertThat(m.validationLoss()).isNaN();
                assertThat(m.validationAccuracy()).isNaN();
                assertThat(m.learningRate()).isEqualTo(spec.learningRateAt(m.epoch()));
            }
            Map<String, float[]> kept = model.parameters();
            snapshots.get(6).forEach((name, v) -> assertThat(kept.get(name)).as(name).containsExactly(v));
            assertThat(kept.get("out.weight")).as("later epochs still learn").isNotEqualTo(snapshots.get(0).get("out.weight"));
            histories.add(withoutTime(r.history()));
        }
        assertThat(histories.get(1)).as("null and empty validation sets are the same").isEqualTo(histories.get(0));
    }

    @Test
    void withoutAValidationSetADivergedEpochFallsBackToTheLastFiniteOne() {
        SequenceDataset train = data(102, 16, 4);
        UnvalidatedModel model = new UnvalidatedModel(4, 4);
        List<Map<String, float[]>> snapshots = new ArrayList<>();
        TrainingResult r = TrainingLoop.of(spec(4, 9, 0.5, 1, 1.0, 9, 0.0), 3).fit(model, train, null,
                m -> snapshots.add(model.parameters()));
        assertThat(r.stoppedEarly()).isTrue();
        assertThat(r.history()).hasSize(4);
        assertThat(r.history().get(3).loss()).isNaN();
        assertThat(r.bestEpoch()).isEqualTo(3);
        Map<String, float[]> kept = model.parameters();
        assertThat(kept.get("out.weight")).isNotEqualTo(snapshots.get(3).get("out.weight"));
        snapshots.get(2).forEach((name, v) -> assertThat(kept.get(name)).as(name).containsExactly(v));
    }

    @Test
    void augmentationSeesTrainingBatchesOnlyAndClassWeightsReachTheStep() {
        SequenceDataset train = data(81, 10, 4);
        int[] labels = train.labels().clone();
        labels[1] = 0; // counts of classes 0..3: 5, 1, 2, 2 (of 10)
        labels[5] = 0;
        SequenceDataset skewed = new SequenceDataset(train.inputs(), labels, F);
        List<TrainingBatch> seen = new ArrayList<>();
        List<TrainingBatch> stepped = new ArrayList<>();
        Augmentation spy = (batch, random) -> {
            seen.add(batch);
            return batch;
        };
        SequenceModel model = new ForwardingModel(centroid()) {
            @Override
            public StepResult trainStep(TrainingBatch batch, double learningRate) {
                stepped.add(batch);
                return super.trainStep(batch, learningRate);
            }
        };
        TrainingSpec spec = new TrainingSpec(3, 2, 0.1, 2, 1.0, 1, 0, false, TrainingSpec.ClassWeights.BALANCED);
        new TrainingLoop(spec, 4, List.of(spy)).fit(model, skewed, data(82, 4, 4), null);
        assertThat(seen).hasSize(8).isEqualTo(stepped);
        int total = 0;
        for (TrainingBatch b : stepped) {
            total += b.size();
            for (int k = 0; k < b.size(); k++) {
                // n / (k * n_c) = 10 / (4 * n_c)
                float[] expected = {0.5f, 2.5f, 1.25f, 1.25f};
                assertThat(b.weights()[k]).isEqualTo(expected[b.labels()[k]]);
            }
        }
        assertThat(total).isEqualTo(20);
    }

    @Test
    void masksAndMixupReachTrainingStepsButNeverValidation() {
        SequenceDataset train = data(83, 12, 4);
        SequenceDataset val = data(84, 6, 4);
        List<List<float[][]>> evaluated = new ArrayList<>();
        List<TrainingBatch> stepped = new ArrayList<>();
        SequenceModel model = new ForwardingModel(centroid()) {
            @Override
            public StepResult trainStep(TrainingBatch batch, double learningRate) {
                stepped.add(batch);
                return super.trainStep(batch, learningRate);
            }

            @Override
            public Evaluation evaluate(List<float[][]> inputs, int[] labels) {
                evaluated.add(inputs);
                return super.evaluate(inputs, labels);
            }
        };
        TrainingSpec spec = new TrainingSpec(4, 3, 0.1, 3, 1.0, 1, 0, false, TrainingSpec.ClassWeights.NONE);
        List<Augmentation> augmentations = new AugmentSettings(1, 100, 1, 2, 0.4).augmentations(0, 1);
        TrainingResult r = new TrainingLoop(spec, 6, augmentations).fit(model, train, val, null);
        assertThat(r.history()).hasSize(3);
        assertThat(evaluated).hasSize(3).allSatisfy(inputs -> {
            for (int i = 0; i < val.size(); i++) {
                assertThat(inputs.get(i)).isSameAs(val.inputs().get(i));
            }
        });
        // mixup doubles every batch; some step saw a zeroed column (feature mask)
        assertThat(stepped).allSatisfy(b -> assertThat(b.size() % 2).isZero());
        assertThat(stepped.stream().flatMap(b -> b.inputs().stream()).anyMatch(seq -> seq[0][0] == 0 || seq[0][1] == 0
                || seq[0][2] == 0 || seq[0][3] == 0 || seq[0][4] == 0)).isTrue();
        assertThat(r.history()).allSatisfy(m -> assertThat(m.accuracy()).isBetween(0.0, 1.0));
    }

    @Test
    void gaussianNoiseChangesCopiesNotTheTrainingSet() {
        SequenceDataset train = data(91, 3, 4);
        float before = train.inputs().get(0)[0][0];
        TrainingBatch batch = TrainingBatch.unweighted(train.inputs(), train.labels());
        TrainingBatch noisy = new GaussianNoise(0.5).apply(batch, new SplittableRandom(1));
        assertThat(train.inputs().get(0)[0][0]).isEqualTo(before);
        assertThat(noisy.inputs().get(0)[0][0]).isNotEqualTo(before);
        assertThat(noisy.inputs().get(2)).hasSameDimensionsAs(train.inputs().get(2));
        double sum = 0;
        int count = 0;
        for (int i = 0; i < 3; i++) {
            for (int t = 0; t < train.inputs().get(i).length; t++) {
                for (int f = 0; f < F; f++) {
                    double d = noisy.inputs().get(i)[t][f] - train.inputs().get(i)[t][f];
                    sum += d * d;
                    count++;
                }
            }
        }
        assertThat(Math.sqrt(sum / count)).isBetween(0.3, 0.7);
        assertThat(new GaussianNoise(0.5).apply(batch, new SplittableRandom(1)).inputs().get(1))
                .isDeepEqualTo(noisy.inputs().get(1));
    }

    @Test
    void lengthBucketsCutPaddingAndStaySeeded() {
        SplittableRandom rng = new SplittableRandom(5);
        int[] lengths = new int[200];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = 150 + rng.nextInt(350);
        }
        BatchSchedule plain = new BatchSchedule(lengths, 16, false);
        BatchSchedule buckets = new BatchSchedule(lengths, 16, true);
        List<int[]> a = buckets.epoch(new SplittableRandom(9));
        List<int[]> b = buckets.epoch(new SplittableRandom(9));
        assertThat(a).hasSize(13);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i)).containsExactly(a.get(i));
        }
        long paddedPlain = plain.paddedFrames(plain.epoch(new SplittableRandom(9)));
        long paddedBuckets = buckets.paddedFrames(a);
        assertThat(paddedBuckets).as("padding with buckets vs plain %d", paddedPlain).isLessThan(paddedPlain / 5);
        // every sequence once per epoch, and the next epoch differs
        assertThat(a.stream().flatMapToInt(java.util.Arrays::stream).sorted().toArray())
                .containsExactly(java.util.stream.IntStream.range(0, 200).toArray());
        SplittableRandom one = new SplittableRandom(9);
        assertThat(buckets.epoch(one).get(0)).isNotEqualTo(buckets.epoch(one).get(0));
    }

    private static List<EpochMetrics> withoutTime(List<EpochMetrics> history) {
        return history.stream().map(m -> new EpochMetrics(m.epoch(), m.loss(), m.accuracy(), m.validationLoss(),
                m.validationAccuracy(), m.learningRate(), 0, m.steps())).toList();
    }

    /** Delegates everything, for spies. */
    private static class ForwardingModel implements SequenceModel {
        private final SequenceModel inner;

        ForwardingModel(SequenceModel inner) {
            this.inner = inner;
        }

        @Override
        public String backend() {
            return inner.backend();
        }

        @Override
        public String engineVersion() {
            return inner.engineVersion();
        }

        @Override
        public StepResult trainStep(TrainingBatch batch, double learningRate) {
            return inner.trainStep(batch, learningRate);
        }

        @Override
        public Evaluation evaluate(List<float[][]> inputs, int[] labels) {
            return inner.evaluate(inputs, labels);
        }

        @Override
        public float[][] predict(List<float[][]> inputs) {
            return inner.predict(inputs);
        }

        @Override
        public Map<String, float[]> parameters() {
            return inner.parameters();
        }

        @Override
        public Map<String, long[]> parameterShapes() {
            return inner.parameterShapes();
        }

        @Override
        public void setParameters(Map<String, float[]> parameters) {
            inner.setParameters(parameters);
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
