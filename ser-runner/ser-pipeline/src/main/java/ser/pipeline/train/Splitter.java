package ser.pipeline.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import ser.api.Emotion;
import ser.pipeline.UsageException;
import ser.pipeline.store.UtteranceInfo;
import ser.pipeline.train.TrainSettings.SplitKind;

/**
 * Divides utterances into train, validation and test parts, or into cross-validation folds.
 *
 * <p><b>Groups.</b> Under the speaker split a group is a speaker ({@link UtteranceInfo#speakerKey()}),
 * so no speaker is in two parts; under the random split every utterance is its own group (speakers
 * then overlap, and the split is labelled {@code random} in every report).
 *
 * <p><b>Greedy stratified assignment, corpus by corpus.</b> Each part {@code p} has a target share
 * {@code f_p}, hence a target count {@code f_p * C_ck} of every emotion {@code k} of every corpus
 * {@code c} ({@code C_ck} = all utterances of k in c). Groups are put in a seeded order (sorted by
 * key, shuffled with {@code java.util.Random(seed)}, then stably sorted by size, largest first,
 * since big groups are the hard ones to place, then stably by corpus, corpora with fewest groups
 * first, since their few speakers are the hard ones to spread), and each group goes to the
 * allowed part where adding it lowers (or least raises) its corpus's cost
 * {@code Σ_p Σ_k (n_pck - f_p C_ck)² / (f_p N_c)}, the squared distance of every part's emotion
 * counts of that corpus from their target, relative to the part's share of the corpus. Balancing
 * each corpus on its own gives every part its share of every corpus and of its emotions, however
 * unequal the corpora are in size. Ties (common among equal speakers) go to the part furthest
 * below its share of all utterances, so that the speakers of small corpora and the folds
 * holding a big one-speaker corpus even out, then to the lower part index.
 *
 * <p><b>Allowed parts.</b> A part holds at most {@code ceil(f_p * G_c)} of the {@code G_c} groups
 * of a corpus (so a corpus's speakers spread over the folds: two SAVEE speakers never share a
 * fold), and, where the gender is known and some part allows it, at most {@code ceil(f_p * G_cg)}
 * of its groups of gender {@code g}. When the assignment has a training side (test vs the rest,
 * then validation vs train), the first group of every corpus goes to the training side: so a
 * corpus is never wholly in validation or test, and a one-speaker corpus always trains. A part
 * with a positive share left empty then takes, from the part with the most groups, the group whose move costs least,
 * preferring moves that leave the training side a group of every corpus. The result depends on
 * nothing but the utterance list and the seed.
 *
 * <p><b>Train/validation/test.</b> First all groups into {test, rest} with shares
 * {@code (testFraction, 1 - testFraction)}; then the rest into {validation, train} with
 * {@code (validationFraction, 1 - validationFraction)} (seed + 1): validation speakers are always
 * training-side speakers, and the test part plays no role in training. A validation fraction of
 * exactly 0 means no validation part: the whole rest trains (for a model with no epochs to choose,
 * such as the {@code linear} backend, held-out validation speakers would only be lost), and a split
 * then needs only two groups.
 *
 * <p><b>Folds.</b> All groups into K parts of share 1/K; fold k tests on part k and splits its
 * other parts into validation and train as above (seed + k). A corpus with at least two speakers
 * has at most {@code ceil(G_c / K) < G_c} of them in any fold, so every fold trains on it; a
 * one-speaker corpus is necessarily absent from the training of the fold that tests it. Folds need
 * K + 1 groups (K without a validation part).
 *
 * <p><b>Augmented copies</b> ({@code ser.extract.augment}) play no part in the assignment: it
 * is computed on the original utterances alone, so it is the same as for the same store without
 * copies; then each copy joins the training part iff its original is in it (under the speaker
 * split: iff its speaker trains), and never validation or test.
 */
public final class Splitter {

    private Splitter() {
    }

    /** Utterances that must stay together, with their emotion counts. */
    record Group(String key, String corpus, String gender, int[] members, int[] classCounts) {
        int size() {
            return members.length;
        }
    }

    /** The train / validation / test split of {@code utterances}; augmented copies train iff their original does. */
    public static Split split(List<UtteranceInfo> utterances, SplitKind kind, double testFraction, double validationFraction,
            long seed) {
        Originals o = Originals.of(utterances);
        return o.withCopies(splitOriginals(o.utterances(), kind, testFraction, validationFraction, seed));
    }

