package ser.pipeline.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import ser.api.AudioClip;
import ser.pipeline.UsageException;
import ser.pipeline.extract.AudioAugmentSettings.Noise;

class AudioAugmenterTest {

    private static final AudioClip CLIP = Fixtures.tone(3, 12_345);

    private static AudioAugmentSettings settings(List<Double> speeds, Noise noise, double snrMin, double snrMax) {
        return new AudioAugmentSettings(3, speeds, noise, snrMin, snrMax, 99);
    }

    private static double snrDb(float[] clean, float[] noisy) {
        double signal = 0;
        double noise = 0;
        for (int i = 0; i < clean.length; i++) {
            signal += (double) clean[i] * clean[i];
            double d = (double) noisy[i] - clean[i];
            noise += d * d;
        }
        return 10 * Math.log10(signal / noise);
    }

    @ParameterizedTest
    @EnumSource(value = Noise.class, names = {"WHITE", "PINK"})
    void noiseIsAtTheDrawnSnr(Noise noise) {
        List<Double> speeds = List.of(0.9, 1.0, 1.1);
        AudioAugmenter noisy = new AudioAugmenter(settings(speeds, noise, 5, 25));
        // The same draws without noise give the clean copy the noise was added to.
        AudioAugmenter clean = new AudioAugmenter(settings(speeds, Noise.NONE, 5, 25));
        for (int c = 1; c <= 8; c++) {
            AudioAugmenter.Copy copy = noisy.copy(CLIP, "utt-a", c);
            AudioAugmenter.Copy reference = clean.copy(CLIP, "utt-a", c);
            assertThat(copy.speed()).isEqualTo(reference.speed());
            assertThat(copy.snrDb()).isBetween(5.0, 25.0);
            assertThat(reference.snrDb()).isNaN();
            assertThat(snrDb(reference.clip().samples(), copy.clip().samples())).isCloseTo(copy.snrDb(), within(0.1));
        }
    }

    @Test
    void pinkNoiseHasMorePowerAtLowFrequencies() {
        // Silence is not noised (no SNR), so a low-level DC-free signal carries the noise here.
        AudioAugmenter pink = new AudioAugmenter(settings(List.of(1.0), Noise.PINK, 0, 0));
        AudioAugmenter white = new AudioAugmenter(settings(List.of(1.0), Noise.WHITE, 0, 0));
        float[] impulse = new float[32_000];
        impulse[0] = 1;
        AudioClip clip = new AudioClip(impulse, Fixtures.RATE);
        // Lag-1 autocorrelation: about 0 for white noise, close to 1 for pink noise.
        assertThat(lag1(pink.copy(clip, "x", 1).clip().samples())).isGreaterThan(0.5);
        assertThat(Math.abs(lag1(white.copy(clip, "x", 1).clip().samples()))).isLessThan(0.05);
    }

    private static double lag1(float[] x) {
        double num = 0;
        double den = 0;
        for (int i = 1; i < x.length - 1; i++) {
            num += (double) x[i] * x[i + 1];
            den += (double) x[i] * x[i];
        }
        return num / den;
    }

    @Test
    void speedCopyLastsOriginalOverSpeed() {
        for (double speed : new double[] {0.9, 1.1, 0.95, 1.25}) {
            AudioAugmenter augmenter = new AudioAugmenter(settings(List.of(speed), Noise.NONE, 0, 0));
            AudioAugmenter.Copy copy = augmenter.copy(CLIP, "utt", 1);
            assertThat(copy.speed()).isCloseTo(speed, within(1e-12));
            assertThat((double) copy.clip().length()).isCloseTo(CLIP.length() / speed, within(1.0));
            assertThat(copy.clip().sampleRate()).isEqualTo(CLIP.sampleRate());
        }
    }

    @Test
    void speedRaisesPitchAsSoxSpeedDoes() {
        float[] x = new float[16_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(2 * Math.PI * 200 * i / Fixtures.RATE);
        }
        AudioAugmenter faster = new AudioAugmenter(settings(List.of(1.1), Noise.NONE, 0, 0));
        float[] y = faster.copy(new AudioClip(x, Fixtures.RATE), "tone", 1).clip().samples();
        // 200 cycles in 1 s become 200 cycles in 1/1.1 s: 220 Hz (counted away from the edges).
        assertThat(crossingsPerSecond(y)).isCloseTo(2 * 220, within(4.0));
    }

