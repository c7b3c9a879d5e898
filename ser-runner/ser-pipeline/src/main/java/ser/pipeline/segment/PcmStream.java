package ser.pipeline.segment;

import be.tarsos.dsp.io.TarsosDSPAudioFormat;
import be.tarsos.dsp.io.TarsosDSPAudioInputStream;

/**
 * Decoded samples served to TarsosDSP's {@code AudioDispatcher} as 16-bit mono PCM, the format a
 * microphone line delivers: {@code ser listen --input FILE} runs the very path the microphone
 * takes, without a sound card (headless machines, tests).
 */
public final class PcmStream implements TarsosDSPAudioInputStream {

    private final float[] samples;
    private final TarsosDSPAudioFormat format;
    private int position;

    public PcmStream(float[] samples, int sampleRate) {
        this.samples = samples;
        this.format = new TarsosDSPAudioFormat(sampleRate, 16, 1, true, false);
    }

    @Override
    public long skip(long bytes) {
        long frames = Math.min(bytes / 2, samples.length - position);
        position += (int) frames;
        return frames * 2;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= samples.length) {
            return -1;
        }
        int frames = Math.min(len / 2, samples.length - position);
        for (int i = 0; i < frames; i++) {
            float v = samples[position++];
            int s = Math.round(Math.max(-1f, Math.min(1f, v)) * 32767f);
            b[off + 2 * i] = (byte) s;
            b[off + 2 * i + 1] = (byte) (s >> 8);
        }
        return frames * 2;
    }

    @Override
    public void close() {
    }

    @Override
    public TarsosDSPAudioFormat getFormat() {
        return format;
    }

    @Override
    public long getFrameLength() {
        return samples.length;
    }
}