    /** K cross-validation folds; augmented copies train iff their original does. */
    public static List<Split> folds(List<UtteranceInfo> utterances, SplitKind kind, int k, double validationFraction, long seed) {
        Originals o = Originals.of(utterances);
        return foldsOfOriginals(o.utterances(), kind, k, validationFraction, seed).stream().map(o::withCopies).toList();
    }

    /**
     * The original utterances of a list that may hold augmented copies, and where each copy's
     * original is. Without copies, {@link #withCopies} returns the split as it is.
     *
     * @param index    {@code index[j]}: position in the full list of original {@code j}
     * @param copiesOf for each original (by position among the originals), its copies' positions in the full list
     */
    private record Originals(List<UtteranceInfo> utterances, int[] index, List<List<Integer>> copiesOf, int copies) {

        static Originals of(List<UtteranceInfo> all) {
            List<UtteranceInfo> originals = new ArrayList<>();
            List<Integer> index = new ArrayList<>();
            Map<String, Integer> byId = new java.util.HashMap<>();
            for (int i = 0; i < all.size(); i++) {
                UtteranceInfo u = all.get(i);
                if (!u.isAugmented()) {
                    byId.put(u.id(), originals.size());
                    originals.add(u);
                    index.add(i);
                }
            }
            List<List<Integer>> copiesOf = new ArrayList<>();
            for (int j = 0; j < originals.size(); j++) {
                copiesOf.add(new ArrayList<>());
            }
            int copies = 0;
            for (int i = 0; i < all.size(); i++) {
                UtteranceInfo u = all.get(i);
                if (u.isAugmented()) {
                    Integer j = byId.get(u.augmentedFrom());
                    if (j == null) {
                        throw new IllegalArgumentException("augmented copy " + u.id() + " of unknown utterance " + u.augmentedFrom());
                    }
                    copiesOf.get(j).add(i);
                    copies++;
                }
            }
            return new Originals(originals, index.stream().mapToInt(Integer::intValue).toArray(), copiesOf, copies);
        }

        /** {@code split} (of the originals) over the full list: indices mapped back, copies of training originals added to train. */
        Split withCopies(Split split) {
            if (copies == 0) {
                return split;
            }
            List<Integer> train = new ArrayList<>();
            int augmented = 0;
            for (int j : split.train()) {
                train.add(index[j]);
                train.addAll(copiesOf.get(j));
                augmented += copiesOf.get(j).size();
            }
            int[] trainIndices = train.stream().mapToInt(Integer::intValue).sorted().toArray();
            return new Split(split.kind(), split.seed(), trainIndices, map(split.validation()), map(split.test()),
                    split.trainSpeakers(), split.validationSpeakers(), split.testSpeakers(), augmented);
        }

        private int[] map(int[] positions) {
            int[] out = new int[positions.length];
            for (int p = 0; p < positions.length; p++) {
                out[p] = index[positions[p]];
            }
            return out;
        }
    }

