package ser.pipeline.audio;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import ser.api.AudioClip;
import ser.pipeline.BadInputException;
import ser.pipeline.UsageException;

/**
 * Decodes audio files (plain, or entries of zip archives read in place) to mono float32 in
 * [-1, 1] at {@code ser.audio.sample-rate}. The container is told by the first bytes
 * ({@link Container}): WAV goes to {@link WavDecoder}, MP3/FLAC/Ogg/M4A/AAC/WebM to
 * {@link FfmpegDecoder}. The data is read block by block, each block
 * down-mixed (channel average) and resampled as it arrives, straight into the final array, so
 * the extra memory is a few blocks however long the file is. Thread-safe.
 *
 * <p>Every problem with a file is a {@link BadInputException} {@code location: problem}.
 */
@Singleton
public final class AudioLoader {

    public static final String SAMPLE_RATE = AudioSettings.SAMPLE_RATE;
    public static final String MAX_DURATION = AudioSettings.MAX_DURATION;
    public static final String MAX_FILE_MB = AudioSettings.MAX_FILE_MB;
    /** Defaults of the two limits for loaders built without a config (as in reference.conf). */
    static final double DEFAULT_MAX_DURATION_S = 600;
    static final long DEFAULT_MAX_FILE_MB = 2048;

    private final int sampleRate;
    private final double maxDurationSeconds;
    private final long maxFileBytes;

    public AudioLoader(Config config) {
        this(AudioSettings.from(config));
    }

    @Inject
    public AudioLoader(AudioSettings settings) {
        this(settings.sampleRate(), settings.maxDurationSeconds(), settings.maxFileMb());
    }

    /**
     * A loader at {@code sampleRate} (a model bundle's, which may differ from {@code ser.audio.sample-rate})
     * with the per-file limits {@code config} sets, or the defaults when it sets none.
     */
    public static AudioLoader atRate(int sampleRate, Config config) {
        if (!config.hasPath(AudioSettings.MAX_DURATION)) {
            return new AudioLoader(sampleRate);
        }
        AudioSettings limits = AudioSettings.from(config);
        return new AudioLoader(sampleRate, limits.maxDurationSeconds(), limits.maxFileMb());
    }

    public AudioLoader(int sampleRate) {
        this(sampleRate, DEFAULT_MAX_DURATION_S, DEFAULT_MAX_FILE_MB);
    }

    /**
     * @param maxDurationSeconds longer files are refused, by their header before any allocation
     *                           and, when the header cannot tell, as their samples arrive
     * @param maxFileMb          larger files (and zip entries, by declared and by inflated size) are refused
     */
    public AudioLoader(int sampleRate, double maxDurationSeconds, long maxFileMb) {
        if (sampleRate < WavDecoder.MIN_SAMPLE_RATE || sampleRate > WavDecoder.MAX_SAMPLE_RATE) {
            throw new UsageException(SAMPLE_RATE + ": must be " + WavDecoder.MIN_SAMPLE_RATE + ".."
                    + WavDecoder.MAX_SAMPLE_RATE + " Hz, got " + sampleRate);
        }
        if (!(maxDurationSeconds > 0) || maxDurationSeconds * sampleRate > SampleBuffer.MAX_LENGTH) {
            throw new UsageException(MAX_DURATION + ": must be > 0 and at most " + SampleBuffer.MAX_LENGTH / sampleRate
                    + " s at " + sampleRate + " Hz, got " + maxDurationSeconds);
        }
        if (maxFileMb < 1) {
            throw new UsageException(MAX_FILE_MB + ": must be at least 1, got " + maxFileMb);
        }
        this.sampleRate = sampleRate;
        this.maxDurationSeconds = maxDurationSeconds;
        this.maxFileBytes = maxFileMb << 20;
    }

    /** The rate every clip is converted to. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Decodes, down-mixes and resamples one file (any {@link Container}, told by its content). */
    public AudioClip load(String location) {
        SampleBuffer[] out = {null};
        decodeLocation(location, maxDurationSeconds, expected -> out[0] = expected, null);
        return new AudioClip(out[0].toArray(), sampleRate);
    }

    /**
     * Decodes one file block by block into {@code sink} (mono, at {@link #sampleRate()}), keeping
     * nothing: memory does not grow with the file's length, so the duration limit is the
     * caller's ({@code maxSeconds}) rather than {@code ser.audio.max-duration-s}, which bounds
     * whole clips in memory. The size limit still applies. Returns the samples delivered.
     */
    public long stream(String location, double maxSeconds, SampleSink sink) {
        return decodeLocation(location, maxSeconds, null, sink);
    }

    /** Reads only the header: rate, channels, bits, format, frames, duration. */
    public AudioInfo probe(String location) {
        AudioLocation where = AudioLocation.parse(location);
        try (AudioLocation.Opened opened = where.open()) {
            return probe(opened.stream(), opened.size(), location);
        } catch (IOException e) {
            throw readError(location, e);
        }
    }

