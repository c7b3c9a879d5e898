package ser.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URI;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.util.SerializableConfiguration;
import ser.api.AudioClip;
import ser.pipeline.BadInputException;
import ser.pipeline.audio.AudioLoader;

/**
 * Reads one audio location on an executor. Local paths (and {@code archive.zip!/entry}) go through
 * {@link AudioLoader#load} exactly as in {@code ser extract}; a URI with another scheme (hdfs:,
 * s3a:, ...) is opened with Hadoop's file system and decoded by the same {@link AudioLoader#decode}.
 */
public final class AudioSource implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:/.*");

    private final SerializableConfiguration hadoop;

    public AudioSource(Configuration hadoop) {
        this.hadoop = new SerializableConfiguration(hadoop);
    }

    /** A binaryFile path ({@code file:/x/y.wav}) as ser's other commands name it ({@code /x/y.wav}). */
    public static String location(String path) {
        if (path.startsWith("file:")) {
            return java.nio.file.Path.of(URI.create(path)).toString();
        }
        return path;
    }

    /**
     * The location as {@code ser predict --segments} streams it: local paths streamed by the
     * loader from disk; other schemes read whole through Hadoop's file system first, then streamed
     * from memory by the same loader.
     */
    public ser.pipeline.segment.AudioSource segments(AudioLoader loader, String location, double maxSeconds) {
        if (!SCHEME.matcher(location).matches()) {
            return ser.pipeline.segment.AudioSource.of(loader, location, maxSeconds);
        }
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
        byte[] bytes;
        try (InputStream in = path.getFileSystem(hadoop.value()).open(path)) {
            bytes = in.readAllBytes();
        } catch (java.io.FileNotFoundException e) {
            throw new BadInputException(location, "no such file");
        } catch (IOException e) {
            throw new BadInputException(location, "cannot read: " + e.getMessage(), e);
        }
        return ser.pipeline.segment.AudioSource.of(loader, bytes, location, maxSeconds);
    }

    /** @throws BadInputException naming the location when it cannot be read or decoded */
    public AudioClip load(AudioLoader loader, String location) {
        if (!SCHEME.matcher(location).matches()) {
            return loader.load(location);
        }
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
        try {
            FileSystem fs = path.getFileSystem(hadoop.value());
            long size = fs.getFileStatus(path).getLen();
            try (InputStream in = fs.open(path)) {
                return loader.decode(in, size, location);
            }
        } catch (java.io.FileNotFoundException e) {
            throw new BadInputException(location, "no such file");
        } catch (IOException e) {
            throw new BadInputException(location, "cannot read: " + e.getMessage(), e);
        }
    }
}
