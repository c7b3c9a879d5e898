package ser.runner.audio;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import ser.api.AudioClip;
import ser.runner.BadInputException;
import ser.runner.UsageException;

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

    public static final String SAMPLE_RATE = "ser.audio.sample-rate";

    private final int sampleRate;

    @Inject
    public AudioLoader(Config config) {
        this(config.getInt(SAMPLE_RATE));
    }

    public AudioLoader(int sampleRate) {
        if (sampleRate < WavDecoder.MIN_SAMPLE_RATE || sampleRate > WavDecoder.MAX_SAMPLE_RATE) {
            throw new UsageException(SAMPLE_RATE + ": must be " + WavDecoder.MIN_SAMPLE_RATE + ".."
                    + WavDecoder.MAX_SAMPLE_RATE + " Hz, got " + sampleRate);
        }
        this.sampleRate = sampleRate;
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

    /** Decodes a WAV stream of {@code size} bytes (-1 if unknown). */
    public AudioClip decode(InputStream stream, long size, String location) throws IOException {
        WavDecoder.Input in = new WavDecoder.Input(stream);
        WavDecoder.Header header = WavDecoder.readHeader(in, size, location);
        int rate = header.sampleRate();
        long expected = header.frames() < 0 ? -1 : Resampler.outputLength(header.frames(), rate, sampleRate);
        // Allocate by the header only once its sizes were checked against the real byte count;
        // with the size unknown, grow as samples arrive (a header may claim gigabytes).
        SampleBuffer out = size >= 0 ? new SampleBuffer(expected, location, true) : SampleBuffer.growing(expected, location, true);
        if (rate == sampleRate) {
            WavDecoder.decode(in, header, location, out::addAll);
        } else {
            Resampler resampler = new Resampler(rate, sampleRate);
            WavDecoder.decode(in, header, location, (mono, n) -> resampler.process(mono, 0, n, out));
            resampler.finish(out);
        }
        return new AudioClip(out.toArray(), sampleRate);
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
