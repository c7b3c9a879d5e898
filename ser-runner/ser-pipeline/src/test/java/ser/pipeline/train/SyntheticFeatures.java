package ser.pipeline.train;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import ser.api.Emotion;
import ser.api.FrameGrid;
import ser.pipeline.store.ExtractorSetting;
import ser.pipeline.store.FeatureSchema;
import ser.pipeline.store.FeatureSet;
import ser.pipeline.store.UtteranceInfo;

/**
 * An in-memory feature set for tests: every speaker says {@code perEmotion} utterances of each
 * emotion it has; a frame is the emotion's mean plus a speaker offset plus unit noise (F
 * columns), sequences have 6..40 frames; the utterance vector is the mean and std of each column.
 * Deterministic for a seed.
 */
public final class SyntheticFeatures implements FeatureSet {

    public static final int F = 4;

    private final FeatureSchema schema;
    private final List<UtteranceInfo> utterances = new ArrayList<>();
    private final List<float[][]> sequences = new ArrayList<>();
    private final List<float[]> vectors = new ArrayList<>();

    public static final class Builder {
        int speakers = 12;
        int perEmotion = 3;
        long seed = 7;
        String corpus = "synth";
        double separation = 2.0;
        /** Speakers (keys) whose frames get {@link #offset} added. */
        Set<String> shifted = new HashSet<>();
        double offset;
        /** When set, speaker s has only the emotions e with (s + e) % 3 != 0: class-skewed speakers. */
        boolean skewed;
        String extractorSettings = "{}";

        public Builder speakers(int n) {
            speakers = n;
            return this;
        }

        public Builder perEmotion(int n) {
            perEmotion = n;
            return this;
        }

        public Builder seed(long s) {
            seed = s;
            return this;
        }

        public Builder skewed() {
            skewed = true;
            return this;
        }

        public Builder shift(Set<String> speakerKeys, double by) {
            shifted = speakerKeys;
            offset = by;
            return this;
        }

        public Builder extractorSettings(String json) {
            extractorSettings = json;
            return this;
        }

        public SyntheticFeatures build() {
            return new SyntheticFeatures(this);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static String speakerKey(String corpus, int s) {
        return corpus + "/" + String.format("%02d", s + 1);
    }

    private SyntheticFeatures(Builder b) {
        List<String> frameColumns = new ArrayList<>();
        List<String> utteranceColumns = new ArrayList<>();
        for (int c = 0; c < F; c++) {
            frameColumns.add("synth_f" + c);
        }
        for (int c = 0; c < F; c++) {
            utteranceColumns.add("synth_f" + c + "_mean");
            utteranceColumns.add("synth_f" + c + "_std");
        }
        schema = FeatureSchema.of(new FrameGrid(16000, 512, 160, true), List.of(new ExtractorSetting("synth", b.extractorSettings)),
                frameColumns, utteranceColumns, List.of("mean", "std"));
        Random meanRng = new Random(1234);
        double[][] means = new double[Emotion.COUNT][F];
        for (int k = 0; k < Emotion.COUNT; k++) {
            for (int c = 0; c < F; c++) {
                means[k][c] = b.separation * meanRng.nextGaussian();
            }
        }
        Random rng = new Random(b.seed);
        for (int s = 0; s < b.speakers; s++) {
            String speaker = String.format("%02d", s + 1);
            String key = b.corpus + "/" + speaker;
            double[] speakerOffset = new double[F];
            for (int c = 0; c < F; c++) {
                speakerOffset[c] = 0.3 * rng.nextGaussian() + (b.shifted.contains(key) ? b.offset : 0);
            }
            for (Emotion e : Emotion.values()) {
                if (b.skewed && (s + e.index()) % 3 == 0) {
                    continue;
                }
                for (int r = 0; r < b.perEmotion; r++) {
                    int t = 6 + rng.nextInt(35);
                    float[][] seq = new float[t][F];
                    for (int i = 0; i < t; i++) {
                        for (int c = 0; c < F; c++) {
                            seq[i][c] = (float) (means[e.index()][c] + speakerOffset[c] + rng.nextGaussian());
                        }
                    }
                    utterances.add(new UtteranceInfo(b.corpus + "/" + speaker + "_" + e.id() + "_" + r, "/audio/" + speaker + "_"
                            + e.id() + "_" + r + ".wav", b.corpus, speaker, e));
                    sequences.add(seq);
                    float[] v = new float[2 * F];
                    for (int c = 0; c < F; c++) {
                        double sum = 0;
                        for (float[] frame : seq) {
                            sum += frame[c];
                        }
                        double mean = sum / t;
                        double sq = 0;
                        for (float[] frame : seq) {
                            sq += (frame[c] - mean) * (frame[c] - mean);
                        }
                        v[2 * c] = (float) mean;
                        v[2 * c + 1] = (float) Math.sqrt(sq / t);
                    }
                    vectors.add(v);
                }
            }
        }
    }

    @Override
    public FeatureSchema schema() {
        return schema;
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
