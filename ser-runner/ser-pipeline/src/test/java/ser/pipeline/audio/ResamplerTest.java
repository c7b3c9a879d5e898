package ser.pipeline.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The resampler keeps what is below the output Nyquist frequency and removes what is above. */
class ResamplerTest {

    private static final int OUT = 16000;

    /** RMS of the middle half, away from the edge transients. */
    private static double middleRms(float[] x) {
        return Signals.rms(x, x.length / 4, 3 * x.length / 4);
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {44100, 48000, 22050, 8000})
    void oneKilohertzKeepsFrequencyAndLevel(int rate) {
        float[] in = Signals.tone(1000, rate, 1.0, 0.5);
        float[] out = Resampler.resample(in, rate, OUT);
        assertThat(out).hasSize(OUT);
        assertThat(middleRms(out) / middleRms(in)).isCloseTo(1.0, within(0.01));
        // 1 kHz: 2000 zero crossings per second, 1000 in the middle half second.
        assertThat(Signals.zeroCrossings(out, 4000, 12000)).isBetween(999, 1001);
        assertThat(Signals.peakFrequency(out, 4000, 1600, OUT, 10)).isCloseTo(1000, within(10.0));
    }

    @Test
    void sevenAndAHalfKilohertzBelowNyquistIsKept() {
        float[] in = Signals.tone(7500, 48000, 1.0, 0.5);
        float[] out = Resampler.resample(in, 48000, OUT);
        assertThat(middleRms(out) / middleRms(in)).isCloseTo(1.0, within(0.01));
        assertThat(Signals.peakFrequency(out, 4000, 1600, OUT, 10)).isCloseTo(7500, within(10.0));
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {8000, 8500, 10000, 15000, 20000})
    void aboveOutputNyquistIsRemoved(int hz) {
        float[] in = Signals.tone(hz, 48000, 1.0, 0.5);
        float[] out = Resampler.resample(in, 48000, OUT);
        // < 1 % of the input level (-40 dB); the design is -80 dB.
        assertThat(middleRms(out) / middleRms(in)).isLessThan(1e-4);
    }

