package ser.extractors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * Test-only WAV reading (PCM 16/24/32-bit, any channel count) and synthetic signals. Decodes as
 * librosa/soundfile do: {@code int / 2^(bits-1)} in float32, channels averaged in float32.
 */
final class TestAudio {

    private TestAudio() {
    }

    record Wav(float[] samples, int sampleRate) {
    }

    static Wav readResource(String path) {
        try (InputStream in = TestAudio.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return read(in.readAllBytes());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Wav read(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IllegalArgumentException("not a RIFF/WAVE file");
        }
        int pos = 12;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        while (pos + 8 <= bytes.length) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                int format = b.getShort(body) & 0xffff;
                channels = b.getShort(body + 2);
                rate = b.getInt(body + 4);
                bits = b.getShort(body + 14);
                if (format != 1 && format != 0xfffe) {
                    throw new IllegalArgumentException("only PCM WAV supported, format " + format);
                }
            } else if (id == 0x61746164) { // "data"
                int bytesPer = bits / 8;
                int frames = Math.min(size, bytes.length - body) / (bytesPer * channels);
                float[] out = new float[frames];
                float scale = (float) (1.0 / (1L << (bits - 1)));
                for (int f = 0; f < frames; f++) {
                    float acc = 0f;
                    for (int c = 0; c < channels; c++) {
                        int off = body + (f * channels + c) * bytesPer;
                        int v;
                        switch (bits) {
                            case 16 -> v = b.getShort(off);
                            case 24 -> v = (b.get(off) & 0xff) | ((b.get(off + 1) & 0xff) << 8) | (b.get(off + 2) << 16);
                            case 32 -> v = b.getInt(off);
                            default -> throw new IllegalArgumentException("unsupported bits " + bits);
                        }
                        float s = v * scale;
                        acc = c == 0 ? s : acc + s;
                    }
                    out[f] = channels == 1 ? acc : acc / channels;
                }
                return new Wav(out, rate);
            }
            pos = body + size + (size & 1);
        }
        throw new IllegalArgumentException("no data chunk");
    }

    static float[] sine(double freq, int rate, double seconds, double amplitude) {
        int n = (int) Math.round(seconds * rate);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * freq * i / rate));
        }
        return x;
    }

    static float[] whiteNoise(long seed, int n, double sd) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (sd * r.nextGaussian());
        }
        return x;
    }

    /** Speech-like test signal (see {@link ser.extractors.bench.RtfBenchmark.SyntheticSpeech}). */
    static float[] speechLike(long seed, int rate, double seconds) {
        return ser.extractors.bench.RtfBenchmark.SyntheticSpeech.generate(seed, rate, seconds);
    }
}
