package ser.pipeline.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import ser.pipeline.UsageException;
import ser.pipeline.store.VoicedSetting;

class VoicedFunctionalsTest {

    private static final List<String> FRAME_COLUMNS = List.of("pitch_f0", "pitch_voiced", "vq_hnr");
    private static final Functionals FUNCTIONALS = Functionals.parse(List.of("mean", "std", "min", "max", "median", "p25",
            "slope", "skew"));
    private static final VoicedSetting SETTING = new VoicedSetting("pitch_voiced", List.of("pitch_f0", "vq_hnr"),
            List.of("pitch_f0"));

    /** f0, voicing, hnr per frame: frames 1, 3, 4 and 6 are voiced (0.9 is, 0.4 is not). */
    private static final float[][] FRAMES = {
        {0, 0, 5}, {100, 1, 10}, {0, 0, -3}, {200, 1, 12}, {150, 0.9f, 11}, {400, 0.4f, 20}, {300, 1, 14},
    };

    private static float[] compute(float[][] frames) {
        VoicedFunctionals v = VoicedFunctionals.of(SETTING, FRAME_COLUMNS, FUNCTIONALS);
        float[] out = new float[v.columnNames().size() + 2];
        out[0] = -7;
        out[out.length - 1] = -7;
        v.compute(frames, new double[frames.length], out, 1);
        assertThat(out[0]).isEqualTo(-7); // writes only its own slots
        assertThat(out[out.length - 1]).isEqualTo(-7);
        return out;
    }

    @Test
    void namesFollowTheColumnsThenTheSemitoneColumnsThenTheFraction() {
        List<String> names = VoicedFunctionals.of(SETTING, FRAME_COLUMNS, FUNCTIONALS).columnNames();
        assertThat(names).hasSize(3 * 8 + 1);
        assertThat(names.subList(0, 8)).containsExactly("voiced_pitch_f0_mean", "voiced_pitch_f0_std", "voiced_pitch_f0_min",
                "voiced_pitch_f0_max", "voiced_pitch_f0_median", "voiced_pitch_f0_p25", "voiced_pitch_f0_slope",
                "voiced_pitch_f0_skew");
        assertThat(names.get(8)).isEqualTo("voiced_vq_hnr_mean");
        assertThat(names.get(16)).isEqualTo("voiced_pitch_f0_st_mean");
        assertThat(names.get(24)).isEqualTo("voiced_fraction");
    }

    @Test
    void functionalsOverTheVoicedFramesOnly() {
        float[] out = compute(FRAMES);
        // Expected values from numpy/scipy over f0 = [100, 200, 150, 300], hnr = [10, 12, 11, 14]
        // (the voiced frames in order); slope against 0..3.
        float[] f0 = Arrays.copyOfRange(out, 1, 9);
        assertThat(f0[0]).isCloseTo(187.5f, within(1e-4f));
        assertThat(f0[1]).isCloseTo(73.9509972887452f, within(1e-4f));
        assertThat(f0[2]).isEqualTo(100f);
        assertThat(f0[3]).isEqualTo(300f);
        assertThat(f0[4]).isEqualTo(175f);
        assertThat(f0[5]).isEqualTo(137.5f);
        assertThat(f0[6]).isCloseTo(55f, within(1e-4f));
        assertThat(f0[7]).isCloseTo(0.43465075957466565f, within(1e-6f));
        float[] hnr = Arrays.copyOfRange(out, 9, 17);
        assertThat(hnr[0]).isCloseTo(11.75f, within(1e-6f));
        assertThat(hnr[1]).isCloseTo(1.479019945774904f, within(1e-6f));
        assertThat(hnr[2]).isEqualTo(10f);
        assertThat(hnr[3]).isEqualTo(14f);
        assertThat(hnr[4]).isEqualTo(11.5f);
        assertThat(hnr[6]).isCloseTo(1.1f, within(1e-6f));
        // 12 * log2(f0 / 27.5)
        float[] st = Arrays.copyOfRange(out, 17, 25);
        assertThat(st[0]).isCloseTo(31.859732719327713f, within(1e-4f));
        assertThat(st[1]).isCloseTo(6.951152464231965f, within(1e-4f));
        assertThat(st[2]).isCloseTo(22.34995771500078f, within(1e-4f));
        assertThat(st[3]).isCloseTo(41.36950772365465f, within(1e-4f));
        assertThat(st[5]).isCloseTo(27.614620221491183f, within(1e-4f));
        assertThat(st[6]).isCloseTo(5.207820003461549f, within(1e-4f));
        assertThat(out[25]).isCloseTo(4f / 7, within(1e-7f)); // voiced_fraction
    }

    @Test
    void fewerThanTwoVoicedFramesGiveZerosButTheFraction() {
        float[][] one = {{0, 0, 5}, {100, 1, 10}, {0, 0, -3}, {400, 0.4f, 20}};
        float[] out = compute(one);
        for (int i = 1; i < 25; i++) {
            assertThat(out[i]).as("column %d", i).isZero();
        }
        assertThat(out[25]).isEqualTo(0.25f);
        float[][] none = {{0, 0, 5}, {0, 0, 7}};
        out = compute(none);
        for (int i = 1; i < 26; i++) {
            assertThat(out[i]).as("column %d", i).isZero();
        }
    }

    @Test
    void semitonesFloorTheFrequency() {
        assertThat(VoicedFunctionals.semitones(55)).isCloseTo(12.0, within(1e-12));
        assertThat(VoicedFunctionals.semitones(0)).isCloseTo(12 * Math.log(1e-3 / 27.5) / Math.log(2), within(1e-9));
    }

    @Test
    void unknownOrRepeatedColumnsNameTheKey() {
        assertThatThrownBy(() -> VoicedFunctionals.of(new VoicedSetting("pitch_voiced", List.of("formants_f1"), List.of()),
                FRAME_COLUMNS, FUNCTIONALS))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("ser.extract.voiced.columns: 'formants_f1' is not a frame column of ser.extract.extractors")
                .hasMessageContaining("pitch_f0, pitch_voiced, vq_hnr");
        assertThatThrownBy(() -> VoicedFunctionals.of(new VoicedSetting("pitch_voiced", List.of(), List.of("f0")),
                FRAME_COLUMNS, FUNCTIONALS))
                .hasMessageStartingWith("ser.extract.voiced.semitones: 'f0' is not a frame column");
        assertThatThrownBy(() -> VoicedFunctionals.of(new VoicedSetting("voiced", List.of("pitch_f0"), List.of()),
                FRAME_COLUMNS, FUNCTIONALS))
                .hasMessageStartingWith("ser.extract.voiced.voicing-column: 'voiced' is not a frame column");
        assertThatThrownBy(() -> VoicedFunctionals.of(new VoicedSetting("pitch_voiced", List.of("vq_hnr", "vq_hnr"), List.of()),
                FRAME_COLUMNS, FUNCTIONALS))
                .hasMessage("ser.extract.voiced.columns: 'vq_hnr' is listed twice");
    }
}
