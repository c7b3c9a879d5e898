package ser.pipeline.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import ser.pipeline.extract.AudioAugmenter;
import ser.pipeline.normalize.Normalization;
import ser.pipeline.normalize.NormalizedFeatures;
import ser.pipeline.report.Json;
import ser.pipeline.store.FeatureSchema;
import ser.pipeline.store.FeatureSet;
import ser.pipeline.store.UtteranceInfo;
import ser.pipeline.train.TrainSettings.SplitKind;

/** Training on a store with augmented copies (ser.extract.augment): the originals decide the split; copies only train. */
class AugmentedTrainingTest {

    /** {@code base} followed by {@code copies} perturbed copies of each of its utterances, as ser extract lays them out. */
    static final class WithCopies implements FeatureSet {
        private final FeatureSet base;
        private final List<UtteranceInfo> utterances = new ArrayList<>();
        private final List<float[][]> sequences = new ArrayList<>();
        private final List<float[]> vectors = new ArrayList<>();

        WithCopies(FeatureSet base, int copies) {
            this.base = base;
            Random rng = new Random(3);
            int n = base.utterances().size();
            for (int i = 0; i < n; i++) {
                utterances.add(base.utterances().get(i));
                sequences.add(base.sequence(i));
                vectors.add(base.utteranceVector(i));
            }
            for (int i = 0; i < n; i++) {
                UtteranceInfo u = base.utterances().get(i);
                for (int c = 1; c <= copies; c++) {
                    utterances.add(new UtteranceInfo(AudioAugmenter.copyId(u.id(), c), u.location(), u.corpus(), u.speaker(), u.emotion(),
                            u.gender(), u.id()));
                    float[][] seq = base.sequence(i);
                    float[][] noisy = new float[seq.length][];
                    for (int t = 0; t < seq.length; t++) {
                        noisy[t] = seq[t].clone();
                        for (int f = 0; f < noisy[t].length; f++) {
                            noisy[t][f] += (float) (0.5 * rng.nextGaussian());
                        }
                    }
                    sequences.add(noisy);
                    float[] v = base.utteranceVector(i).clone();
                    for (int f = 0; f < v.length; f++) {
                        v[f] += (float) (0.5 * rng.nextGaussian());
                    }
                    vectors.add(v);
                }
            }
        }

        @Override
        public FeatureSchema schema() {
            return base.schema();
        }

        @Override
        public List<UtteranceInfo> utterances() {
            return utterances;
        }

        @Override
        public float[][] sequence(int index) {
            return sequences.get(index);
        }

        @Override
        public float[] utteranceVector(int index) {
            return vectors.get(index);
        }
    }

    private static void assertSameSplitPlusCopies(Split plain, Split augmented, List<UtteranceInfo> all, int originals) {
        assertThat(augmented.validation()).isEqualTo(plain.validation());
        assertThat(augmented.test()).isEqualTo(plain.test());
        assertThat(augmented.trainSpeakers()).isEqualTo(plain.trainSpeakers());
        assertThat(augmented.validationSpeakers()).isEqualTo(plain.validationSpeakers());
        assertThat(augmented.testSpeakers()).isEqualTo(plain.testSpeakers());
        int[] trainOriginals = Arrays.stream(augmented.train()).filter(i -> i < originals).toArray();
        assertThat(trainOriginals).isEqualTo(plain.train());
        Set<String> trainIds = Arrays.stream(plain.train()).mapToObj(i -> all.get(i).id()).collect(Collectors.toSet());
        int[] copies = Arrays.stream(augmented.train()).filter(i -> i >= originals).toArray();
        // Exactly the copies of training originals, and no copy anywhere else.
        int[] expectedCopies = IntStream.range(originals, all.size())
                .filter(i -> trainIds.contains(all.get(i).augmentedFrom())).toArray();
        assertThat(copies).isEqualTo(expectedCopies).isNotEmpty();
        assertThat(augmented.augmentedTrain()).isEqualTo(copies.length);
        for (int i : augmented.validation()) {
            assertThat(all.get(i).isAugmented()).isFalse();
        }
        for (int i : augmented.test()) {
            assertThat(all.get(i).isAugmented()).isFalse();
        }
        assertThat(augmented.train()).isSorted();
    }