    /**
     * Gain at the tone's frequency, from a least-squares fit of a sinusoid of that frequency to
     * the middle half of the output (exact for a pure tone, whatever the segment length).
     */
    private static double[] fitTone(float[] y, double hz, int rate) {
        int from = y.length / 4;
        int to = 3 * y.length / 4;
        double cc = 0, ss = 0, cs = 0, yc = 0, ys = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * hz * i / rate;
            double c = Math.cos(w), s = Math.sin(w);
            cc += c * c;
            ss += s * s;
            cs += c * s;
            yc += y[i] * c;
            ys += y[i] * s;
        }
        double det = cc * ss - cs * cs;
        double a = (yc * ss - ys * cs) / det;
        double b = (ys * cc - yc * cs) / det;
        double residual = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * hz * i / rate;
            double r = y[i] - a * Math.cos(w) - b * Math.sin(w);
            residual += r * r;
        }
        return new double[] {Math.hypot(a, b), Math.sqrt(residual / (to - from))};
    }

    /** Ripple below 0.005 dB up to 0.9375 of the lower Nyquist frequency (7.5 kHz at 16 kHz). */
    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {48000, 44100, 24414, 22050, 96000, 8000})
    void passBandIsFlat(int rate) {
        double edge = Resampler.PASSBAND * Math.min(rate, OUT) / 2;
        double worst = 0;
        for (int k = 1; k <= 24; k++) {
            double hz = edge * k / 24;
            float[] out = Resampler.resample(Signals.tone(hz, rate, 0.25, 0.5), rate, OUT);
            double gainDb = 20 * Math.log10(fitTone(out, hz, OUT)[0] / 0.5);
            worst = Math.max(worst, Math.abs(gainDb));
        }
        assertThat(worst).as("largest pass-band deviation (dB)").isLessThan(0.005);
    }

    /**
     * At least 80 dB down above the lower Nyquist frequency: for down-sampling, tones from 8 kHz to
     * the input Nyquist frequency leave (as anything at all) less than -80 dB of their level; for
     * up-sampling, a tone's output holds nothing but the tone (its images are removed).
     */
    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {48000, 44100, 24414, 22050, 96000, 8000})
    void stopBandIsAtLeast80DecibelsDown(int rate) {
        double worstDb = -999;
        double rms = 0.5 / Math.sqrt(2);
        if (rate > OUT) {
            double nyquist = OUT / 2.0;
            for (int k = 0; k <= 40; k++) {
                double hz = nyquist + (rate / 2.0 - 20 - nyquist) * k / 40;
                float[] out = Resampler.resample(Signals.tone(hz, rate, 0.25, 0.5), rate, OUT);
                worstDb = Math.max(worstDb, 20 * Math.log10(middleRms(out) / rms));
            }
        } else {
            for (int k = 1; k <= 40; k++) {
                double hz = rate / 2.0 * k / 41;
                float[] out = Resampler.resample(Signals.tone(hz, rate, 0.25, 0.5), rate, OUT);
                worstDb = Math.max(worstDb, 20 * Math.log10(fitTone(out, hz, OUT)[1] / rms));
            }
        }
        assertThat(worstDb).as("strongest stop-band leak (dB)").isLessThan(-80);
    }

    /** The two-stage conversion computes (to within its stop-band level) what the direct kernel does. */
    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {48000, 44100, 24414, 96000})
    void twoStagesAgreeWithTheDirectKernel(int rate) {
        float[] in = new float[rate / 2];
        Random random = new Random(11);
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) (random.nextGaussian() * 0.2);
        }
        Resampler fast = new Resampler(rate, OUT, true, true);
        assertThat(fast.twoStage()).isTrue();
        float[] a = Resampler.resample(fast, in);
        float[] b = Resampler.resample(new Resampler(rate, OUT, true, false), in);
        assertThat(a).hasSameSizeAs(b);
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        // both keep 0..7.5 kHz and remove 8 kHz on; they differ in the 7.5-8 kHz transition only
        assertThat(Math.sqrt(diff / a.length) / Signals.rms(b)).isLessThan(0.02);
        // sample 0 is aligned with input sample 0 in both, including the response before it
        assertThat(Math.abs(a[0] - b[0])).isLessThan(0.02f);
    }

    @Test
    void outputLengthIsCeilOfTheRatio() {
        assertThat(Resampler.outputLength(44100, 44100, 16000)).isEqualTo(16000);
        assertThat(Resampler.outputLength(44101, 44100, 16000)).isEqualTo(16001);
        assertThat(Resampler.outputLength(1, 48000, 16000)).isEqualTo(1);
        assertThat(Resampler.outputLength(3, 8000, 16000)).isEqualTo(6);
        assertThat(Resampler.resample(new float[7], 22050, 16000)).hasSize(6);
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {44100, 48000, 24414, 8000})
    void streamingInOddBlocksEqualsOneCall(int rate) {
        float[] in = new float[30011];
        Random random = new Random(7);
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) (random.nextGaussian() * 0.2);
        }
        float[] whole = Resampler.resample(in, rate, OUT);
        SampleBuffer out = new SampleBuffer(-1, "x", false);
        Resampler r = new Resampler(rate, OUT);
        int at = 0;
        while (at < in.length) {
            int n = Math.min(in.length - at, 1 + random.nextInt(5000));
            r.process(in, at, n, out);
            at += n;
        }
        r.finish(out);
        assertThat(out.toArray()).containsExactly(whole);
    }

    @Test
    void interpolatedBankMatchesTheExactOne() {
        float[] in = Signals.tone(3000, 22050, 0.5, 0.5);
        float[] exact = Resampler.resample(in, 22050, OUT);
        SampleBuffer out = new SampleBuffer(-1, "x", false);
        Resampler r = new Resampler(22050, OUT, false);
        r.process(in, 0, in.length, out);
        r.finish(out);
        float[] approx = out.toArray();
        assertThat(approx).hasSameSizeAs(exact);
        double err = 0;
        for (int i = 0; i < exact.length; i++) {
            err = Math.max(err, Math.abs(exact[i] - approx[i]));
        }
        assertThat(err).isLessThan(1e-5);
    }

    @Test
    void oddRatesUseTheInterpolatedBankAndStillWork() {
        float[] out = Resampler.resample(Signals.tone(1000, 44101, 1.0, 0.5), 44101, OUT);
        assertThat(out).hasSize(16000);
        assertThat(middleRms(out)).isCloseTo(0.5 / Math.sqrt(2), within(0.005));
    }

    @Test
    void loaderResamplesToTheConfiguredRate() throws IOException {
        byte[] wav = TestWav.pcm(16, 44100, TestWav.sine(1000, 44100, 1.0, 0.5)).bytes();
        var clip = new AudioLoader(OUT).decode(new ByteArrayInputStream(wav), wav.length, "x");
        assertThat(clip.sampleRate()).isEqualTo(OUT);
        assertThat(clip.length()).isEqualTo(OUT);
        assertThat(middleRms(clip.samples())).isCloseTo(0.5 / Math.sqrt(2), within(0.005));
    }
}
