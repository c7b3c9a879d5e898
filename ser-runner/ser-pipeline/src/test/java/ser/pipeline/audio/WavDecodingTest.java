package ser.pipeline.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.api.AudioClip;

/** Every WAV variant the decoder supports, decoded at its own rate (no resampling): exact values. */
class WavDecodingTest {

    private static final int RATE = 16000;
    private static final double[] RAMP = {0.0, 0.5, -0.5, 0.25, -1.0, 0.999, -0.125, 0.0625};
    private static final double[] OTHER = {0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8};

    @TempDir
    Path dir;

    private final AudioLoader loader = new AudioLoader(RATE);

    private AudioClip decode(TestWav wav) throws IOException {
        byte[] b = wav.bytes();
        return loader.decode(new ByteArrayInputStream(b), b.length, "test.wav");
    }

    /** What a {@code bits}-bit integer sample of {@code v} decodes to. */
    private static float pcm(double v, int bits) {
        long full = (1L << (bits - 1));
        return (float) (Math.round(v * (full - 1)) / (double) full);
    }

    private static float[] expected(double[] x, int bits) {
        float[] e = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            e[i] = pcm(x[i], bits);
        }
        return e;
    }

    @Test
    void pcm16MonoIsExact() throws IOException {
        AudioClip clip = decode(TestWav.pcm(16, RATE, RAMP));
        assertThat(clip.sampleRate()).isEqualTo(RATE);
        assertThat(clip.samples()).containsExactly(expected(RAMP, 16));
    }

    @Test
    void pcm8IsUnsigned() throws IOException {
        AudioClip clip = decode(TestWav.pcm(8, RATE, RAMP));
        // 0 -> byte 128 -> 0.0; 0.5 -> 64+128 -> 0.5; -1 -> 1 -> -127/128
        assertThat(clip.samples()[0]).isZero();
        assertThat(clip.samples()[1]).isEqualTo(64 / 128f);
        assertThat(clip.samples()[4]).isEqualTo(-127 / 128f);
        assertThat(clip.samples()).containsExactly(expected(RAMP, 8));
    }

    @Test
    void pcm24StereoIsTheChannelAverage() throws IOException {
        AudioClip clip = decode(TestWav.pcm(24, RATE, RAMP, OTHER));
        for (int i = 0; i < RAMP.length; i++) {
            double avg = (Math.round(RAMP[i] * 8388607) + Math.round(OTHER[i] * 8388607)) / 2.0 / 8388608.0;
            assertThat(clip.samples()[i]).isEqualTo((float) avg);
        }
    }

    @Test
    void pcm32() throws IOException {
        AudioClip clip = decode(TestWav.pcm(32, RATE, RAMP));
        assertThat(clip.samples()).containsExactly(expected(RAMP, 32));
    }

    @Test
    void twelveBitsInSixteenBitContainers() throws IOException {
        TestWav wav = TestWav.pcm(12, RATE, RAMP);
        assertThat(wav.frameBytes()).isEqualTo(2);
        AudioClip clip = decode(wav);
        assertThat(clip.samples()).containsExactly(expected(RAMP, 12));
        byte[] b = wav.bytes();
        AudioInfo info = WavDecoder.probe(new ByteArrayInputStream(b), b.length, "x");
        assertThat(info.bitsPerSample()).isEqualTo(12);
    }

    @Test
    void float32AndFloat64() throws IOException {
        float[] f32 = decode(TestWav.float32(RATE, RAMP)).samples();
        float[] f64 = decode(TestWav.float64(RATE, RAMP)).samples();
        for (int i = 0; i < RAMP.length; i++) {
            assertThat(f32[i]).isEqualTo((float) RAMP[i]);
            assertThat(f64[i]).isEqualTo((float) RAMP[i]);
        }
    }

    @Test
    void floatBeyondFullScaleIsClamped() throws IOException {
        float[] x = decode(TestWav.float32(RATE, new double[] {1.5, -3.0, 0.5})).samples();
        assertThat(x).containsExactly(1f, -1f, 0.5f);
    }

    @Test
    void extensiblePcm24In32AndFloatAndManyChannels() throws IOException {
        AudioClip padded = decode(new TestWav().extensible(TestWav.PCM).bits(32).validBits(24).rate(RATE).samples(RAMP));
        assertThat(padded.samples()).containsExactly(expected(RAMP, 24));
        AudioClip fl = decode(new TestWav().extensible(TestWav.FLOAT).bits(32).rate(RATE).samples(RAMP));
        assertThat(fl.samples()[1]).isEqualTo(0.5f);
        double[][] six = new double[6][];
        for (int c = 0; c < 6; c++) {
            six[c] = new double[] {c / 10.0, -c / 10.0};
        }
        AudioClip surround = decode(new TestWav().extensible(TestWav.PCM).bits(16).rate(RATE).samples(six));
        double up = 0;
        double down = 0;
        for (int c = 0; c < 6; c++) {
            up += Math.round(c / 10.0 * 32767) / 32768.0;
            down += Math.round(-c / 10.0 * 32767) / 32768.0;
        }
        assertThat(surround.samples()[0]).isCloseTo((float) (up / 6), within(1e-7f));
        assertThat(surround.samples()[1]).isCloseTo((float) (down / 6), within(1e-7f));
    }

    @Test
    void extraChunksAnywhereAreSkippedIncludingPadBytes() throws IOException {
        TestWav wav = TestWav.pcm(16, RATE, RAMP)
                .chunkBeforeFmt("JUNK", new byte[27])
                .chunkBeforeFmt("bext", new byte[602])
                .chunkBeforeData("fact", new byte[] {8, 0, 0, 0})
                .chunkBeforeData("LIST", "INFOISFT\u0005\0\0\0ser!\0".getBytes(StandardCharsets.ISO_8859_1))
                .chunkBeforeData("odd ", new byte[] {1, 2, 3})
                .chunkAfterData("LIST", new byte[13]);
        assertThat(decode(wav).samples()).containsExactly(expected(RAMP, 16));
    }

    @Test
    void oddSizedDataChunkOfEightBitAudioWithPad() throws IOException {
        double[] three = {0.5, -0.5, 0.25};
        TestWav wav = TestWav.pcm(8, RATE, three).chunkAfterData("LIST", new byte[4]);
        assertThat(decode(wav).samples()).containsExactly(expected(three, 8));
    }

    @Test
    void riffSizeThatLiesIsTolerated() throws IOException {
        assertThat(decode(TestWav.pcm(16, RATE, RAMP).riffSize(0)).samples()).hasSize(RAMP.length);
        assertThat(decode(TestWav.pcm(16, RATE, RAMP).riffSize(0xFFFFFFF0L)).samples()).hasSize(RAMP.length);
    }

    @Test
    void streamingDataSizeReadsToTheEnd() throws IOException {
        byte[] b = TestWav.pcm(16, RATE, RAMP).dataSize(0xFFFFFFFFL).bytes();
        assertThat(loader.decode(new ByteArrayInputStream(b), b.length, "x").samples()).containsExactly(expected(RAMP, 16));
        // Size unknown too (a zip entry without sizes): read to the end of the stream.
        assertThat(loader.decode(new ByteArrayInputStream(b), -1, "x").samples()).containsExactly(expected(RAMP, 16));
    }

    @Test
    void partialTrailingFrameIsDropped() throws IOException {
        byte[] data = TestWav.pcm(16, RATE, RAMP, OTHER).data();
        byte[] odd = java.util.Arrays.copyOf(data, data.length - 1);
        AudioClip clip = decode(new TestWav().bits(16).channels(2).rate(RATE).rawData(odd));
        assertThat(clip.samples()).hasSize(RAMP.length - 1);
    }

    @Test
    void rf64WithDs64() throws IOException {
        TestWav wav = TestWav.pcm(16, RATE, RAMP).rf64();
        assertThat(decode(wav).samples()).containsExactly(expected(RAMP, 16));
        byte[] b = wav.bytes();
        AudioInfo info = WavDecoder.probe(new ByteArrayInputStream(b), b.length, "x");
        assertThat(info.format()).isEqualTo("RF64 PCM");
    }

    @Test
    void probeReadsTheHeaderOnly() throws IOException {
        double[] second = TestWav.sine(440, 22050, 1.5, 0.5);
        Path file = TestWav.pcm(16, 22050, second, second).write(dir.resolve("a.wav"));
        AudioInfo info = loader.probe(file.toString());
        assertThat(info).isEqualTo(new AudioInfo(22050, 2, 16, "WAVE PCM", second.length, second.length / 22050.0));
        assertThat(loader.probe(file.toString()).durationSeconds()).isCloseTo(1.5, within(1e-9));
    }

    @Test
    void sameRateIsBitExactFromAFile() throws IOException {
        double[] x = TestWav.sine(1000, RATE, 0.5, 0.7);
        Path file = TestWav.pcm(16, RATE, x).write(dir.resolve("tone.wav"));
        assertThat(loader.load(file.toString()).samples()).containsExactly(expected(x, 16));
    }

    @Test
    void decodingSpansManyBlocks() throws IOException {
        // 3 s stereo 24-bit at 48 kHz = 864 kB: 14 decoder blocks, then resampled to 16 kHz.
        double[] x = TestWav.sine(440, 48000, 3.0, 0.5);
        AudioClip clip = decode(TestWav.pcm(24, 48000, x, x));
        assertThat(clip.length()).isEqualTo(48000);
        assertThat(Signals.rms(clip.samples(), 1000, 47000)).isCloseTo(0.5 / Math.sqrt(2), within(1e-3));
    }
}