    private static double crossingsPerSecond(float[] y) {
        int from = 1000;
        int to = y.length - 1000;
        int n = 0;
        for (int i = from; i < to; i++) {
            if ((y[i] < 0) != (y[i + 1] < 0)) {
                n++;
            }
        }
        return n * (double) Fixtures.RATE / (to - from);
    }

    @Test
    void copiesDependOnlyOnSeedIdAndCopyNumber() {
        AudioAugmentSettings s = settings(List.of(0.9, 1.0, 1.1), Noise.PINK, 10, 30);
        AudioAugmenter.Copy a = new AudioAugmenter(s).copy(CLIP, "utt", 2);
        AudioAugmenter.Copy b = new AudioAugmenter(s).copy(CLIP, "utt", 2);
        assertThat(b.clip().samples()).isEqualTo(a.clip().samples());
        assertThat(b.snrDb()).isEqualTo(a.snrDb());
        assertThat(new AudioAugmenter(s).copy(CLIP, "utt", 3).clip().samples()).isNotEqualTo(a.clip().samples());
        assertThat(new AudioAugmenter(s).copy(CLIP, "utt2", 2).clip().samples()).isNotEqualTo(a.clip().samples());
        AudioAugmentSettings otherSeed = new AudioAugmentSettings(3, s.speeds(), s.noise(), 10, 30, 100);
        assertThat(new AudioAugmenter(otherSeed).copy(CLIP, "utt", 2).clip().samples()).isNotEqualTo(a.clip().samples());
        assertThat(AudioAugmenter.copyId("ravdess/a", 2)).isEqualTo("ravdess/a~aug2");
    }

    @Test
    void silentClipGetsNoNoise() {
        AudioAugmenter augmenter = new AudioAugmenter(settings(List.of(1.0), Noise.WHITE, 10, 10));
        AudioAugmenter.Copy copy = augmenter.copy(new AudioClip(new float[4000], Fixtures.RATE), "quiet", 1);
        assertThat(copy.snrDb()).isNaN();
        assertThat(copy.clip().samples()).containsOnly(0f);
    }

    @Test
    void settingsReadFromConfig() {
        AudioAugmentSettings off = AudioAugmentSettings.from(Fixtures.config());
        assertThat(off.enabled()).isFalse();
        AudioAugmentSettings s = AudioAugmentSettings.from(Fixtures.config(
                "ser.extract.augment { copies = 2, speed = [0.9, 1.1], noise = white, snr-db = [5, 15], seed = 7 }"));
        assertThat(s).isEqualTo(new AudioAugmentSettings(2, List.of(0.9, 1.1), Noise.WHITE, 5, 15, 7));
    }

    @Test
    void badSettingsFailNamingTheKey() {
        assertBad("ser.extract.augment.copies = -1", "ser.extract.augment.copies");
        assertBad("ser.extract.augment.copies = two", "ser.extract.augment.copies");
        assertBad("ser.extract.augment.speed = []", "ser.extract.augment.speed");
        assertBad("ser.extract.augment.speed = [0.9, 3]", "ser.extract.augment.speed");
        assertBad("ser.extract.augment.noise = brown", "ser.extract.augment.noise");
        assertBad("ser.extract.augment.snr-db = [30, 10]", "ser.extract.augment.snr-db");
        assertBad("ser.extract.augment.snr-db = [10]", "ser.extract.augment.snr-db");
        // A mistyped key is refused by the settings validator, naming it.
        assertThatThrownBy(() -> Fixtures.config("ser.extract.augment.copys = 2"))
                .isInstanceOf(UsageException.class).hasMessageContaining("ser.extract.augment.copys");
    }

    private static void assertBad(String hocon, String key) {
        assertThatThrownBy(() -> AudioAugmentSettings.from(Fixtures.config(hocon)))
                .isInstanceOf(UsageException.class).hasMessageStartingWith(key);
    }
}
