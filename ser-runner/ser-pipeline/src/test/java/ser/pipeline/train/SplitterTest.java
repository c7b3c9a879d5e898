package ser.pipeline.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import ser.api.Emotion;
import ser.pipeline.UsageException;
import ser.pipeline.store.UtteranceInfo;
import ser.pipeline.train.TrainSettings.SplitKind;

class SplitterTest {

    private static Set<String> speakersOf(List<UtteranceInfo> u, int[] indices) {
        Set<String> s = new HashSet<>();
        for (int i : indices) {
            s.add(u.get(i).speakerKey());
        }
        return s;
    }

    private static void assertPartition(int n, Split split) {
        int[] all = IntStream.concat(IntStream.concat(Arrays.stream(split.train()), Arrays.stream(split.validation())),
                Arrays.stream(split.test())).sorted().toArray();
        assertThat(all).isEqualTo(IntStream.range(0, n).toArray());
    }

    @Test
    void speakerSplitHasNoLeakage() {
        List<UtteranceInfo> u = SyntheticFeatures.builder().speakers(20).build().utterances();
        Split split = Splitter.split(u, SplitKind.SPEAKER, 0.2, 0.15, 42);
        assertPartition(u.size(), split);
        Set<String> train = speakersOf(u, split.train());
        Set<String> val = speakersOf(u, split.validation());
        Set<String> test = speakersOf(u, split.test());
        assertThat(train).doesNotContainAnyElementsOf(val).doesNotContainAnyElementsOf(test);
        assertThat(val).doesNotContainAnyElementsOf(test);
        assertThat(train).isNotEmpty();
        assertThat(val).isNotEmpty();
        assertThat(test).isNotEmpty();
        assertThat(split.trainSpeakers()).containsExactlyElementsOf(train.stream().sorted().toList());
        assertThat(split.testSpeakers()).containsExactlyElementsOf(test.stream().sorted().toList());
        // 20 equal speakers, 20% test -> 4 speakers; 15% of 16 -> 2 or 3 validation speakers.
        assertThat(test).hasSize(4);
        assertThat(val.size()).isBetween(2, 3);
    }

    @Test
    void deterministicForASeedAndDifferentForAnother() {
        List<UtteranceInfo> u = SyntheticFeatures.builder().speakers(20).build().utterances();
        Split a = Splitter.split(u, SplitKind.SPEAKER, 0.2, 0.15, 42);
        Split b = Splitter.split(new ArrayList<>(u), SplitKind.SPEAKER, 0.2, 0.15, 42);
        assertThat(a.test()).isEqualTo(b.test());
        assertThat(a.validation()).isEqualTo(b.validation());
        assertThat(a.train()).isEqualTo(b.train());
        Split c = Splitter.split(u, SplitKind.SPEAKER, 0.2, 0.15, 43);
        assertThat(c.testSpeakers()).isNotEqualTo(a.testSpeakers());
    }

    @Test
    void stratifiesEmotionsAsFarAsSpeakersAllow() {
        // Skewed speakers: each has only about two thirds of the emotions.
        List<UtteranceInfo> u = SyntheticFeatures.builder().speakers(30).perEmotion(2).skewed().build().utterances();
        Split split = Splitter.split(u, SplitKind.SPEAKER, 0.2, 0.15, 5);
        int[] all = counts(u, IntStream.range(0, u.size()).toArray());
        int[] test = counts(u, split.test());
        int total = u.size();
        int testTotal = split.test().length;
        assertThat(testTotal / (double) total).isBetween(0.15, 0.25);
        for (Emotion e : Emotion.values()) {
            double expected = all[e.index()] * testTotal / (double) total;
            assertThat((double) test[e.index()]).as("test count of %s", e).isBetween(expected - 3, expected + 3);
            assertThat(test[e.index()]).as("every emotion is tested").isPositive();
        }
        // Each part's emotion mix is much closer to the overall mix than a worst case would be.
        int[] train = counts(u, split.train());
        for (Emotion e : Emotion.values()) {
            double share = all[e.index()] / (double) total;
            assertThat(train[e.index()] / (double) split.train().length).isBetween(share - 0.03, share + 0.03);
        }
    }