    private static Split splitOriginals(List<UtteranceInfo> utterances, SplitKind kind, double testFraction,
            double validationFraction, long seed) {
        List<Group> groups = groups(utterances, kind);
        boolean validated = validationFraction > 0;
        requireGroups(groups, kind, validated ? 3 : 2, validated ? "a train/validation/test split"
                : "a train/test split (ser.train.validation-fraction = 0: no validation part)");
        int[] first = assign(groups, new double[] {testFraction, 1 - testFraction}, seed, 1);
        List<Group> test = new ArrayList<>();
        List<Group> rest = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            (first[g] == 0 ? test : rest).add(groups.get(g));
        }
        return trainValidation(utterances, kind, seed, test, rest, validationFraction, seed + 1);
    }

    /** K cross-validation folds, grouped as {@code kind} says; each fold's validation comes from its training groups. */
    private static List<Split> foldsOfOriginals(List<UtteranceInfo> utterances, SplitKind kind, int k, double validationFraction,
            long seed) {
        if (k < 2) {
            throw new UsageException("--cv: needs at least 2 folds, got " + k);
        }
        List<Group> groups = groups(utterances, kind);
        boolean validated = validationFraction > 0;
        String unit = kind == SplitKind.SPEAKER ? "speakers" : "utterances";
        requireGroups(groups, kind, validated ? k + 1 : k, "--cv " + k + (validated
                ? " (each fold needs test, validation and training " + unit + ")"
                : " (each fold needs test and training " + unit + "; ser.train.validation-fraction = 0: no validation part)"));
        double[] shares = new double[k];
        Arrays.fill(shares, 1.0 / k);
        int[] part = assign(groups, shares, seed, -1);
        List<Split> folds = new ArrayList<>();
        for (int fold = 0; fold < k; fold++) {
            List<Group> test = new ArrayList<>();
            List<Group> rest = new ArrayList<>();
            for (int g = 0; g < groups.size(); g++) {
                (part[g] == fold ? test : rest).add(groups.get(g));
            }
            if (rest.size() < (validated ? 2 : 1)) {
                throw new UsageException("--cv " + k + ": fold " + (fold + 1) + " leaves fewer than " + (validated ? 2 : 1)
                        + " training-side " + unit + "; use fewer folds");
            }
            folds.add(trainValidation(utterances, kind, seed, test, rest, validationFraction, seed + 1 + fold));
        }
        return folds;
    }

    private static Split trainValidation(List<UtteranceInfo> utterances, SplitKind kind, long seed, List<Group> test,
            List<Group> rest, double validationFraction, long seed2) {
        int[] second;
        if (validationFraction > 0) {
            second = assign(rest, new double[] {validationFraction, 1 - validationFraction}, seed2, 1);
        } else {
            // No validation part: every training-side group trains.
            second = new int[rest.size()];
            Arrays.fill(second, 1);
        }
        List<Group> validation = new ArrayList<>();
        List<Group> train = new ArrayList<>();
        for (int g = 0; g < rest.size(); g++) {
            (second[g] == 0 ? validation : train).add(rest.get(g));
        }
        return new Split(kind, seed, indices(train), indices(validation), indices(test),
                speakers(utterances, train), speakers(utterances, validation), speakers(utterances, test));
    }

    private static void requireGroups(List<Group> groups, SplitKind kind, int needed, String what) {
        if (groups.size() < needed) {
            throw new UsageException(what + " needs at least " + needed + " "
                    + (kind == SplitKind.SPEAKER ? "speakers" : "utterances") + ", the features have " + groups.size()
                    + (kind == SplitKind.SPEAKER ? " (ser.train.split = random splits by utterance, optimistically)" : ""));
        }
    }

    static List<Group> groups(List<UtteranceInfo> utterances, SplitKind kind) {
        Map<String, List<Integer>> byKey = new TreeMap<>();
        for (int i = 0; i < utterances.size(); i++) {
            UtteranceInfo u = utterances.get(i);
            String key = kind == SplitKind.SPEAKER ? u.speakerKey() : u.id() + "#" + i;
            byKey.computeIfAbsent(key, x -> new ArrayList<>()).add(i);
        }
        List<Group> groups = new ArrayList<>(byKey.size());
        for (Map.Entry<String, List<Integer>> e : byKey.entrySet()) {
            int[] members = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            int[] counts = new int[Emotion.COUNT];
            String gender = utterances.get(members[0]).gender();
            for (int m : members) {
                counts[utterances.get(m).emotion().index()]++;
                if (!gender.equals(utterances.get(m).gender())) {
                    gender = "";
                }
            }
            groups.add(new Group(e.getKey(), utterances.get(members[0]).corpus(), gender, members, counts));
        }
        return groups;
    }

    /**
     * Assigns every group a part {@code 0..shares.length-1}, see the class comment.
     *
     * @param trainPart the part that must hold at least one group of every corpus, or -1
     * @return the part of {@code groups.get(g)}
     */
    static int[] assign(List<Group> groups, double[] shares, long seed, int trainPart) {
        int parts = shares.length;
        int classes = Emotion.COUNT;
        // Corpus strata: every corpus is balanced on its own, so that each part gets its share of
        // every corpus (and of every corpus's emotions), not just of the pooled utterances.
        Map<String, Integer> corpusIndex = new TreeMap<>();
        for (Group g : groups) {
            corpusIndex.putIfAbsent(g.corpus(), corpusIndex.size());
        }
        int corpora = corpusIndex.size();
        int[] corpusOf = new int[groups.size()];
        int[] corpusGroups = new int[corpora];
        Map<String, Integer> genderGroups = new TreeMap<>();
        double[][] totalClass = new double[corpora][classes];
        double[] total = new double[corpora];
        for (int g = 0; g < groups.size(); g++) {
            Group group = groups.get(g);
            int c = corpusIndex.get(group.corpus());
            corpusOf[g] = c;
            corpusGroups[c]++;
            genderGroups.merge(c + "/" + group.gender(), 1, Integer::sum);
            for (int k = 0; k < classes; k++) {
                totalClass[c][k] += group.classCounts()[k];
            }
            total[c] += group.size();
        }
        double[][][] target = new double[parts][corpora][classes];
        double[][] targetSize = new double[parts][corpora];
        for (int p = 0; p < parts; p++) {
            for (int c = 0; c < corpora; c++) {
                for (int k = 0; k < classes; k++) {
                    target[p][c][k] = shares[p] * totalClass[c][k];
                }
                targetSize[p][c] = Math.max(1e-9, shares[p] * total[c]);
            }
        }
        // Seeded order: key order, shuffled, then the largest groups first (stable), then the
        // corpora with fewest groups first (stable): their few speakers are the hard ones to spread.
        List<Integer> order = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            order.add(g);
        }
        order.sort(Comparator.comparing(g -> groups.get(g).key()));
        Collections.shuffle(order, new Random(seed));
        order.sort(Comparator.comparingInt(g -> -groups.get(g).size()));
        order.sort(Comparator.<Integer>comparingInt(g -> corpusGroups[corpusOf[g]]).thenComparingInt(g -> corpusOf[g]));

        double[][][] count = new double[parts][corpora][classes];
        double[][] size = new double[parts][corpora];
        int[][] corpusIn = new int[parts][corpora];
        Map<String, Integer> genderIn = new TreeMap<>();
        int[] partOf = new int[groups.size()];
        int[] groupsIn = new int[parts];
        for (int g : order) {
            Group group = groups.get(g);
            int corpus = corpusOf[g];
            int[] c = group.classCounts();
            String gender = corpus + "/" + group.gender();
            boolean[] allowed = allowedParts(shares, trainPart, corpusIn, corpus, corpusGroups[corpus], group.gender().isEmpty()
                    ? null : p -> genderIn.getOrDefault(p + ":" + gender, 0) < cap(genderGroups.get(gender), shares[p]));
            int best = -1;
            double bestDelta = Double.POSITIVE_INFINITY;
            for (int p = 0; p < parts; p++) {
                if (!allowed[p]) {
                    continue;
                }
                double delta = addCost(count[p][corpus], c, target[p][corpus], targetSize[p][corpus]);
                boolean better = best < 0 || delta < bestDelta - 1e-12
                        || (Math.abs(delta - bestDelta) <= 1e-12 && unmet(p, shares, total, size)
                        > unmet(best, shares, total, size) + 1e-12);
                if (better) {
                    best = p;
                    bestDelta = delta;
                }
            }
            partOf[g] = best;
            groupsIn[best]++;
            corpusIn[best][corpus]++;
            genderIn.merge(best + ":" + gender, 1, Integer::sum);
            size[best][corpus] += group.size();
            for (int k = 0; k < classes; k++) {
                count[best][corpus][k] += c[k];
            }
        }
        // No part with a positive share stays empty while another has groups to spare. A move
        // that would take the last group of a corpus out of the training part is a last resort.
        for (int p = 0; p < parts; p++) {
            while (shares[p] > 0 && groupsIn[p] == 0) {
                int donor = -1;
                for (int q = 0; q < parts; q++) {
                    if (groupsIn[q] > 1 && (donor < 0 || groupsIn[q] > groupsIn[donor])) {
                        donor = q;
                    }
                }
                if (donor < 0) {
                    break;
                }
                int move = -1;
                double moveCost = Double.POSITIVE_INFINITY;
                boolean moveKeepsCorpus = false;
                for (int g : order) {
                    if (partOf[g] != donor) {
                        continue;
                    }
                    int corpus = corpusOf[g];
                    int[] c = groups.get(g).classCounts();
                    boolean keepsCorpus = donor != trainPart || corpusIn[donor][corpus] > 1;
                    double cost = addCost(count[p][corpus], c, target[p][corpus], targetSize[p][corpus])
                            + removeCost(count[donor][corpus], c, target[donor][corpus], targetSize[donor][corpus]);
                    if (move < 0 || (keepsCorpus && !moveKeepsCorpus) || (keepsCorpus == moveKeepsCorpus
                            && cost < moveCost - 1e-12)) {
                        move = g;
                        moveCost = cost;
                        moveKeepsCorpus = keepsCorpus;
                    }
                }
                int corpus = corpusOf[move];
                int[] c = groups.get(move).classCounts();
                for (int k = 0; k < classes; k++) {
                    count[donor][corpus][k] -= c[k];
                    count[p][corpus][k] += c[k];
                }
                size[donor][corpus] -= groups.get(move).size();
                size[p][corpus] += groups.get(move).size();
                corpusIn[donor][corpus]--;
                corpusIn[p][corpus]++;
                partOf[move] = p;
                groupsIn[donor]--;
                groupsIn[p]++;
            }
        }
        return partOf;
    }

    /** Utterances part {@code p} still lacks to reach its share of all corpora together. */
    private static double unmet(int p, double[] shares, double[] corpusTotals, double[][] size) {
        double target = 0;
        double have = 0;
        for (int c = 0; c < corpusTotals.length; c++) {
            target += shares[p] * corpusTotals[c];
            have += size[p][c];
        }
        return target - have;
    }

    /**
     * The parts a group of {@code corpus} may join: the training part while it holds none of the
     * corpus; otherwise the parts below their cap of the corpus's groups (and, when
     * {@code genderRoom} is given and some part allows it, of its gender's groups within the corpus).
     */
    private static boolean[] allowedParts(double[] shares, int trainPart, int[][] corpusIn, int corpus, int corpusGroups,
            java.util.function.IntPredicate genderRoom) {
        int parts = shares.length;
        boolean[] allowed = new boolean[parts];
        if (trainPart >= 0 && corpusIn[trainPart][corpus] == 0) {
            allowed[trainPart] = true;
            return allowed;
        }
        boolean any = false;
        for (int p = 0; p < parts; p++) {
            allowed[p] = shares[p] > 0 && corpusIn[p][corpus] < cap(corpusGroups, shares[p]);
            any |= allowed[p];
        }
        if (!any) {
            for (int p = 0; p < parts; p++) {
                allowed[p] = shares[p] > 0;
            }
        }
        if (genderRoom != null) {
            boolean[] both = new boolean[parts];
            boolean anyBoth = false;
            for (int p = 0; p < parts; p++) {
                both[p] = allowed[p] && genderRoom.test(p);
                anyBoth |= both[p];
            }
            if (anyBoth) {
                return both;
            }
        }
        return allowed;
    }

    /** At most this many of {@code n} groups go to a part of share {@code share}: its share, rounded up. */
    private static int cap(int n, double share) {
        return (int) Math.ceil(n * share - 1e-9);
    }

    /** Change of a part's cost when a group with class counts {@code c} joins it. */
    private static double addCost(double[] count, int[] c, double[] target, double targetSize) {
        double delta = 0;
        for (int k = 0; k < c.length; k++) {
            delta += c[k] * (2 * (count[k] - target[k]) + c[k]);
        }
        return delta / targetSize;
    }

    /** Change of a part's cost when a group with class counts {@code c} leaves it. */
    private static double removeCost(double[] count, int[] c, double[] target, double targetSize) {
        double delta = 0;
        for (int k = 0; k < c.length; k++) {
            delta += c[k] * (c[k] - 2 * (count[k] - target[k]));
        }
        return delta / targetSize;
    }

    private static int[] indices(List<Group> groups) {
        return groups.stream().flatMapToInt(g -> Arrays.stream(g.members())).sorted().toArray();
    }

    private static List<String> speakers(List<UtteranceInfo> utterances, List<Group> groups) {
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (Group g : groups) {
            for (int m : g.members()) {
                seen.put(utterances.get(m).speakerKey(), true);
            }
        }
        List<String> list = new ArrayList<>(seen.keySet());
        Collections.sort(list);
        return list;
    }
}
