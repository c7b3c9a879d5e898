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
 * <p><b>Greedy stratified assignment.</b> Each part {@code p} has a target share {@code f_p}, hence a
 * target count {@code f_p * C_k} of every emotion {@code k} ({@code C_k} = all utterances of k).
 * Groups are put in a seeded order (sorted by key, shuffled with {@code java.util.Random(seed)},
 * then stably sorted by size, largest first, since big groups are the hard ones to place), and each
 * group goes to the part where adding it lowers (or least raises) the cost
 * {@code Σ_p Σ_k (n_pk - f_p C_k)² / (f_p N)}, the squared distance of every part's emotion counts
 * from its target, relative to the part's size. This fills every part towards its size and its
 * emotion mix at once, as far as whole speakers allow. Ties go to the part with the larger unmet
 * size, then the lower part index. A part left empty then takes, from the part with the most
 * groups, the group whose move costs least. The result depends on nothing but the utterance list
 * and the seed.
 *
 * <p><b>Train/validation/test.</b> First all groups into {test, rest} with shares
 * {@code (testFraction, 1 - testFraction)}; then the rest into {validation, train} with
 * {@code (validationFraction, 1 - validationFraction)} (seed + 1): validation speakers are always
 * training-side speakers, and the test part plays no role in training.
 *
 * <p><b>Folds.</b> All groups into K parts of share 1/K; fold k tests on part k and splits its
 * other parts into validation and train as above (seed + k).
 */
public final class Splitter {

    private Splitter() {
    }

    /** Utterances that must stay together, with their emotion counts. */
    record Group(String key, int[] members, int[] classCounts) {
        int size() {
            return members.length;
        }
    }

    /** The train / validation / test split of {@code utterances}. */
    public static Split split(List<UtteranceInfo> utterances, SplitKind kind, double testFraction, double validationFraction,
            long seed) {
        List<Group> groups = groups(utterances, kind);
        requireGroups(groups, kind, 3, "a train/validation/test split");
        int[] first = assign(groups, new double[] {testFraction, 1 - testFraction}, seed);
        List<Group> test = new ArrayList<>();
        List<Group> rest = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            (first[g] == 0 ? test : rest).add(groups.get(g));
        }
        return trainValidation(utterances, kind, seed, test, rest, validationFraction, seed + 1);
    }

    /** K cross-validation folds, grouped as {@code kind} says; each fold's validation comes from its training groups. */
    public static List<Split> folds(List<UtteranceInfo> utterances, SplitKind kind, int k, double validationFraction, long seed) {
        if (k < 2) {
            throw new UsageException("--cv: needs at least 2 folds, got " + k);
        }
        List<Group> groups = groups(utterances, kind);
        requireGroups(groups, kind, k + 1, "--cv " + k + " (each fold needs test, validation and training "
                + (kind == SplitKind.SPEAKER ? "speakers" : "utterances") + ")");
        double[] shares = new double[k];
        Arrays.fill(shares, 1.0 / k);
        int[] part = assign(groups, shares, seed);
        List<Split> folds = new ArrayList<>();
        for (int fold = 0; fold < k; fold++) {
            List<Group> test = new ArrayList<>();
            List<Group> rest = new ArrayList<>();
            for (int g = 0; g < groups.size(); g++) {
                (part[g] == fold ? test : rest).add(groups.get(g));
            }
            if (rest.size() < 2) {
                throw new UsageException("--cv " + k + ": fold " + (fold + 1) + " leaves fewer than 2 training "
                        + (kind == SplitKind.SPEAKER ? "speakers" : "utterances") + "; use fewer folds");
            }
            folds.add(trainValidation(utterances, kind, seed, test, rest, validationFraction, seed + 1 + fold));
        }
        return folds;
    }

    private static Split trainValidation(List<UtteranceInfo> utterances, SplitKind kind, long seed, List<Group> test,
            List<Group> rest, double validationFraction, long seed2) {
        int[] second = assign(rest, new double[] {validationFraction, 1 - validationFraction}, seed2);
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
            for (int m : members) {
                counts[utterances.get(m).emotion().index()]++;
            }
            groups.add(new Group(e.getKey(), members, counts));
        }
        return groups;
    }

    /**
     * Assigns every group a part {@code 0..shares.length-1}, see the class comment.
     *
     * @return the part of {@code groups.get(g)}
     */
    static int[] assign(List<Group> groups, double[] shares, long seed) {
        int parts = shares.length;
        int classes = Emotion.COUNT;
        double[] totalClass = new double[classes];
        double total = 0;
        for (Group g : groups) {
            for (int k = 0; k < classes; k++) {
                totalClass[k] += g.classCounts()[k];
            }
            total += g.size();
        }
        double[][] target = new double[parts][classes];
        double[] targetSize = new double[parts];
        for (int p = 0; p < parts; p++) {
            for (int k = 0; k < classes; k++) {
                target[p][k] = shares[p] * totalClass[k];
            }
            targetSize[p] = Math.max(1e-9, shares[p] * total);
        }
        // Seeded order: key order, shuffled, then the largest groups first (stable).
        List<Integer> order = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            order.add(g);
        }
        order.sort(Comparator.comparing(g -> groups.get(g).key()));
        Collections.shuffle(order, new Random(seed));
        order.sort(Comparator.comparingInt(g -> -groups.get(g).size()));

        double[][] count = new double[parts][classes];
        double[] size = new double[parts];
        int[] partOf = new int[groups.size()];
        int[] groupsIn = new int[parts];
        for (int g : order) {
            int[] c = groups.get(g).classCounts();
            int best = -1;
            double bestDelta = Double.POSITIVE_INFINITY;
            for (int p = 0; p < parts; p++) {
                if (shares[p] <= 0) {
                    continue;
                }
                double delta = addCost(count[p], c, target[p], targetSize[p]);
                boolean better = delta < bestDelta - 1e-12
                        || (Math.abs(delta - bestDelta) <= 1e-12
                        && targetSize[p] - size[p] > targetSize[best] - size[best] + 1e-12);
                if (better) {
                    best = p;
                    bestDelta = delta;
                }
            }
            partOf[g] = best;
            groupsIn[best]++;
            size[best] += groups.get(g).size();
            for (int k = 0; k < classes; k++) {
                count[best][k] += c[k];
            }
        }
        // No part with a positive share stays empty while another has groups to spare.
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
                for (int g : order) {
                    if (partOf[g] != donor) {
                        continue;
                    }
                    int[] c = groups.get(g).classCounts();
                    double cost = addCost(count[p], c, target[p], targetSize[p]) + removeCost(count[donor], c, target[donor],
                            targetSize[donor]);
                    if (cost < moveCost - 1e-12) {
                        move = g;
                        moveCost = cost;
                    }
                }
                int[] c = groups.get(move).classCounts();
                for (int k = 0; k < classes; k++) {
                    count[donor][k] -= c[k];
                    count[p][k] += c[k];
                }
                partOf[move] = p;
                groupsIn[donor]--;
                groupsIn[p]++;
            }
        }
        return partOf;
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
