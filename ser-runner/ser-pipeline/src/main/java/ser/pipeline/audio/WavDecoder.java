package ser.pipeline.audio;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import ser.pipeline.BadInputException;

/**
 * A hand-written RIFF/WAVE reader.
 *
 * <p>Why not {@code javax.sound.sampled}: it rejects {@code WAVE_FORMAT_EXTENSIBLE} files with
 * more than two channels or 24-in-32-bit samples, has no 64-bit float and no RF64, stops at some
 * legal extra chunks, and reports every problem as the same "could not get audio input stream
 * from input stream". A corpus of tens of thousands of files needs to say exactly what is wrong
 * with which file, to decode with bounded extra memory (block by block, never a full-length copy
 * of the raw bytes), and to never size an allocation by a number a header merely claims. This
 * class does that in one pass over a forward-only stream, so that entries of a zip archive are
 * read in place.
 *
 * <p>What it reads: {@code RIFF}/{@code WAVE} (and {@code RF64}/{@code BW64} with their
 * {@code ds64} chunk); integer PCM in 1 (unsigned), 2, 3 or 4-byte containers with any number of
 * significant bits up to the container's (e.g. 12-bit audio in 16-bit containers, left-justified
 * as the format requires); IEEE float 32 and 64; {@code WAVE_FORMAT_EXTENSIBLE} with a PCM or
 * float sub-format; any channel count. Chunks other than {@code fmt }, {@code ds64} and
 * {@code data} ({@code LIST}, {@code fact}, {@code bext}, {@code JUNK}, ...) are skipped,
 * including their pad byte when their size is odd.
 *
 * <p>Tolerated, because real files do it and the audio is still unambiguous: a RIFF size that
 * disagrees with the file (ignored: the chunks are walked until the data chunk), a wrong byte
 * rate (ignored: derived from the other fields), a data chunk whose size is not a whole number
 * of frames (the trailing partial frame is dropped), a data size of {@code 0xFFFFFFFF} as written
 * by streaming encoders that cannot seek back (the data then runs to the end of the file), and
 * chunks after the data chunk (never read).
 *
 * <p>Errors ({@link BadInputException} with a one-line problem): a data chunk that declares more
 * bytes than the file holds is an error, not a warning: {@code truncated: data chunk declares N
 * bytes but only M follow}. A truncated file is usually a failed copy or download, and silently
 * training on a clipped utterance hides that; the fix (copy the file again) is the user's. Float
 * samples that are NaN or infinite are an error too (they would poison every feature computed
 * from the clip); float samples beyond [-1, 1] are clamped (after the down-mix, before
 * resampling; the loader clamps the resampler's output again).
 */
public final class WavDecoder {

    /** Accepted sample rates (Hz): anything else is a corrupt header, not audio. */
    public static final int MIN_SAMPLE_RATE = 1000;
    public static final int MAX_SAMPLE_RATE = 768_000;

    /** Bytes read and decoded per block: bounds the decoder's extra memory. */
    static final int BLOCK_BYTES = 1 << 16;