    /**
     * Describes a stream of {@code size} bytes (-1 if unknown) of any {@link Container}: from the
     * header alone when it states the length, else by decoding to count the frames.
     */
    public static AudioInfo probe(InputStream stream, long size, String location) throws IOException {
        InputStream in = peekable(stream);
        Container container = sniff(in, location);
        if (container == Container.WAV) {
            return WavDecoder.probe(in, size, location);
        }
        try (FfmpegDecoder decoder = FfmpegDecoder.open(ByteSource.of(in, size), container, location)) {
            long frames = decoder.declaredFrames();
            if (frames < 0) {
                frames = decoder.decode((mono, n) -> { });
            }
            return decoder.info(frames);
        }
    }

    /**
     * Decodes a stream of {@code size} bytes (-1 if unknown). Memory is bounded per file: the
     * size and the duration the header declares are checked before anything is allocated, and the
     * bytes and samples that really arrive are counted against the same limits (a zip entry may
     * inflate to more than it declares; a streamed WAV may declare no length). The stream is read
     * forward only: an M4A larger than FFmpeg's 64 KB read buffer whose index follows its audio
     * cannot be decoded this way; {@link #decode(byte[], String)} and {@link #load} can seek.
     */
    public AudioClip decode(InputStream stream, long size, String location) throws IOException {
        SampleBuffer[] out = {null};
        decodeStream(peekable(stream), size, null, location, maxDurationSeconds, expected -> out[0] = expected, null);
        return new AudioClip(out[0].toArray(), sampleRate);
    }

    /** Decodes a whole file held in memory (a request body), any {@link Container}. */
    public AudioClip decode(byte[] bytes, String location) {
        SampleBuffer[] out = {null};
        try {
            decodeStream(new java.io.ByteArrayInputStream(bytes), bytes.length, () -> ByteSource.of(bytes), location,
                    maxDurationSeconds, expected -> out[0] = expected, null);
        } catch (IOException e) {
            throw readError(location, e);
        }
        return new AudioClip(out[0].toArray(), sampleRate);
    }

    /** {@link #stream(String, double, SampleSink)} for bytes in memory. */
    public long stream(byte[] bytes, String location, double maxSeconds, SampleSink sink) {
        try {
            return decodeStream(new java.io.ByteArrayInputStream(bytes), bytes.length, () -> ByteSource.of(bytes), location,
                    maxSeconds, null, sink);
        } catch (IOException e) {
            throw readError(location, e);
        }
    }

    /** Receives the buffer a whole-clip decode fills, sized from the header. */
    private interface BufferTarget {
        void created(SampleBuffer buffer);
    }

    /** Opens a seekable view of the same bytes, when there is one. */
    private interface Seekable {
        ByteSource open() throws IOException;
    }

    private long decodeLocation(String location, double maxSeconds, BufferTarget target, SampleSink sink) {
        AudioLocation where = AudioLocation.parse(location);
        try (AudioLocation.Opened opened = where.open()) {
            Seekable seekable = !where.inArchive() && opened.size() >= 0 ? () -> ByteSource.of(where.file()) : null;
            return decodeStream(peekable(opened.stream()), opened.size(), seekable, location, maxSeconds, target, sink);
        } catch (IOException e) {
            throw readError(location, e);
        }
    }

    /**
     * The one decode path: sniffs the container, checks the declared size and duration, then
     * decodes block by block, down-mixed and resampled, into a whole-clip buffer ({@code target})
     * or a {@code sink}.
     */
    private long decodeStream(InputStream in, long size, Seekable seekable, String location, double maxSeconds,
            BufferTarget target, SampleSink sink) throws IOException {
        if (size > maxFileBytes) {
            throw tooBig(location, "is " + (size >> 20) + " MB");
        }
        Container container = sniff(in, location);
        InputStream limited = new ByteLimit(in, maxFileBytes, size, location);
        if (container == Container.WAV) {
            WavDecoder.Input input = new WavDecoder.Input(limited);
            WavDecoder.Header header = WavDecoder.readHeader(input, size, location);
            Output out = output(header.sampleRate(), header.frames(), size >= 0, location, maxSeconds, target, sink);
            WavDecoder.decode(input, header, location, out::accept);
            return out.finish();
        }
        ByteSource bytes = seekable != null ? seekable.open() : ByteSource.of(limited, size);
        try (bytes; FfmpegDecoder decoder = FfmpegDecoder.open(bytes, container, location)) {
            Output out = output(decoder.sampleRate(), decoder.declaredFrames(), false, location, maxSeconds, target, sink);
            decoder.decode(out::accept);
            return out.finish();
        }
    }

    /** Where decoded native-rate blocks go: resampled (when needed), counted, then kept or passed on. */
    private final class Output {
        private final Resampler resampler;
        private final SampleBuffer buffer;
        private final SampleSink sink;
        private final long limit;
        private final double maxSeconds;
        private final String location;
        private final SampleBuffer chunk;
        private long delivered;