    @ParameterizedTest
    @EnumSource(SplitKind.class)
    void splitIsTheSameWithCopiesAndCopiesOnlyTrain(SplitKind kind) {
        SyntheticFeatures plain = SyntheticFeatures.builder().speakers(9).perEmotion(2).build();
        WithCopies augmented = new WithCopies(plain, 2);
        int n = plain.utterances().size();
        for (long seed : new long[] {1, 42}) {
            Split a = Splitter.split(plain.utterances(), kind, 0.2, 0.2, seed);
            Split b = Splitter.split(augmented.utterances(), kind, 0.2, 0.2, seed);
            assertSameSplitPlusCopies(a, b, augmented.utterances(), n);
            assertThat(b.augmentedTrain()).isEqualTo(2 * a.train().length);
            List<Split> foldsA = Splitter.folds(plain.utterances(), kind, 3, 0.2, seed);
            List<Split> foldsB = Splitter.folds(augmented.utterances(), kind, 3, 0.2, seed);
            for (int f = 0; f < 3; f++) {
                assertSameSplitPlusCopies(foldsA.get(f), foldsB.get(f), augmented.utterances(), n);
            }
        }
        assertThat(Splitter.split(plain.utterances(), kind, 0.2, 0.2, 1).augmentedTrain()).isZero();
    }

    @Test
    void normalizationStatisticsComeFromOriginalsOnly() {
        SyntheticFeatures plain = SyntheticFeatures.builder().speakers(4).perEmotion(2).build();
        WithCopies augmented = new WithCopies(plain, 3);
        FeatureSet a = NormalizedFeatures.of(plain, Normalization.SPEAKER);
        FeatureSet b = NormalizedFeatures.of(augmented, Normalization.SPEAKER);
        for (int i = 0; i < plain.utterances().size(); i++) {
            assertThat(b.utteranceVector(i)).isEqualTo(a.utteranceVector(i));
            assertThat(b.sequence(i)).isEqualTo(a.sequence(i));
        }
        assertThat(((NormalizedFeatures) b).groupSizes()).isEqualTo(((NormalizedFeatures) a).groupSizes());
    }

    @Test
    void crossValidationTrainsOnCopiesAndTestsOriginalsOnly(@TempDir Path tmp) throws IOException {
        SyntheticFeatures plain = SyntheticFeatures.builder().speakers(9).perEmotion(2).build();
        WithCopies augmented = new WithCopies(plain, 2);
        StringWriter log = new StringWriter();
        Path out = tmp.resolve("cv");
        CrossValidation.run(TestSupport.trainer(TestSupport.config("ser.train.epochs = 3"), TestSupport.sink(log)), augmented, 3,
                out, TestSupport.sink(log));
        JsonNode cv = Json.MAPPER.readTree(out.resolve("cv.json").toFile());
        TrainSettings s = TrainSettings.from(TestSupport.config());
        List<Split> folds = Splitter.folds(augmented.utterances(), s.split(), 3, s.validationFraction(), s.seed());
        int total = 0;
        for (int f = 0; f < 3; f++) {
            JsonNode fold = cv.get("per_fold").get(f);
            int copies = folds.get(f).augmentedTrain();
            assertThat(copies).isPositive();
            assertThat(fold.get("augmented_train").asInt()).isEqualTo(copies);
            // Copies count in the training part; every copy of a training original is used.
            assertThat(fold.at("/split_counts/train").asInt()).isEqualTo(3 * (folds.get(f).train().length - copies));
            JsonNode metrics = Json.MAPPER.readTree(out.resolve("fold-" + (f + 1)).resolve("metrics.json").toFile());
            assertThat(metrics.get("augmented_train").asInt()).isEqualTo(copies);
            total += fold.get("count").asInt();
        }
        // Every original is tested once, no copy ever.
        assertThat(total).isEqualTo(plain.utterances().size());
        assertThat(cv.at("/pooled/count").asInt()).isEqualTo(plain.utterances().size());
        assertThat(cv.at("/baseline/pooled/count").asInt()).isEqualTo(plain.utterances().size());
        for (int f = 1; f <= 3; f++) {
            assertThat(Files.readString(out.resolve("fold-" + f).resolve("test_predictions.csv"))).doesNotContain("~aug");
        }
        assertThat(log.toString()).contains("of them augmented copies");
    }

