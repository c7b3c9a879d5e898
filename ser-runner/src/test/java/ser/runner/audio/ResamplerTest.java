package ser.runner.audio;

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

    @Test
    void outputLengthIsCeilOfTheRatio() {
        assertThat(Resampler.outputLength(44100, 44100, 16000)).isEqualTo(16000);
        assertThat(Resampler.outputLength(44101, 44100, 16000)).isEqualTo(16001);
        assertThat(Resampler.outputLength(1, 48000, 16000)).isEqualTo(1);
        assertThat(Resampler.outputLength(3, 8000, 16000)).isEqualTo(6);
        assertThat(Resampler.resample(new float[7], 22050, 16000)).hasSize(6);
    }

    @Test
    void streamingInOddBlocksEqualsOneCall() {
        float[] in = new float[30011];
        Random random = new Random(7);
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) (random.nextGaussian() * 0.2);
        }
        float[] whole = Resampler.resample(in, 44100, OUT);
        SampleBuffer out = new SampleBuffer(-1, "x", false);
        Resampler r = new Resampler(44100, OUT);
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