    private static int[] counts(List<UtteranceInfo> u, int[] indices) {
        int[] c = new int[Emotion.COUNT];
        for (int i : indices) {
            c[u.get(i).emotion().index()]++;
        }
        return c;
    }

    @Test
    void randomSplitIsByUtteranceAndStratified() {
        List<UtteranceInfo> u = SyntheticFeatures.builder().speakers(4).perEmotion(10).build().utterances();
        Split split = Splitter.split(u, SplitKind.RANDOM, 0.2, 0.15, 1);
        assertPartition(u.size(), split);
        assertThat(split.kind()).isEqualTo(SplitKind.RANDOM);
        assertThat(split.describe()).contains("random").contains("optimistic");
        int[] test = counts(u, split.test());
        for (Emotion e : Emotion.values()) {
            assertThat(test[e.index()]).isEqualTo(8); // 40 per emotion, 20%
        }
        // Speakers do overlap under the random split.
        assertThat(split.testSpeakers()).containsAnyElementsOf(split.trainSpeakers());
    }

    @Test
    void foldsGroupBySpeakerAndCoverEveryoneOnce() {
        List<UtteranceInfo> u = SyntheticFeatures.builder().speakers(10).build().utterances();
        List<Split> folds = Splitter.folds(u, SplitKind.SPEAKER, 5, 0.15, 9);
        assertThat(folds).hasSize(5);
        Set<Integer> tested = new HashSet<>();
        Set<String> testedSpeakers = new HashSet<>();
        for (Split f : folds) {
            assertPartition(u.size(), f);
            for (int i : f.test()) {
                assertThat(tested.add(i)).isTrue();
            }
            assertThat(f.testSpeakers()).hasSize(2);
            testedSpeakers.addAll(f.testSpeakers());
            Set<String> train = speakersOf(u, f.train());
            Set<String> val = speakersOf(u, f.validation());
            assertThat(val).isNotEmpty().doesNotContainAnyElementsOf(train).doesNotContainAnyElementsOf(f.testSpeakers());
            assertThat(train).doesNotContainAnyElementsOf(f.testSpeakers());
        }
        assertThat(tested).hasSize(u.size());
        assertThat(testedSpeakers).hasSize(10);
    }

    @Test
    void tooFewSpeakersIsAUsageError() {
        List<UtteranceInfo> u = SyntheticFeatures.builder().speakers(2).build().utterances();
        assertThatThrownBy(() -> Splitter.split(u, SplitKind.SPEAKER, 0.2, 0.15, 1)).isInstanceOf(UsageException.class)
                .hasMessageContaining("at least 3 speakers").hasMessageContaining("ser.train.split = random");
        List<UtteranceInfo> five = SyntheticFeatures.builder().speakers(5).build().utterances();
        assertThatThrownBy(() -> Splitter.folds(five, SplitKind.SPEAKER, 5, 0.15, 1)).isInstanceOf(UsageException.class)
                .hasMessageContaining("--cv");
    }

    @Test
    void smallTestShareStillGetsASpeaker() {
        List<UtteranceInfo> u = SyntheticFeatures.builder().speakers(3).build().utterances();
        Split split = Splitter.split(u, SplitKind.SPEAKER, 0.05, 0.05, 3);
        assertThat(split.testSpeakers()).hasSize(1);
        assertThat(split.validationSpeakers()).hasSize(1);
        assertThat(split.trainSpeakers()).hasSize(1);
    }

    /** RAVDESS-like 16 speakers (odd male), 2 SAVEE speakers (male), 1 big TESS speaker (female). */
    private static List<UtteranceInfo> threeCorpora() {
        List<UtteranceInfo> u = new ArrayList<>();
        addSpeakers(u, "ravdess", 16, 6);
        addSpeakers(u, "savee", 2, 8);
        addSpeakers(u, "tess", 1, 50);
        return u;
    }