    @Test
    void trainJobReportsCopiesAndKeepsThemOutOfValidationAndTest(@TempDir Path tmp) throws IOException {
        SyntheticFeatures plain = SyntheticFeatures.builder().speakers(9).perEmotion(2).build();
        WithCopies augmented = new WithCopies(plain, 1);
        Path model = tmp.resolve("model");
        TrainJob.run(TestSupport.trainer(TestSupport.config("ser.train.epochs = 3"), TestSupport.sink(new StringWriter())),
                augmented, model, TestSupport.sink(new StringWriter()));
        TrainSettings s = TrainSettings.from(TestSupport.config());
        Split split = Splitter.split(augmented.utterances(), s.split(), s.testFraction(), s.validationFraction(), s.seed());
        JsonNode metrics = Json.MAPPER.readTree(model.resolve("reports").resolve("metrics.json").toFile());
        assertThat(metrics.get("augmented_train").asInt()).isEqualTo(split.augmentedTrain()).isPositive();
        assertThat(metrics.get("count").asInt()).isEqualTo(split.test().length);
        // split.csv: a copy trains iff its original does, and is in no other part (blank: unused).
        java.util.Map<String, String> part = new java.util.HashMap<>();
        for (String line : Files.readAllLines(model.resolve("split.csv")).subList(1, augmented.utterances().size() + 1)) {
            part.put(line.substring(0, line.indexOf(',')), line.substring(line.lastIndexOf(',') + 1));
        }
        int copiesTrained = 0;
        for (UtteranceInfo u : augmented.utterances()) {
            if (u.isAugmented()) {
                boolean trains = part.get(u.augmentedFrom()).equals(Split.TRAIN);
                assertThat(part.get(u.id())).isEqualTo(trains ? Split.TRAIN : "");
                copiesTrained += trains ? 1 : 0;
            }
        }
        assertThat(copiesTrained).isEqualTo(split.augmentedTrain());
        assertThat(part.values()).contains(Split.TEST, Split.VALIDATION);
        // evaluate scores originals only: the test part as train did, and "all" without the copies.
        try (ser.pipeline.model.ModelBundle bundle = ser.pipeline.model.ModelBundle.open(model, new CentroidModelProvider(),
                TestSupport.config())) {
            java.io.PrintWriter quiet = TestSupport.sink(new StringWriter());
            ser.pipeline.report.Metrics test = ser.pipeline.evaluate.Evaluator.run(bundle, augmented, Path.of("augmented"),
                    ser.pipeline.evaluate.Evaluator.Subset.TEST, tmp.resolve("eval-test"), quiet, quiet);
            assertThat(test.count()).isEqualTo(split.test().length);
            ser.pipeline.report.Metrics all = ser.pipeline.evaluate.Evaluator.run(bundle, augmented, Path.of("augmented"),
                    ser.pipeline.evaluate.Evaluator.Subset.ALL, tmp.resolve("eval-all"), quiet, quiet);
            assertThat(all.count()).isEqualTo(plain.utterances().size());
        }
        assertThat(Files.readString(tmp.resolve("eval-all").resolve("predictions.csv"))).doesNotContain("~aug");
    }
}
