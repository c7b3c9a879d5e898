package ser.extractors.dsp;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.IntToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** YIN's autocorrelation length is an implementation choice: any length >= span + tauMax agrees. */
class YinTest {

    private static final double FMIN = 65;
    private static final double FMAX = 2093;
    private static final double THRESHOLD = 0.1;

    @Test
    void defaultTransformIsTheSmallestFastLengthCoveringSpanPlusMaxLag() {
        Yin yin16 = new Yin(16000, FMIN, FMAX, THRESHOLD);
        assertThat(yin16.span()).isEqualTo(512);
        assertThat(yin16.tauMax()).isEqualTo(247);
        assertThat(yin16.transformLength()).isEqualTo(768);
        Yin yin22 = new Yin(22050, FMIN, FMAX, THRESHOLD);
        assertThat(yin22.span() + yin22.tauMax()).isEqualTo(1364);
        assertThat(yin22.transformLength()).isEqualTo(1536);
        assertThatThrownBy(() -> new Yin(16000, FMIN, FMAX, THRESHOLD, 758))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fastLengthGivesTheSameF0AndPeriodicityAsPowerOfTwoLengths() {
        for (int rate : new int[] {16000, 22050}) {
            Yin fast = new Yin(rate, FMIN, FMAX, THRESHOLD);
            int span = fast.span();
            int pow2 = ComplexFft.nextPowerOfTwo(span + fast.tauMax());
            assertThat(fast.transformLength()).isLessThan(pow2);
            Yin[] others = {new Yin(rate, FMIN, FMAX, THRESHOLD, pow2), new Yin(rate, FMIN, FMAX, THRESHOLD, 2 * pow2)};
            Random rnd = new Random(rate);
            double[][] signals = {
                signal(span, t -> 0.5 * Math.sin(2 * Math.PI * 220 * t / rate)),
                signal(span, t -> 0.3 * Math.sin(2 * Math.PI * 70 * t / rate + 0.4)),
                // linear chirp 100 -> 400 Hz over the span, with two harmonics
                signal(span, t -> {
                    double s = t / (double) rate;
                    double ph = 2 * Math.PI * (100 * s + 0.5 * (300.0 * rate / span) * s * s);
                    return 0.5 * Math.sin(ph) + 0.2 * Math.sin(2 * ph) + 0.1 * Math.sin(3 * ph);
                }),
                signal(span, t -> rnd.nextGaussian()),
                signal(span, t -> 0.0),
                signal(span, t -> 1e-6 * Math.sin(2 * Math.PI * 150 * t / rate)),
            };
            int voicedSignals = 0;
            for (int s = 0; s < signals.length; s++) {
                fast.analyse(signals[s]);
                double f0 = fast.f0();
                double periodicity = fast.periodicity();
                if (periodicity > 0.9) {
                    voicedSignals++;
                }
                for (Yin other : others) {
                    other.analyse(signals[s]);
                    assertThat(f0).as("signal %d at %d Hz, length %d", s, rate, other.transformLength())
                            .isCloseTo(other.f0(), within(1e-9 * Math.max(1, other.f0())));
                    assertThat(periodicity).as("signal %d at %d Hz, length %d", s, rate, other.transformLength())
                            .isCloseTo(other.periodicity(), within(1e-9));
                    assertThat(fast.energy()).isCloseTo(other.energy(), within(1e-12 * Math.max(1, other.energy())));
                }
            }
            // the signals exercise both outcomes: periodic ones are found periodic, noise is not
            assertThat(voicedSignals).isGreaterThanOrEqualTo(3);
            fast.analyse(signals[0]);
            assertThat(fast.f0()).isCloseTo(220, within(1.0));
            fast.analyse(signals[3]);
            assertThat(fast.periodicity()).isLessThan(0.5);
            fast.analyse(signals[4]);
            assertThat(fast.f0()).isZero();
            assertThat(fast.periodicity()).isZero();
        }
    }

    private static double[] signal(int n, IntToDoubleFunction f) {
        double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = f.applyAsDouble(t);
        }
        return x;
    }
}