    private static void addSpeakers(List<UtteranceInfo> u, String corpus, int speakers, int perEmotion) {
        for (int s = 1; s <= speakers; s++) {
            String speaker = String.format("%02d", s);
            String gender = corpus.equals("tess") ? "female" : corpus.equals("savee") || s % 2 == 1 ? "male" : "female";
            for (Emotion e : Emotion.values()) {
                for (int r = 0; r < perEmotion; r++) {
                    String id = corpus + "/" + speaker + "_" + e.id() + "_" + r;
                    u.add(new UtteranceInfo(id, "/a/" + id + ".wav", corpus, speaker, e, gender));
                }
            }
        }
    }

    private static Set<String> corporaOf(List<String> speakerKeys) {
        Set<String> c = new HashSet<>();
        speakerKeys.forEach(k -> c.add(k.substring(0, k.indexOf('/'))));
        return c;
    }

    @Test
    void everyCorpusTrainsInASplitWhateverTheSeed() {
        List<UtteranceInfo> u = threeCorpora();
        for (long seed = 0; seed < 40; seed++) {
            Split split = Splitter.split(u, SplitKind.SPEAKER, 0.2, 0.15, seed);
            assertPartition(u.size(), split);
            assertThat(corporaOf(split.trainSpeakers())).as("seed %d", seed).containsExactlyInAnyOrder("ravdess", "savee", "tess");
            assertThat(split.testSpeakers()).as("seed %d", seed).isNotEmpty();
            assertThat(split.validationSpeakers()).as("seed %d", seed).isNotEmpty();
            // The RAVDESS speakers are shared out by their share: about 20% tested.
            long ravdessTest = split.testSpeakers().stream().filter(k -> k.startsWith("ravdess/")).count();
            assertThat(ravdessTest).as("seed %d", seed).isBetween(3L, 4L);
        }
    }

    @Test
    void foldsSpreadEachCorpusAndKeepItInTraining() {
        List<UtteranceInfo> u = threeCorpora();
        for (long seed = 0; seed < 20; seed++) {
            List<Split> folds = Splitter.folds(u, SplitKind.SPEAKER, 5, 0.15, seed);
            Set<String> seenSavee = new HashSet<>();
            for (Split f : folds) {
                assertPartition(u.size(), f);
                List<String> test = f.testSpeakers();
                long savee = test.stream().filter(k -> k.startsWith("savee/")).count();
                assertThat(savee).as("both SAVEE speakers never share a fold (seed %d)", seed).isLessThanOrEqualTo(1);
                test.stream().filter(k -> k.startsWith("savee/")).forEach(seenSavee::add);
                long ravdess = test.stream().filter(k -> k.startsWith("ravdess/")).count();
                assertThat(ravdess).as("16 RAVDESS speakers over 5 folds (seed %d)", seed).isBetween(3L, 4L);
                long male = test.stream().filter(k -> k.startsWith("ravdess/") && Integer.parseInt(k.substring(8)) % 2 == 1).count();
                assertThat(male).as("8 male RAVDESS speakers over 5 folds (seed %d)", seed).isBetween(1L, 2L);
                Set<String> trained = corporaOf(f.trainSpeakers());
                assertThat(trained).as("seed %d", seed).contains("ravdess", "savee");
                if (!test.contains("tess/01")) {
                    assertThat(trained).contains("tess");
                }
            }
            assertThat(seenSavee).hasSize(2);
        }
    }

    @Test
    void assignmentIsDeterministicAcrossInputCopies() {
        List<UtteranceInfo> u = threeCorpora();
        List<Split> a = Splitter.folds(u, SplitKind.SPEAKER, 5, 0.15, 7);
        List<Split> b = Splitter.folds(new ArrayList<>(u), SplitKind.SPEAKER, 5, 0.15, 7);
        for (int f = 0; f < 5; f++) {
            assertThat(a.get(f).test()).isEqualTo(b.get(f).test());
            assertThat(a.get(f).train()).isEqualTo(b.get(f).train());
        }
    }

