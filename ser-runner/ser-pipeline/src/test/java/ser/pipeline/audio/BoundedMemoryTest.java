package ser.pipeline.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import ser.api.AudioClip;

/**
 * A long file is decoded and resampled block by block straight into the final array: besides
 * that array, the loader allocates a bounded amount, not copies of the whole signal.
 */
class BoundedMemoryTest {

    /** A stereo 24-bit 48 kHz WAV of {@code seconds} (a 440 Hz tone), generated as it is read. */
    static final class GeneratedWav extends InputStream {
        private final byte[] header;
        private final long dataBytes;
        private long position;
        private long cachedFrame = -1;
        private int cachedValue;

        GeneratedWav(int seconds) {
            long frames = 48000L * seconds;
            dataBytes = frames * 6;
            byte[] h = new TestWav().bits(24).channels(2).rate(48000).rawData(new byte[0]).dataSize(dataBytes).bytes();
            header = h;
        }

        long size() {
            return header.length + dataBytes;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size()) {
                return -1;
            }
            int n = (int) Math.min(len, size() - position);
            for (int i = 0; i < n; i++, position++) {
                if (position < header.length) {
                    b[off + i] = header[(int) position];
                } else {
                    long at = position - header.length;
                    long frame = at / 6;
                    if (frame != cachedFrame) {
                        cachedFrame = frame;
                        cachedValue = (int) Math.round(0.4 * 8388607 * Math.sin(2 * Math.PI * 440 * frame / 48000.0));
                    }
                    b[off + i] = (byte) (cachedValue >> (8 * (int) (at % 3)));
                }
            }
            return n;
        }
    }

    @Test
    void aMinuteAllocatesLittleBesideTheResult() throws IOException {
        var threads = ManagementFactory.getThreadMXBean();
        assumeThat(threads).isInstanceOf(com.sun.management.ThreadMXBean.class);
        var counter = (com.sun.management.ThreadMXBean) threads;
        AudioLoader loader = new AudioLoader(16000);
        loader.decode(new GeneratedWav(1), new GeneratedWav(1).size(), "warm-up");

        GeneratedWav wav = new GeneratedWav(60);
        long id = Thread.currentThread().getId();
        long before = counter.getThreadAllocatedBytes(id);
        AudioClip clip = loader.decode(wav, wav.size(), "long.wav");
        long allocated = counter.getThreadAllocatedBytes(id) - before;

        long result = clip.length() * 4L;
        assertThat(clip.length()).isEqualTo(60 * 16000);
        // Input: 17.3 MB of bytes; result: 3.8 MB of floats; everything else: a few blocks.
        assertThat(allocated - result).as("bytes allocated besides the result").isLessThan(2L << 20);
        assertThat(Signals.rms(clip.samples(), 16000, 32000)).isBetween(0.27, 0.29);
    }
}
