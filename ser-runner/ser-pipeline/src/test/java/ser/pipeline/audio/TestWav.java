package ser.pipeline.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes WAV files of every variant the decoder must handle, and broken ones, in tests: no
 * binary fixtures. Samples are given as doubles in [-1, 1], one array per channel.
 */
public final class TestWav {

    public static final int PCM = 1;
    public static final int FLOAT = 3;
    public static final int EXTENSIBLE = 0xFFFE;

    private String magic = "RIFF";
    private int tag = PCM;
    private int subFormat = PCM;
    private byte[] guidTail = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38,
            (byte) 0x9B, 0x71};
    private int channels = 1;
    private long sampleRate = 16000;
    private int bits = 16;
    private int validBits = -1;
    private int blockAlign = -1;
    private int fmtSize = -1;
    private double[][] samples = {new double[0]};
    private byte[] rawData;
    private Long riffSize;
    private Long dataSize;
    private Long ds64DataSize;
    private int cut;
    private boolean dataBeforeFmt;
    private boolean noData;
    private boolean noFmt;
    private final List<byte[]> before = new ArrayList<>();
    private final List<byte[]> between = new ArrayList<>();
    private final List<byte[]> after = new ArrayList<>();

    public static TestWav pcm(int bits, int rate, double[]... channels) {
        return new TestWav().bits(bits).rate(rate).samples(channels);
    }

    public static TestWav float32(int rate, double[]... channels) {
        return new TestWav().tag(FLOAT).bits(32).rate(rate).samples(channels);
    }

    public static TestWav float64(int rate, double[]... channels) {
        return new TestWav().tag(FLOAT).bits(64).rate(rate).samples(channels);
    }

    /** A sine of {@code seconds} at {@code amplitude}. */
    public static double[] sine(double hz, int rate, double seconds, double amplitude) {
        double[] x = new double[(int) Math.round(rate * seconds)];
        for (int i = 0; i < x.length; i++) {
            x[i] = amplitude * Math.sin(2 * Math.PI * hz * i / rate);
        }
        return x;
    }

    public TestWav tag(int tag) {
        this.tag = tag;
        this.subFormat = tag;
        return this;
    }

    /** WAVE_FORMAT_EXTENSIBLE with the given sub-format code (1 PCM, 3 float, ...). */
    public TestWav extensible(int subFormat) {
        this.tag = EXTENSIBLE;
        this.subFormat = subFormat;
        return this;
    }

    public TestWav guidTail(byte[] tail) {
        this.guidTail = tail.clone();
        return this;
    }

    public TestWav bits(int bits) {
        this.bits = bits;
        return this;
    }

    /** Significant bits, when fewer than the container's (12 in 16, 24 in 32). */
    public TestWav validBits(int validBits) {
        this.validBits = validBits;
        return this;
    }

    public TestWav rate(long rate) {
        this.sampleRate = rate;
        return this;
    }

    public TestWav channels(int channels) {
        this.channels = channels;
        return this;
    }

    public TestWav blockAlign(int blockAlign) {
        this.blockAlign = blockAlign;
        return this;
    }

    public TestWav fmtSize(int size) {
        this.fmtSize = size;
        return this;
    }

    public TestWav samples(double[]... perChannel) {
        this.samples = perChannel;
        this.channels = perChannel.length;
        return this;
    }

    /** Data chunk bytes as given, instead of encoded samples. */
    public TestWav rawData(byte[] data) {
        this.rawData = data.clone();
        return this;
    }

    public TestWav magic(String magic) {
        this.magic = magic;
        return this;
    }

    public TestWav riffSize(long size) {
        this.riffSize = size;
        return this;
    }

    public TestWav dataSize(long size) {
        this.dataSize = size;
        return this;
    }

    /** RF64: RIFF and data sizes 0xFFFFFFFF, the real data size in a ds64 chunk. */
    public TestWav rf64() {
        this.magic = "RF64";
        return this;
    }

    public TestWav ds64DataSize(long size) {
        this.ds64DataSize = size;
        return this;
    }

    /** Drops the last {@code bytes} bytes of the file. */
    public TestWav cut(int bytes) {
        this.cut = bytes;
        return this;
    }

    public TestWav dataBeforeFmt() {
        this.dataBeforeFmt = true;
        return this;
    }

    public TestWav noData() {
        this.noData = true;
        return this;
    }

    public TestWav noFmt() {
        this.noFmt = true;
        return this;
    }

    /** An extra chunk before fmt (odd sizes get their pad byte). */
    public TestWav chunkBeforeFmt(String id, byte[] body) {
        before.add(chunk(id, body, body.length, true));
        return this;
    }

    public TestWav chunkBeforeData(String id, byte[] body) {
        between.add(chunk(id, body, body.length, true));
        return this;
    }

    public TestWav chunkAfterData(String id, byte[] body) {
        after.add(chunk(id, body, body.length, true));
        return this;
    }

    /** A chunk header declaring {@code declared} bytes, followed by only {@code body}. */
    public TestWav lyingChunkBeforeData(String id, long declared, byte[] body) {
        between.add(chunk(id, body, declared, false));
        return this;
    }

    public int containerBytes() {
        return tag == EXTENSIBLE ? bits / 8 : (bits + 7) / 8;
    }

    public int frameBytes() {
        return blockAlign >= 0 ? blockAlign : channels * containerBytes();
    }

    /** The encoded samples, as the decoder must read them. */
    public byte[] data() {
        if (rawData != null) {
            return rawData.clone();
        }
        int frames = samples.length == 0 ? 0 : samples[0].length;
        int bytes = containerBytes();
        int valid = validBits > 0 ? validBits : bits;
        ByteBuffer out = ByteBuffer.allocate(frames * channels * bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < channels; c++) {
                double v = samples[Math.min(c, samples.length - 1)][f];
                if (subFormat == FLOAT && bytes == 4) {
                    out.putFloat((float) v);
                } else if (subFormat == FLOAT && bytes == 8) {
                    out.putDouble(v);
                } else if (bytes == 1) {
                    long q = Math.round(v * ((1L << (valid - 1)) - 1)) << (8 - valid);
                    out.put((byte) (q + 128));
                } else {
                    long q = Math.round(v * ((1L << (valid - 1)) - 1)) << (bytes * 8 - valid);
                    for (int k = 0; k < bytes; k++) {
                        out.put((byte) (q >> (8 * k)));
                    }
                }
            }
        }
        return out.array();
    }

    public byte[] bytes() {
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write("WAVE".getBytes(StandardCharsets.US_ASCII));
            byte[] data = data();
            boolean rf = !magic.equals("RIFF");
            if (rf) {
                ByteBuffer ds = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
                ds.putLong(0);
                ds.putLong(ds64DataSize != null ? ds64DataSize : data.length);
                ds.putLong(data.length / Math.max(1, frameBytes()));
                ds.putInt(0);
                body.write(chunk("ds64", ds.array(), 28, true));
            }
            for (byte[] c : before) {
                body.write(c);
            }
            byte[] dataChunk = noData ? new byte[0]
                    : chunk("data", data, dataSize != null ? dataSize : rf ? 0xFFFFFFFFL : data.length, true);
            if (dataBeforeFmt) {
                body.write(dataChunk);
            }
            if (!noFmt) {
                body.write(chunk("fmt ", fmt(), fmtSize >= 0 ? fmtSize : fmt().length, true));
            }
            for (byte[] c : between) {
                body.write(c);
            }
            if (!dataBeforeFmt) {
                body.write(dataChunk);
            }
            for (byte[] c : after) {
                body.write(c);
            }
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            file.write(magic.getBytes(StandardCharsets.US_ASCII));
            file.write(le32(riffSize != null ? riffSize : rf ? 0xFFFFFFFFL : body.size()));
            body.writeTo(file);
            byte[] all = file.toByteArray();
            return java.util.Arrays.copyOf(all, all.length - cut);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, bytes());
    }

    private byte[] fmt() {
        boolean ext = tag == EXTENSIBLE;
        int size = fmtSize >= 0 ? Math.max(fmtSize, 0) : ext ? 40 : 16;
        ByteBuffer f = ByteBuffer.allocate(Math.max(size, 40)).order(ByteOrder.LITTLE_ENDIAN);
        int align = frameBytes();
        f.putShort((short) tag);
        f.putShort((short) channels);
        f.putInt((int) sampleRate);
        f.putInt((int) (sampleRate * align));
        f.putShort((short) align);
        f.putShort((short) bits);
        if (ext) {
            f.putShort((short) 22);
            f.putShort((short) (validBits > 0 ? validBits : bits));
            f.putInt(channels == 2 ? 3 : 0);
            f.putShort((short) subFormat);
            f.put(guidTail);
        }
        return java.util.Arrays.copyOf(f.array(), size);
    }

    private static byte[] chunk(String id, byte[] body, long declared, boolean pad) {
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        c.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
        c.writeBytes(le32(declared));
        c.writeBytes(body);
        if (pad && (body.length & 1) == 1) {
            c.write(0);
        }
        return c.toByteArray();
    }

    public static byte[] le32(long v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }
}