    @Test
    void zeroValidationFractionTrainsOnEveryNonTestSpeaker() {
        List<UtteranceInfo> u = threeCorpora();
        for (long seed = 0; seed < 10; seed++) {
            Split withValidation = Splitter.split(u, SplitKind.SPEAKER, 0.2, 0.15, seed);
            Split none = Splitter.split(u, SplitKind.SPEAKER, 0.2, 0, seed);
            assertPartition(u.size(), none);
            assertThat(none.validation()).as("seed %d", seed).isEmpty();
            assertThat(none.validationSpeakers()).isEmpty();
            assertThat(none.hasValidation()).isFalse();
            // The test part does not depend on the validation share; its former validation speakers now train.
            assertThat(none.test()).isEqualTo(withValidation.test());
            int[] formerTraining = IntStream.concat(Arrays.stream(withValidation.train()), Arrays.stream(withValidation.validation()))
                    .sorted().toArray();
            assertThat(none.train()).isEqualTo(formerTraining);
            Set<String> expectedSpeakers = new HashSet<>(withValidation.trainSpeakers());
            expectedSpeakers.addAll(withValidation.validationSpeakers());
            assertThat(none.trainSpeakers()).containsExactlyElementsOf(expectedSpeakers.stream().sorted().toList());
        }
        Split none = Splitter.split(u, SplitKind.SPEAKER, 0.2, 0, 42);
        assertThat(none.describe()).contains("speakers, no validation part, test ").doesNotContain("validation 0");
        // Utterance by utterance alike.
        List<UtteranceInfo> small = SyntheticFeatures.builder().speakers(4).perEmotion(10).build().utterances();
        Split random = Splitter.split(small, SplitKind.RANDOM, 0.2, 0, 1);
        assertPartition(small.size(), random);
        assertThat(random.validation()).isEmpty();
        assertThat(random.train().length + random.test().length).isEqualTo(small.size());
    }

    @Test
    void zeroValidationFractionFoldsTrainOnEveryOtherSpeaker() {
        List<UtteranceInfo> u = threeCorpora();
        List<Split> withValidation = Splitter.folds(u, SplitKind.SPEAKER, 5, 0.15, 42);
        List<Split> none = Splitter.folds(u, SplitKind.SPEAKER, 5, 0, 42);
        assertThat(none).hasSize(5);
        for (int f = 0; f < 5; f++) {
            Split fold = none.get(f);
            assertPartition(u.size(), fold);
            assertThat(fold.validation()).isEmpty();
            assertThat(fold.validationSpeakers()).isEmpty();
            assertThat(fold.test()).isEqualTo(withValidation.get(f).test());
            assertThat(fold.train()).hasSize(u.size() - fold.test().length);
            assertThat(fold.trainSpeakers()).hasSize(19 - fold.testSpeakers().size()).doesNotContainAnyElementsOf(fold.testSpeakers());
        }
    }

    @Test
    void withoutValidationFewerSpeakersSufficeButTooFewStillFailClearly() {
        // Two speakers: not enough for train/validation/test, enough for train/test.
        List<UtteranceInfo> two = SyntheticFeatures.builder().speakers(2).build().utterances();
        Split split = Splitter.split(two, SplitKind.SPEAKER, 0.2, 0, 1);
        assertThat(split.testSpeakers()).hasSize(1);
        assertThat(split.trainSpeakers()).hasSize(1);
        List<UtteranceInfo> one = SyntheticFeatures.builder().speakers(1).build().utterances();
        assertThatThrownBy(() -> Splitter.split(one, SplitKind.SPEAKER, 0.2, 0, 1)).isInstanceOf(UsageException.class)
                .hasMessageContaining("at least 2 speakers, the features have 1").hasMessageContaining("validation-fraction = 0");
        // K folds: K speakers now suffice (each fold tests one and trains on the others); K - 1 do not.
        List<UtteranceInfo> five = SyntheticFeatures.builder().speakers(5).build().utterances();
        List<Split> folds = Splitter.folds(five, SplitKind.SPEAKER, 5, 0, 1);
        assertThat(folds).allSatisfy(f -> {
            assertThat(f.testSpeakers()).hasSize(1);
            assertThat(f.trainSpeakers()).hasSize(4);
        });
        List<UtteranceInfo> four = SyntheticFeatures.builder().speakers(4).build().utterances();
        assertThatThrownBy(() -> Splitter.folds(four, SplitKind.SPEAKER, 5, 0, 1)).isInstanceOf(UsageException.class)
                .hasMessageContaining("--cv 5").hasMessageContaining("at least 5 speakers, the features have 4")
                .hasMessageContaining("no validation part");
    }
}