    private static final int TAG_PCM = 0x0001;
    private static final int TAG_FLOAT = 0x0003;
    private static final int TAG_EXTENSIBLE = 0xFFFE;
    private static final long UNKNOWN_SIZE = 0xFFFFFFFFL;
    /** The 14 bytes after the format code in a KSDATAFORMAT_SUBTYPE_* GUID. */
    private static final byte[] GUID_TAIL = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00,
            0x38, (byte) 0x9B, 0x71};

    private WavDecoder() {
    }

    /** How samples are stored. */
    enum Encoding {
        PCM_U8(1), PCM_S16(2), PCM_S24(3), PCM_S32(4), FLOAT32(4), FLOAT64(8);

        final int bytes;

        Encoding(int bytes) {
            this.bytes = bytes;
        }

        boolean isFloat() {
            return this == FLOAT32 || this == FLOAT64;
        }
    }

    /**
     * A parsed header, the stream positioned at the first sample.
     *
     * @param dataBytes bytes of audio to read, or -1 to read to the end of the stream
     * @param frames    frames to read, or -1 when only the end of the stream tells
     */
    record Header(String format, Encoding encoding, int channels, int sampleRate, int bitsPerSample, int blockAlign,
            long dataOffset, long dataBytes, long frames) {

        AudioInfo info() {
            return new AudioInfo(sampleRate, channels, bitsPerSample, format, frames, frames / (double) sampleRate);
        }
    }

    /** Receives decoded mono samples, one block at a time; the array is reused after the call. */
    @FunctionalInterface
    interface MonoSink {
        void accept(float[] mono, int count);
    }

    /** Reads the header of a stream holding {@code size} bytes (-1 if unknown) and describes it. */
    public static AudioInfo probe(InputStream stream, long size, String location) throws IOException {
        Header header = readHeader(new Input(stream), size, location);
        if (header.frames() < 0) {
            // Length known only at the end of the stream (a zip entry of unknown size with a
            // streaming header): count the frames without keeping them.
            long[] frames = {0};
            Input in = new Input(stream);
            decode(in, header, location, (mono, n) -> frames[0] += n);
            return new Header(header.format(), header.encoding(), header.channels(), header.sampleRate(),
                    header.bitsPerSample(), header.blockAlign(), header.dataOffset(), frames[0] * header.blockAlign(),
                    frames[0]).info();
        }
        return header.info();
    }

    /** Forward-only reading with a byte count. */
    static final class Input {
        private final InputStream in;
        private long position;

        Input(InputStream in) {
            this.in = in;
        }

        long position() {
            return position;
        }

        /** Reads up to {@code len} bytes, fewer only at the end of the stream. */
        int readUpTo(byte[] b, int off, int len) throws IOException {
            int total = 0;
            while (total < len) {
                int n = in.read(b, off + total, len - total);
                if (n < 0) {
                    break;
                }
                total += n;
            }
            position += total;
            return total;
        }

        /** Skips up to {@code n} bytes, fewer only at the end of the stream. */
        long skip(long n) throws IOException {
            long done = 0;
            while (done < n) {
                long k = in.skip(n - done);
                if (k <= 0) {
                    if (in.read() < 0) {
                        break;
                    }
                    k = 1;
                }
                done += k;
            }
            position += done;
            return done;
        }
    }

    /**
     * Parses everything up to the first sample.
     *
     * @param size bytes in the stream, or -1 when unknown; when known, every size the header
     *             declares is checked against it before anything is read or allocated
     */
    static Header readHeader(Input in, long size, String location) throws IOException {
        byte[] head = new byte[12];
        int n = in.readUpTo(head, 0, 12);
        if (n == 0) {
            throw bad(location, "empty file");
        }
        String magic = n >= 4 ? fourcc(head, 0) : "";
        boolean riff = magic.equals("RIFF") || magic.equals("RF64") || magic.equals("BW64");
        if (n < 12 || !riff || !fourcc(head, 8).equals("WAVE")) {
            throw bad(location, identify(head, n));
        }
        boolean rf64 = !magic.equals("RIFF");
        String container = rf64 ? magic : "WAVE";
        long ds64Data = -1;
        byte[] fmt = null;
        int fmtLength = 0;
        byte[] chunk = new byte[8];
        boolean first = true;
        while (true) {
            long chunkAt = in.position();
            int got = in.readUpTo(chunk, 0, 8);
            if (got < 8) {
                String where = got == 0 ? "" : " (the file ends inside a chunk header at offset " + chunkAt + ")";
                throw bad(location, (fmt == null ? "no fmt chunk" : "no data chunk") + where);
            }
            String id = fourcc(chunk, 0);
            long chunkSize = u32(chunk, 4);
            if (rf64 && first && !id.equals("ds64")) {
                throw bad(location, magic + " file without a ds64 chunk (found '" + printable(id) + "' first)");
            }
            first = false;
            long bodyAt = in.position();
            switch (id) {
                case "ds64" -> {
                    if (chunkSize < 24) {
                        throw bad(location, "ds64 chunk too short (" + chunkSize + " bytes, need 24)");
                    }
                    byte[] ds = new byte[24];
                    if (in.readUpTo(ds, 0, 24) < 24) {
                        throw bad(location, "truncated: the file ends inside the ds64 chunk");
                    }
                    ds64Data = u64(ds, 8);
                    if (ds64Data < 0) {
                        throw bad(location, "ds64 chunk declares an impossible data size");
                    }
                    skipBody(in, chunkSize, 24, size, location, id, chunkAt, fmt != null);
                }
                case "fmt " -> {
                    if (fmt != null) {
                        skipBody(in, chunkSize, 0, size, location, id, chunkAt, true);
                        continue;
                    }
                    if (chunkSize < 16) {
                        throw bad(location, "fmt chunk too short (" + chunkSize + " bytes, need 16)");
                    }
                    fmtLength = (int) Math.min(chunkSize, 40);
                    fmt = new byte[fmtLength];
                    if (in.readUpTo(fmt, 0, fmtLength) < fmtLength) {
                        throw bad(location, "truncated: the file ends inside the fmt chunk");
                    }
                    skipBody(in, chunkSize, fmtLength, size, location, id, chunkAt, true);
                }
                case "data" -> {
                    if (fmt == null) {
                        throw bad(location, "data chunk comes before the fmt chunk");
                    }
                    long declared = chunkSize;
                    if (rf64 && chunkSize == UNKNOWN_SIZE) {
                        if (ds64Data < 0) {
                            throw bad(location, "RF64 data size is in a ds64 chunk, and there is none");
                        }
                        declared = ds64Data;
                    } else if (chunkSize == UNKNOWN_SIZE) {
                        declared = -1; // a streaming writer's "unknown length": read to the end
                    }
                    return header(location, container, fmt, fmtLength, bodyAt, declared, size);
                }
                default -> skipBody(in, chunkSize, 0, size, location, id, chunkAt, fmt != null);
            }
        }
    }

    /** Skips the rest of a chunk body and its pad byte; a body past the end means no data chunk. */
    private static void skipBody(Input in, long chunkSize, long alreadyRead, long size, String location, String id,
            long chunkAt, boolean haveFmt) throws IOException {
        long rest = chunkSize - alreadyRead + (chunkSize & 1);
        long end = in.position() + rest;
        boolean pastEnd = size >= 0 ? end - (chunkSize & 1) > size : in.skip(rest) < rest - (chunkSize & 1);
        if (pastEnd) {
            throw bad(location, (haveFmt ? "no data chunk" : "no fmt chunk") + " (chunk '" + printable(id) + "' at offset "
                    + chunkAt + " declares " + chunkSize + " bytes, past the end of the file)");
        }
        if (size >= 0) {
            in.skip(rest);
        }
    }

    private static Header header(String location, String container, byte[] f, int length, long dataOffset, long declared,
            long size) {
        int tag = u16(f, 0);
        int channels = u16(f, 2);
        long rate = u32(f, 4);
        int blockAlign = u16(f, 12);
        int bits = u16(f, 14);
        int validBits = bits;
        int code = tag;
        String kind = "";
        if (tag == TAG_EXTENSIBLE) {
            if (length < 40) {
                throw bad(location, "WAVE_FORMAT_EXTENSIBLE fmt chunk too short (" + length + " bytes, need 40)");
            }
            int declaredValid = u16(f, 18);
            validBits = declaredValid == 0 ? bits : declaredValid;
            code = u16(f, 24);
            for (int i = 0; i < GUID_TAIL.length; i++) {
                if (f[26 + i] != GUID_TAIL[i]) {
                    throw bad(location, "unsupported WAV encoding: WAVE_FORMAT_EXTENSIBLE sub-format " + guid(f, 24)
                            + " (format tag 0xFFFE)");
                }
            }
            kind = "extensible ";
        }
        String tagText = tag == TAG_EXTENSIBLE ? String.format(Locale.ROOT, "WAVE_FORMAT_EXTENSIBLE sub-format 0x%04X", code)
                : String.format(Locale.ROOT, "format tag 0x%04X", code);
        if (code != TAG_PCM && code != TAG_FLOAT) {
            throw bad(location, "unsupported WAV encoding " + codecName(code) + " (" + tagText + ")");
        }
        if (channels == 0) {
            throw bad(location, "zero channels");
        }
        if (rate < MIN_SAMPLE_RATE || rate > MAX_SAMPLE_RATE) {
            throw bad(location, "sample rate " + rate + " Hz is out of range (" + MIN_SAMPLE_RATE + ".." + MAX_SAMPLE_RATE + " Hz)");
        }
        if (bits == 0 || validBits == 0) {
            throw bad(location, "0 bits per sample");
        }
        if (blockAlign == 0 || blockAlign % channels != 0) {
            throw bad(location, "block align " + blockAlign + " is not a multiple of the " + channels + " channel(s)");
        }
        int sampleBytes = blockAlign / channels;
        if (validBits > sampleBytes * 8) {
            throw bad(location, validBits + " bits per sample do not fit the " + sampleBytes + "-byte samples of block align "
                    + blockAlign);
        }
        if (tag == TAG_EXTENSIBLE ? bits != sampleBytes * 8 : (bits + 7) / 8 != sampleBytes) {
            throw bad(location, "block align " + blockAlign + " does not match " + channels + " channel(s) of " + bits
                    + "-bit samples");
        }
        Encoding encoding;
        String name;
        if (code == TAG_PCM) {
            name = "PCM";
            encoding = switch (sampleBytes) {
                case 1 -> Encoding.PCM_U8;
                case 2 -> Encoding.PCM_S16;
                case 3 -> Encoding.PCM_S24;
                case 4 -> Encoding.PCM_S32;
                default -> throw bad(location, "unsupported WAV encoding " + (sampleBytes * 8) + "-bit integer PCM ("
                        + tagText + ")");
            };
        } else {
            name = "IEEE float";
            if (validBits != sampleBytes * 8 || (sampleBytes != 4 && sampleBytes != 8)) {
                throw bad(location, "unsupported WAV encoding " + validBits + "-bit IEEE float (" + tagText + ")");
            }
            encoding = sampleBytes == 4 ? Encoding.FLOAT32 : Encoding.FLOAT64;
        }
        long dataBytes = declared;
        if (dataBytes < 0 && size >= 0) {
            dataBytes = Math.max(0, size - dataOffset);
        }
        if (dataBytes == 0) {
            throw bad(location, "no audio: the data chunk is empty");
        }
        if (size >= 0 && dataBytes > size - dataOffset) {
            throw bad(location, "truncated: data chunk declares " + dataBytes + " bytes but only "
                    + Math.max(0, size - dataOffset) + " follow");
        }
        long frames = dataBytes < 0 ? -1 : dataBytes / blockAlign;
        if (frames == 0) {
            throw bad(location, "no audio: the data chunk holds " + dataBytes + " bytes, less than one " + blockAlign
                    + "-byte frame");
        }
        return new Header(container + " " + kind + name, encoding, channels, (int) rate, validBits, blockAlign, dataOffset,
                dataBytes, frames);
    }

    /**
     * Decodes the samples after {@link #readHeader}, down-mixed to mono by averaging the channels,
     * in blocks of at most {@link #BLOCK_BYTES}.
     */
    static void decode(Input in, Header h, String location, MonoSink sink) throws IOException {
        int blockAlign = h.blockAlign();
        int framesPerBlock = Math.max(1, BLOCK_BYTES / blockAlign);
        byte[] raw = new byte[framesPerBlock * blockAlign];
        float[] mono = new float[framesPerBlock];
        long remaining = h.frames();
        boolean toEnd = remaining < 0;
        long done = 0;
        while (toEnd || remaining > 0) {
            int want = toEnd ? framesPerBlock : (int) Math.min(framesPerBlock, remaining);
            int got = in.readUpTo(raw, 0, want * blockAlign);
            int frames = got / blockAlign;
            if (!toEnd && frames < want) {
                long present = done * blockAlign + got;
                throw bad(location, "truncated: data chunk declares " + h.dataBytes() + " bytes but only " + present + " follow");
            }
            if (frames > 0) {
                decodeBlock(raw, frames, h, mono, location, done);
                sink.accept(mono, frames);
            }
            done += frames;
            remaining -= frames;
            if (toEnd && got < want * blockAlign) {
                break;
            }
        }
        if (done == 0) {
            throw bad(location, "no audio: the data chunk holds less than one " + blockAlign + "-byte frame");
        }
    }

    private static void decodeBlock(byte[] b, int frames, Header h, float[] mono, String location, long firstFrame) {
        int channels = h.channels();
        double scale = 1.0 / channels;
        int p = 0;
        switch (h.encoding()) {
            case PCM_U8 -> {
                for (int f = 0; f < frames; f++) {
                    long sum = 0;
                    for (int c = 0; c < channels; c++, p++) {
                        sum += (b[p] & 0xFF) - 128;
                    }
                    mono[f] = (float) (sum * scale / 128.0);
                }
            }
            case PCM_S16 -> {
                for (int f = 0; f < frames; f++) {
                    long sum = 0;
                    for (int c = 0; c < channels; c++, p += 2) {
                        sum += (short) ((b[p] & 0xFF) | (b[p + 1] << 8));
                    }
                    mono[f] = (float) (sum * scale / 32768.0);
                }
            }
            case PCM_S24 -> {
                for (int f = 0; f < frames; f++) {
                    long sum = 0;
                    for (int c = 0; c < channels; c++, p += 3) {
                        sum += ((b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF) << 16 | b[p + 2] << 24) >> 8;
                    }
                    mono[f] = (float) (sum * scale / 8388608.0);
                }
            }
            case PCM_S32 -> {
                for (int f = 0; f < frames; f++) {
                    long sum = 0;
                    for (int c = 0; c < channels; c++, p += 4) {
                        sum += (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | b[p + 3] << 24;
                    }
                    mono[f] = (float) (sum * scale / 2147483648.0);
                }
            }
            case FLOAT32 -> {
                for (int f = 0; f < frames; f++) {
                    double sum = 0;
                    for (int c = 0; c < channels; c++, p += 4) {
                        float v = Float.intBitsToFloat((b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16
                                | b[p + 3] << 24);
                        if (!Float.isFinite(v)) {
                            throw nonFinite(location, firstFrame + f);
                        }
                        sum += v;
                    }
                    mono[f] = clamp(sum * scale);
                }
            }
            case FLOAT64 -> {
                for (int f = 0; f < frames; f++) {
                    double sum = 0;
                    for (int c = 0; c < channels; c++, p += 8) {
                        long bits = 0;
                        for (int k = 7; k >= 0; k--) {
                            bits = bits << 8 | (b[p + k] & 0xFF);
                        }
                        double v = Double.longBitsToDouble(bits);
                        if (!Double.isFinite(v)) {
                            throw nonFinite(location, firstFrame + f);
                        }
                        sum += v;
                    }
                    mono[f] = clamp(sum * scale);
                }
            }
            default -> throw new IllegalStateException("encoding " + h.encoding());
        }
    }

    /**
     * Float samples may exceed full scale (and a huge one would overflow the float cast to
     * infinity, then to NaN in the resampler): clamped here, after the down-mix, before
     * resampling.
     */
    private static float clamp(double v) {
        return (float) (v > 1 ? 1 : v < -1 ? -1 : v);
    }

    private static BadInputException nonFinite(String location, long frame) {
        return bad(location, "contains NaN/Inf samples (first at frame " + frame + ")");
    }

    /** The problem for the first bytes of something that is not a RIFF/WAVE file. */
    static String identify(byte[] b, int n) {
        String magic = n >= 4 ? fourcc(b, 0) : "";
        if (magic.equals("RIFF") || magic.equals("RF64") || magic.equals("BW64")) {
            if (n < 12) {
                return "truncated: the file ends inside the RIFF header (" + n + " bytes)";
            }
            return "not a WAV file: RIFF form type '" + printable(fourcc(b, 8)) + "'";
        }
        String other = otherFormat(b, n);
        if (other != null) {
            return "unsupported format: " + other;
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(n, 4); i++) {
            hex.append(String.format(Locale.ROOT, "%02X", b[i] & 0xFF));
        }
        return "not a WAV file (starts with 0x" + hex + ")";
    }

    private static String otherFormat(byte[] b, int n) {
        String m4 = n >= 4 ? fourcc(b, 0) : "";
        if (m4.equals("RIFX")) {
            return "big-endian WAV (RIFX)";
        }
        if (n >= 3 && b[0] == 'I' && b[1] == 'D' && b[2] == '3') {
            return "MP3";
        }
        if (n >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xF6) == 0xF0) {
            return "AAC (ADTS)";
        }
        if (n >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xE0) == 0xE0) {
            return "MP3";
        }
        switch (m4) {
            case "fLaC":
                return "FLAC";
            case "OggS":
                return "OGG";
            case "caff":
                return "CAF";
            case ".snd":
                return "Sun AU";
            case "wvpk":
                return "WavPack";
            case "MAC ":
                return "Monkey's Audio (APE)";
            default:
                break;
        }
        if (n >= 12 && m4.equals("FORM") && (fourcc(b, 8).equals("AIFF") || fourcc(b, 8).equals("AIFC"))) {
            return "AIFF";
        }
        if (n >= 8 && fourcc(b, 4).equals("ftyp")) {
            return "M4A/MP4";
        }
        if (n >= 4 && (b[0] & 0xFF) == 0x30 && (b[1] & 0xFF) == 0x26 && (b[2] & 0xFF) == 0xB2 && (b[3] & 0xFF) == 0x75) {
            return "WMA (ASF)";
        }
        if (n >= 4 && (b[0] & 0xFF) == 0x1A && (b[1] & 0xFF) == 0x45 && (b[2] & 0xFF) == 0xDF && (b[3] & 0xFF) == 0xA3) {
            return "Matroska/WebM";
        }
        if (n >= 5 && b[0] == '#' && b[1] == '!' && b[2] == 'A' && b[3] == 'M' && b[4] == 'R') {
            return "AMR";
        }
        return null;
    }

    /** A readable name for a WAVE format tag. */
    static String codecName(int code) {
        return switch (code) {
            case 0x0000 -> "unknown (tag 0)";
            case 0x0002 -> "MS ADPCM";
            case 0x0006 -> "A-law";
            case 0x0007 -> "mu-law";
            case 0x0010 -> "OKI ADPCM";
            case 0x0011 -> "IMA ADPCM";
            case 0x0014 -> "G.723 ADPCM";
            case 0x0022 -> "TrueSpeech";
            case 0x0031 -> "GSM 6.10";
            case 0x0040 -> "G.721 ADPCM";
            case 0x0050 -> "MPEG audio";
            case 0x0055 -> "MP3";
            case 0x0092 -> "Dolby AC-3 (S/PDIF)";
            case 0x00FF, 0x1600, 0x1601, 0x1602, 0x1610 -> "AAC";
            case 0x0160, 0x0161, 0x0162, 0x0163 -> "Windows Media Audio";
            case 0x2000 -> "AC-3";
            case 0x2001 -> "DTS";
            case 0x674F, 0x6750, 0x6751, 0x676F, 0x6770, 0x6771 -> "Vorbis";
            case 0x704F -> "Opus";
            case 0xF1AC -> "FLAC";
            default -> "unknown";
        };
    }

    private static String guid(byte[] f, int at) {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                s.append('-');
            }
            // The first three groups are little-endian.
            int idx = i < 4 ? 3 - i : i < 6 ? 9 - i : i < 8 ? 13 - i : i;
            s.append(String.format(Locale.ROOT, "%02X", f[at + idx] & 0xFF));
        }
        return s.append('}').toString();
    }

    static BadInputException bad(String location, String problem) {
        return new BadInputException(location, problem);
    }

    private static String fourcc(byte[] b, int at) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            c[i] = (char) (b[at + i] & 0xFF);
        }
        return new String(c);
    }

    /** A chunk id safe to print: non-printable bytes as \xNN. */
    private static String printable(String id) {
        StringBuilder s = new StringBuilder();
        for (char c : id.toCharArray()) {
            if (c >= 0x20 && c < 0x7F && c != '\'') {
                s.append(c);
            } else {
                s.append(String.format(Locale.ROOT, "\\x%02X", (int) c));
            }
        }
        return s.toString();
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int at) {
        return ((long) u16(b, at)) | ((long) u16(b, at + 2)) << 16;
    }

    private static long u64(byte[] b, int at) {
        return u32(b, at) | u32(b, at + 4) << 32;
    }
}
