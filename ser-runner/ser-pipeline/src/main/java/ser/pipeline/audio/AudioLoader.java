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
 * [-1, 1] at {@code ser.audio.sample-rate}: the WAV data is read block by block, each block
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

    /** Decodes, down-mixes and resamples one file. */
    public AudioClip load(String location) {
        AudioLocation where = AudioLocation.parse(location);
        try (AudioLocation.Opened opened = where.open()) {
            return decode(opened.stream(), opened.size(), location);
        } catch (IOException e) {
            throw readError(location, e);
        }
    }

    /** Reads only the header: rate, channels, bits, format, frames, duration. */
    public AudioInfo probe(String location) {
        AudioLocation where = AudioLocation.parse(location);
        try (AudioLocation.Opened opened = where.open()) {
            return WavDecoder.probe(opened.stream(), opened.size(), location);
        } catch (IOException e) {
            throw readError(location, e);
        }
    }

    /**
     * Decodes a WAV stream of {@code size} bytes (-1 if unknown). Memory is bounded per file: the
     * size and the duration the header declares are checked before anything is allocated, and the
     * bytes and samples that really arrive are counted against the same limits (a zip entry may
     * inflate to more than it declares; a streamed WAV may declare no length).
     */
    public AudioClip decode(InputStream stream, long size, String location) throws IOException {
        if (size > maxFileBytes) {
            throw tooBig(location, "is " + (size >> 20) + " MB");
        }
        WavDecoder.Input in = new WavDecoder.Input(new ByteLimit(stream, maxFileBytes, size, location));
        WavDecoder.Header header = WavDecoder.readHeader(in, size, location);
        int rate = header.sampleRate();
        if (header.frames() >= 0 && header.frames() / (double) rate > maxDurationSeconds) {
            throw tooLong(location, String.format(java.util.Locale.ROOT, "%.1f s, ", header.frames() / (double) rate));
        }
        long limit = (long) Math.ceil(maxDurationSeconds * sampleRate) + 1;
        long expected = header.frames() < 0 ? -1 : Resampler.outputLength(header.frames(), rate, sampleRate);
        // Allocate by the header only once its sizes were checked against the real byte count;
        // with the size unknown, grow as samples arrive (a header may claim gigabytes).
        SampleBuffer out = size >= 0 ? new SampleBuffer(expected, location, true) : SampleBuffer.growing(expected, location, true);
        if (rate == sampleRate) {
            WavDecoder.decode(in, header, location, (mono, n) -> {
                out.addAll(mono, n);
                checkLength(out, limit, location);
            });
        } else {
            Resampler resampler = new Resampler(rate, sampleRate);
            WavDecoder.decode(in, header, location, (mono, n) -> {
                resampler.process(mono, 0, n, out);
                checkLength(out, limit, location);
            });
            resampler.finish(out);
        }
        return new AudioClip(out.toArray(), sampleRate);
    }

    private void checkLength(SampleBuffer out, long limit, String location) {
        if (out.size() > limit) {
            throw tooLong(location, "");
        }
    }

    private BadInputException tooLong(String location, String what) {
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
