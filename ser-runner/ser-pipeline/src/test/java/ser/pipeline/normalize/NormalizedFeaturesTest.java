package ser.pipeline.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import ser.pipeline.UsageException;
import ser.pipeline.store.FeatureSchema;
import ser.pipeline.store.FeatureSet;
import ser.pipeline.store.UtteranceInfo;
import ser.pipeline.train.SyntheticFeatures;

class NormalizedFeaturesTest {

    private static final SyntheticFeatures RAW = SyntheticFeatures.builder().speakers(4).perEmotion(2)
            .shift(Set.of(SyntheticFeatures.speakerKey("synth", 1)), 5).build();

    private static List<Integer> rowsOf(FeatureSet f, String speakerKey) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < f.utterances().size(); i++) {
            if (f.utterances().get(i).speakerKey().equals(speakerKey)) {
                rows.add(i);
            }
        }
        return rows;
    }

    @Test
    void eachSpeakersVectorsHaveMeanZeroAndPopulationStdOne() {
        FeatureSet n = NormalizedFeatures.of(RAW, Normalization.SPEAKER);
        int width = RAW.schema().utteranceColumns().size();
        for (int s = 0; s < 4; s++) {
            List<Integer> rows = rowsOf(n, SyntheticFeatures.speakerKey("synth", s));
            for (int c = 0; c < width; c++) {
                double sum = 0;
                double sq = 0;
                for (int i : rows) {
                    sum += n.utteranceVector(i)[c];
                }
                double mean = sum / rows.size();
                for (int i : rows) {
                    double d = n.utteranceVector(i)[c] - mean;
                    sq += d * d;
                }
                assertThat(mean).isCloseTo(0, within(1e-5));
                assertThat(Math.sqrt(sq / rows.size())).isCloseTo(1, within(1e-4));
            }
        }
    }

    @Test
    void vectorsMatchTheFormulaComputedByHand() {
        // speaker 02, column 3: (x - mean) / population std over that speaker's rows only.
        List<Integer> rows = rowsOf(RAW, SyntheticFeatures.speakerKey("synth", 1));
        double sum = 0;
        for (int i : rows) {
            sum += RAW.utteranceVector(i)[3];
        }
        double mean = sum / rows.size();
        double sq = 0;
        for (int i : rows) {
            sq += Math.pow(RAW.utteranceVector(i)[3] - mean, 2);
        }
        double std = Math.sqrt(sq / rows.size());
        FeatureSet n = NormalizedFeatures.of(RAW, Normalization.SPEAKER);
        int i = rows.get(2);
        assertThat(n.utteranceVector(i)[3]).isCloseTo((float) ((RAW.utteranceVector(i)[3] - mean) / std), within(1e-5f));
    }

    @Test
    void sequencesUseAllFramesOfTheSpeaker() {
        FeatureSet n = NormalizedFeatures.of(RAW, Normalization.SPEAKER);
        List<Integer> rows = rowsOf(n, SyntheticFeatures.speakerKey("synth", 1));
        double sum = 0;
        double sq = 0;
        long frames = 0;
        for (int i : rows) {
            for (float[] frame : n.sequence(i)) {
                sum += frame[0];
                sq += frame[0] * (double) frame[0];
                frames++;
            }
        }
        double mean = sum / frames;
        assertThat(mean).isCloseTo(0, within(1e-5));
        assertThat(Math.sqrt(sq / frames - mean * mean)).isCloseTo(1, within(1e-4));
        assertThat(n.sequence(rows.get(0)).length).isEqualTo(RAW.sequence(rows.get(0)).length);
    }

    @Test
    void speakerNormalizationRemovesASpeakersOffsetCorpusNormalizationDoesNot() {
        String shifted = SyntheticFeatures.speakerKey("synth", 1);
        String plain = SyntheticFeatures.speakerKey("synth", 0);
        FeatureSet speaker = NormalizedFeatures.of(RAW, Normalization.SPEAKER);
        FeatureSet corpus = NormalizedFeatures.of(RAW, Normalization.CORPUS);
        double gapSpeaker = meanOf(speaker, shifted) - meanOf(speaker, plain);
        double gapCorpus = meanOf(corpus, shifted) - meanOf(corpus, plain);
        assertThat(Math.abs(gapSpeaker)).isLessThan(1e-4);
        assertThat(gapCorpus).isGreaterThan(1.0);
    }

    private static double meanOf(FeatureSet f, String speakerKey) {
        List<Integer> rows = rowsOf(f, speakerKey);
        double sum = 0;
        for (int i : rows) {
            sum += f.utteranceVector(i)[0];
        }
        return sum / rows.size();
    }

    @Test
    void aConstantColumnBecomesZero() {
        FeatureSet constant = new FeatureSet() {
            @Override
            public FeatureSchema schema() {
                return RAW.schema();
            }

            @Override
            public List<UtteranceInfo> utterances() {
                return RAW.utterances();
            }

            @Override
            public float[][] sequence(int index) {
                return RAW.sequence(index);
            }

            @Override
            public float[] utteranceVector(int index) {
                float[] v = RAW.utteranceVector(index).clone();
                v[0] = 7.5f;
                return v;
            }
        };
        FeatureSet n = NormalizedFeatures.of(constant, Normalization.SPEAKER);
        for (int i = 0; i < n.utterances().size(); i++) {
            assertThat(n.utteranceVector(i)[0]).isZero();
        }
    }

    @Test
    void offIsTheRawSetAndWrappingIsIdempotent() {
        assertThat(NormalizedFeatures.of(RAW, Normalization.OFF)).isSameAs(RAW);
        FeatureSet n = NormalizedFeatures.of(RAW, Normalization.SPEAKER);
        assertThat(NormalizedFeatures.of(n, Normalization.SPEAKER)).isSameAs(n);
        assertThat(NormalizedFeatures.of(n, Normalization.OFF)).isSameAs(RAW);
        assertThat(((NormalizedFeatures) NormalizedFeatures.of(n, Normalization.CORPUS)).groupSizes()).containsOnlyKeys("synth");
        assertThat(((NormalizedFeatures) n).smallGroups(100)).hasSize(4);
        assertThat(((NormalizedFeatures) n).smallGroups(1)).isEmpty();
    }

    @Test
    void parseNamesTheKey() {
        assertThat(Normalization.parse(" Speaker ", "k")).isEqualTo(Normalization.SPEAKER);
        assertThat(Normalization.parse("off", "k")).isEqualTo(Normalization.OFF);
        assertThatThrownBy(() -> Normalization.parse("global", Normalization.KEY)).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("ser.train.normalization: must be off, speaker or corpus");
    }
}