        Output(int rate, SampleBuffer buffer, SampleSink sink, double maxSeconds, String location) {
            this.resampler = rate == sampleRate ? null : new Resampler(rate, sampleRate);
            this.buffer = buffer;
            this.sink = sink;
            this.maxSeconds = maxSeconds;
            this.limit = (long) Math.ceil(maxSeconds * sampleRate) + 1;
            this.location = location;
            this.chunk = sink == null ? null : new SampleBuffer(-1, location, true);
        }

        void accept(float[] mono, int n) {
            SampleBuffer into = buffer != null ? buffer : chunk.clear();
            if (resampler == null) {
                into.addAll(mono, n);
            } else {
                resampler.process(mono, 0, n, into);
            }
            pass(into);
        }

        long finish() {
            SampleBuffer into = buffer != null ? buffer : chunk.clear();
            if (resampler != null) {
                resampler.finish(into);
            }
            pass(into);
            return buffer != null ? buffer.size() : delivered;
        }

        private void pass(SampleBuffer into) {
            if (buffer != null) {
                if (buffer.size() > limit) {
                    throw tooLong(location, "", maxSeconds);
                }
                return;
            }
            delivered += into.size();
            if (delivered > limit) {
                throw tooLong(location, "", maxSeconds);
            }
            if (into.size() > 0) {
                sink.accept(into.array(), into.size());
            }
        }
    }

    private Output output(int rate, long frames, boolean sizeKnown, String location, double maxSeconds, BufferTarget target,
            SampleSink sink) {
        if (frames >= 0 && frames / (double) rate > maxSeconds) {
            throw tooLong(location, String.format(java.util.Locale.ROOT, "%.1f s, ", frames / (double) rate), maxSeconds);
        }
        SampleBuffer buffer = null;
        if (target != null) {
            long expected = frames < 0 ? -1 : Resampler.outputLength(frames, rate, sampleRate);
            // Allocate by the header only once its sizes were checked against the real byte count;
            // otherwise grow as samples arrive (a header may claim gigabytes).
            buffer = sizeKnown ? new SampleBuffer(expected, location, true) : SampleBuffer.growing(expected, location, true);
            target.created(buffer);
        }
        return new Output(rate, buffer, sink, maxSeconds, location);
    }

    /** A stream that can be rewound over its first bytes, for {@link #sniff}. */
    private static InputStream peekable(InputStream stream) {
        return stream.markSupported() ? stream : new java.io.BufferedInputStream(stream, 1 << 13);
    }

    /** The container the first bytes announce; anything else is a one-line error naming what it is. */
    private static Container sniff(InputStream in, String location) throws IOException {
        byte[] head = new byte[Container.SNIFF_BYTES];
        in.mark(head.length);
        int n = in.readNBytes(head, 0, head.length);
        in.reset();
        if (n == 0) {
            throw new BadInputException(location, "empty file");
        }
        Container container = Container.sniff(head, n);
        if (container == null) {
            throw new BadInputException(location, WavDecoder.identify(head, n).replace("not a WAV file", "not a supported audio"
                    + " file (WAV, MP3, FLAC, Ogg, M4A/AAC, WebM)"));
        }
        return container;
    }

    private BadInputException tooLong(String location, String what, double maxSeconds) {
        if (maxSeconds != maxDurationSeconds) {
            return new BadInputException(location, "too long: " + what + "over the limit of " + maxSeconds + " s");
        }
        return new BadInputException(location, "too long: " + what + "over " + MAX_DURATION + " = " + maxDurationSeconds
                + " s (raise it to decode longer files)");
    }

    private BadInputException tooBig(String location, String what) {
        return new BadInputException(location, "too big: " + what + ", over " + MAX_FILE_MB + " = "
                + (maxFileBytes >> 20) + " (raise it to decode larger files)");
    }

    /**
     * Counts the bytes really read: a zip entry may inflate to more than it declares (a zip bomb),
     * a pipe has no declared size at all.
     */
    private final class ByteLimit extends java.io.FilterInputStream {
        private final long limit;
        private final long declared;
        private final String location;
        private long count;

        ByteLimit(InputStream in, long limit, long declared, String location) {
            super(in);
            this.limit = limit;
            this.declared = declared;
            this.location = location;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            counted(skipped);
            return skipped;
        }

        private void counted(long n) {
            count += n;
            if (declared >= 0 && count > declared) {
                throw new BadInputException(location, "holds more bytes than the " + declared + " it declares (a damaged"
                        + " or hostile archive entry)");
            }
            if (count > maxFileBytes) {
                throw tooBig(location, "more than " + (limit >> 20) + " MB read");
            }
        }
    }

    /** One line for an I/O failure while reading a file. */
    static BadInputException readError(String location, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new BadInputException(location, "no such file", e);
        }
        if (e instanceof AccessDeniedException) {
            return new BadInputException(location, "cannot read: permission denied", e);
        }
        if (e instanceof java.util.zip.ZipException) {
            return new BadInputException(location, "cannot read zip entry: " + e.getMessage(), e);
        }
        String message = e.getMessage();
        return new BadInputException(location, "cannot read: " + (message == null ? e.getClass().getSimpleName() : message), e);
    }
}
