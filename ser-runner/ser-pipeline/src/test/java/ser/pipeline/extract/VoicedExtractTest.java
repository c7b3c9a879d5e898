package ser.pipeline.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.api.AudioClip;
import ser.pipeline.UsageException;
import ser.pipeline.prepare.ManifestRow;
import ser.pipeline.store.FeatureSchema;
import ser.pipeline.store.FeatureSet;
import ser.pipeline.store.FeatureStore;

/** Voiced-only functionals through the real pitch and voice-quality extractors, from settings to nppdp.csv. */
class VoicedExtractTest {

    private static final String REAL = "ser.extract.extractors = [pitch, voice-quality]\n"
            + "ser.extract.functionals = [mean, std, min, max, median, slope]\n";
    private static final String VOICED = "ser.extract.voiced { columns = [pitch_f0, voice-quality_hnr], semitones = [pitch_f0] }\n";

    @TempDir
    Path tmp;

    /**
     * Generated speech: a vowel-like harmonic tone (f0 {@code f0} Hz rising by 20 Hz, 1/k harmonics)
     * for 0.5 s, then 0.3 s of faint noise (unvoiced), then another 0.4 s of vowel at 1.2 times f0.
     */
    static AudioClip speech(long seed, double f0) {
        SplittableRandom random = new SplittableRandom(seed);
        int rate = Fixtures.RATE;
        int a = rate / 2;
        int b = a + rate * 3 / 10;
        int n = b + rate * 4 / 10;
        float[] x = new float[n];
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double noise = 0.003 * (random.nextDouble() * 2 - 1);
            if (i >= a && i < b) {
                x[i] = (float) noise;
                continue;
            }
            double f = i < a ? f0 + 20.0 * i / a : 1.2 * f0;
            phase += 2 * Math.PI * f / rate;
            double s = 0;
            for (int k = 1; k <= 8; k++) {
                s += Math.sin(k * phase) / k;
            }
            x[i] = (float) (0.3 * s + noise);
        }
        return new AudioClip(x, rate);
    }

    private static FeaturePipeline pipeline(String voiced) {
        return FeaturePipeline.fromConfig(Fixtures.config(REAL + voiced), Fixtures.plugins());
    }

    @Test
    void voicedColumnsAppearInNppdpWithVoicedOnlyValues() throws IOException {
        FeaturePipeline pipeline = pipeline(VOICED);
        List<ManifestRow> rows = new ArrayList<>();
        double[] f0s = {120, 160, 200, 240};
        for (int i = 0; i < f0s.length; i++) {
            rows.add(Fixtures.row("ok/" + i, i));
        }
        Path out = tmp.resolve("features");
        ExtractRun.Summary summary = new ExtractRun(pipeline,
                location -> speech(7 + location.hashCode(), f0s[Integer.parseInt(location.substring(3))]), 2)
                .run(rows, out, new Fixtures.Capture().progress);
        assertThat(summary.done()).isEqualTo(4);

        List<String> header = List.of(Files.readAllLines(out.resolve("nppdp.csv")).get(0).split(","));
        assertThat(header).contains("voiced_pitch_f0_mean", "voiced_pitch_f0_slope", "voiced_voice-quality_hnr_median",
                "voiced_pitch_f0_st_mean", "voiced_fraction");
        assertThat(header.subList(header.size() - 2, header.size())).containsExactly("voiced_fraction", "emotion_label");
        assertThat(header.stream().filter(h -> h.startsWith("voiced_"))).hasSize(3 * 6 + 1);

        FeatureSet set = FeatureStore.open(out);
        FeatureSchema schema = set.schema();
        assertThat(schema.voiced().columns()).containsExactly("pitch_f0", "voice-quality_hnr");
        List<String> cols = schema.utteranceColumns();
        for (int i = 0; i < f0s.length; i++) {
            float[] u = set.utteranceVector(i);
            double fraction = u[cols.indexOf("voiced_fraction")];
            // 0.9 s of vowel in 1.2 s; the edges of the gap are neither
            assertThat(fraction).as("fraction %d", i).isBetween(0.6, 0.85);
            double voicedMean = u[cols.indexOf("voiced_pitch_f0_mean")];
            double allMean = u[cols.indexOf("pitch_f0_mean")];
            double expected = (0.5 * (f0s[i] + 10) + 0.4 * 1.2 * f0s[i]) / 0.9; // time-weighted f0 of the vowels
            assertThat(voicedMean).as("voiced f0 mean %d", i).isCloseTo(expected, within(0.05 * expected));
            assertThat(allMean).as("all-frame f0 mean %d", i).isLessThan(voicedMean); // the gap's zeros pull it down
            assertThat(u[cols.indexOf("voiced_pitch_f0_min")]).isGreaterThan((float) (0.9 * f0s[i]));
            assertThat(u[cols.indexOf("voiced_pitch_f0_slope")]).isPositive(); // f0 rises over the voiced frames
            assertThat(u[cols.indexOf("voiced_pitch_f0_st_median")])
                    .isCloseTo((float) VoicedFunctionals.semitones(u[cols.indexOf("voiced_pitch_f0_median")]), within(1e-3f));
            assertThat(u[cols.indexOf("voiced_voice-quality_hnr_mean")])
                    .isGreaterThan(u[cols.indexOf("voice-quality_hnr_mean")]);
        }
    }

    @Test
    void offLeavesColumnsAndHashAsWithoutTheBlock() {
        FeatureSchema without = pipeline("").schema();
        FeatureSchema off = pipeline("ser.extract.voiced { columns = [], semitones = [], voicing-column = nope }\n").schema();
        assertThat(off).isEqualTo(without);
        assertThat(off.utteranceColumns()).noneMatch(c -> c.startsWith("voiced_"));
        assertThat(off.canonicalJson()).doesNotContain("\"voiced\"", "\"voiced_");
        FeatureSchema on = pipeline(VOICED).schema();
        assertThat(on.hash()).isNotEqualTo(without.hash());
        assertThat(on.utteranceColumns().subList(0, without.utteranceColumns().size()))
                .isEqualTo(without.utteranceColumns());
        FeatureSchema otherVoicing = pipeline(VOICED + "ser.extract.voiced.voicing-column = pitch_voicing_prob\n").schema();
        assertThat(otherVoicing.utteranceColumns()).isEqualTo(on.utteranceColumns());
        assertThat(otherVoicing.hash()).isNotEqualTo(on.hash());
    }

    @Test
    void aBundleSchemaRebuildsTheVoicedColumns() {
        FeaturePipeline original = pipeline(VOICED);
        FeatureSchema stored = FeatureSchema.fromJson(original.schema().toJson(), "bundle.json");
        assertThat(stored).isEqualTo(original.schema());
        FeaturePipeline rebuilt = FeaturePipeline.fromSchema(stored, Fixtures.plugins());
        AudioClip clip = speech(3, 150);
        assertThat(rebuilt.extract(clip).utteranceVector()).containsExactly(original.extract(clip).utteranceVector());
    }

    @Test
    void aColumnNoExtractorGivesIsAUsageErrorNamingTheKey() {
        assertThatThrownBy(() -> pipeline("ser.extract.voiced.columns = [formants_f1]\n"))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("ser.extract.voiced.columns: 'formants_f1' is not a frame column");
        assertThatThrownBy(() -> pipeline(VOICED + "ser.extract.voiced.voicing-column = energy_voiced\n"))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("ser.extract.voiced.voicing-column: 'energy_voiced'");
    }
}
