package ser.pipeline.normalize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import ser.pipeline.store.FeatureSchema;
import ser.pipeline.store.FeatureSet;
import ser.pipeline.store.UtteranceInfo;
import ser.pipeline.train.Standardizer;

/**
 * A feature set whose utterances are standardized with their own group's statistics (the
 * speaker's or the corpus's, as {@link Normalization} says): per column mean and population std
 * over all the group's utterance vectors, and separately over all frames of the group's
 * sequences (std below {@link Standardizer#MIN_STD} counts as 1). The statistics of a group come
 * from that group's utterances in this feature set only, so a test speaker is normalized with
 * their own data and never with the training speakers' (transductive, as for prediction). They
 * are computed on first use, once per kind, and kept.
 */
public final class NormalizedFeatures implements FeatureSet {

    private final FeatureSet raw;
    private final Normalization mode;
    private final String[] groupOf;
    private Map<String, Standardizer> vectorStatistics;
    private Map<String, Standardizer> frameStatistics;

    private NormalizedFeatures(FeatureSet raw, Normalization mode) {
        this.raw = raw;
        this.mode = mode;
        List<UtteranceInfo> utterances = raw.utterances();
        this.groupOf = new String[utterances.size()];
        for (int i = 0; i < groupOf.length; i++) {
            groupOf[i] = mode.groupOf(utterances.get(i));
        }
    }

    /** {@code features} normalized as {@code mode} says: itself when OFF or when already so normalized. */
    public static FeatureSet of(FeatureSet features, Normalization mode) {
        FeatureSet base = features instanceof NormalizedFeatures n ? n.raw : features;
        if (features instanceof NormalizedFeatures n && n.mode == mode) {
            return n;
        }
        return mode == Normalization.OFF ? base : new NormalizedFeatures(base, mode);
    }

    public Normalization mode() {
        return mode;
    }

    /** Utterances per group (speaker or corpus), in key order. */
    public Map<String, Integer> groupSizes() {
        Map<String, Integer> sizes = new TreeMap<>();
        List<UtteranceInfo> utterances = raw.utterances();
        for (int i = 0; i < groupOf.length; i++) {
            if (!utterances.get(i).isAugmented()) {
                sizes.merge(groupOf[i], 1, Integer::sum);
            }
        }
        return sizes;
    }

    /** The groups with fewer than {@code min} utterances, for a warning: their statistics are unreliable. */
    public List<String> smallGroups(int min) {
        List<String> small = new ArrayList<>();
        groupSizes().forEach((g, n) -> {
            if (n < min) {
                small.add(g + " (" + n + ")");
            }
        });
        return small;
    }

    @Override
    public FeatureSchema schema() {
        return raw.schema();
    }

    @Override
    public List<UtteranceInfo> utterances() {
        return raw.utterances();
    }

    @Override
    public float[][] sequence(int index) {
        return frameStatistics().get(groupOf[index]).apply(raw.sequence(index));
    }

    @Override
    public float[] utteranceVector(int index) {
        return vectorStatistics().get(groupOf[index]).apply(new float[][] {raw.utteranceVector(index)})[0];
    }

    private synchronized Map<String, Standardizer> vectorStatistics() {
        if (vectorStatistics == null) {
            int width = raw.schema().utteranceColumns().size();
            vectorStatistics = fit(width, i -> new float[][] {raw.utteranceVector(i)});
        }
        return vectorStatistics;
    }

    private synchronized Map<String, Standardizer> frameStatistics() {
        if (frameStatistics == null) {
            int width = raw.schema().frameColumns().size();
            frameStatistics = fit(width, raw::sequence);
        }
        return frameStatistics;
    }

    /**
     * Statistics per group from its original utterances only: augmented copies (ser.extract.augment)
     * are normalized with their speaker's statistics but do not shift them, so a group's statistics
     * are the same with and without augmentation (as at predict time, where there are no copies).
     */
    private Map<String, Standardizer> fit(int width, java.util.function.IntFunction<float[][]> rows) {
        Map<String, Standardizer.Accumulator> accumulators = new LinkedHashMap<>();
        List<UtteranceInfo> utterances = raw.utterances();
        for (int i = 0; i < groupOf.length; i++) {
            if (utterances.get(i).isAugmented()) {
                continue;
            }
            accumulators.computeIfAbsent(groupOf[i], g -> new Standardizer.Accumulator(width)).add(rows.apply(i));
        }
        Map<String, Standardizer> statistics = new LinkedHashMap<>();
        accumulators.forEach((g, acc) -> statistics.put(g, acc.result()));
        return statistics;
    }
}
