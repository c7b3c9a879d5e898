package ser.pipeline.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import ser.api.AudioClip;
import ser.pipeline.audio.Resampler;

/** Windows of a stream fed in chunks of any size equal the windows of the whole signal. */
class SlidingWindowTest {

    static float[] noise(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.5 * Math.sin(i * 0.05) + 0.1 * (r.nextDouble() * 2 - 1));
        }
        return x;
    }

    static List<SlidingWindow.Window> feedInRandomChunks(SlidingWindow w, float[] x, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<SlidingWindow.Window> out = new ArrayList<>();
        for (int from = 0; from < x.length; ) {
            int n = Math.min(x.length - from, 1 + r.nextInt(3000));
            out.addAll(w.feed(x, from, n));
            from += n;
        }
        return out;
    }

    @Test
    void atTheModelRateEveryHopGivesTheLatestWindowExactly() {
        float[] x = noise(16000 * 5 + 123, 1);
        List<SlidingWindow.Window> got = feedInRandomChunks(new SlidingWindow(16000, 16000, 2.0, 0.5), x, 2);
        // ends at 2.0, 2.5, ..., 5.0 s
        assertThat(got).hasSize(7);
        for (int k = 0; k < got.size(); k++) {
            SlidingWindow.Window w = got.get(k);
            long end = 32000 + 8000L * k;
            assertThat(w.end()).isEqualTo(end);
            assertThat(w.start()).isEqualTo(end - 32000);
            assertThat(w.startSeconds()).isEqualTo(k * 0.5);
            assertThat(w.clip().samples()).containsExactly(Arrays.copyOfRange(x, (int) end - 32000, (int) end));
        }
    }

    @Test
    void fromAnotherRateTheWindowsAreTheIncrementallyResampledSignal() {
        float[] x = noise(44100 * 3, 3);
        List<SlidingWindow.Window> got = feedInRandomChunks(new SlidingWindow(44100, 16000, 1.0, 0.25), x, 4);
        float[] whole = Resampler.resample(x, 44100, 16000);
        assertThat(got).isNotEmpty();
        for (SlidingWindow.Window w : got) {
            float[] want = Arrays.copyOfRange(whole, (int) w.start(), (int) w.end());
            float[] have = w.clip().samples();
            for (int i = 0; i < want.length; i++) {
                assertThat(have[i]).as("sample %d of window ending %d", i, w.end()).isCloseTo(want[i],
                        org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void streamingPredictorScoresEachWindowWithItsTimes() {
        List<AudioClip> seen = new ArrayList<>();
        StreamingPredictor p = new StreamingPredictor(new SlidingWindow(8000, 8000, 1.0, 1.0), (clip, where) -> {
            seen.add(clip);
            float[] out = new float[8];
            out[seen.size() % 8] = 1;
            return out;
        });
        float[] x = noise(8000 * 3, 5);
        List<StreamingPredictor.WindowPrediction> got = new ArrayList<>();
        got.addAll(p.feed(x, 0, 12000));
        got.addAll(p.feed(x, 12000, 12000));
        assertThat(got).extracting(StreamingPredictor.WindowPrediction::endSeconds).containsExactly(1.0, 2.0, 3.0);
        assertThat(got.get(1).probabilities()[2]).isEqualTo(1f);
        assertThat(seen.get(2).samples()).containsExactly(Arrays.copyOfRange(x, 16000, 24000));
    }

    @Test
    void pcmDecoding() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putShort((short) -32768)
                .putShort((short) 16384).flip();
        assertThat(StreamingPredictor.decode(b, StreamingPredictor.PcmFormat.PCM16)).containsExactly(-1f, 0.5f);
        assertThatThrownBy(() -> StreamingPredictor.decode(java.nio.ByteBuffer.wrap(new byte[3]), StreamingPredictor.PcmFormat.FLOAT32))
                .hasMessageContaining("whole number");
        java.nio.ByteBuffer nan = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN).flip();
        assertThatThrownBy(() -> StreamingPredictor.decode(nan, StreamingPredictor.PcmFormat.FLOAT32)).hasMessageContaining("finite");
        assertThatThrownBy(() -> StreamingPredictor.PcmFormat.ofId("mp3")).hasMessageContaining("pcm16 or float32");
    }
}
