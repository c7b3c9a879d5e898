package ser.pipeline.audio;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import ser.pipeline.BadInputException;

/**
 * Where one audio file lives: a plain file, or an entry of a zip archive written
 * {@code <archive.zip>!/<entry>} (the entry is read in place, never unpacked to disk).
 *
 * @param file  the file, or the archive for an entry
 * @param entry the entry's name inside the archive, exactly as stored, or null for a plain file
 */
public record AudioLocation(Path file, String entry) {

    /** Separates an archive from the entry inside it, as in {@code jar:} URLs. */
    public static final String ENTRY_SEPARATOR = "!/";

    public AudioLocation {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
    }

    /**
     * Parses a location. A path that exists as a file is a plain file even if it contains
     * {@code !/}; otherwise the text up to the first {@code !/} names the archive.
     */
    public static AudioLocation parse(String location) {
        int bang = location.indexOf(ENTRY_SEPARATOR);
        if (bang > 0) {
            Path whole = pathOrNull(location);
            if (whole == null || !Files.isRegularFile(whole)) {
                Path archive = pathOrNull(location.substring(0, bang));
                String entry = location.substring(bang + ENTRY_SEPARATOR.length());
                if (archive != null && !entry.isEmpty()) {
                    return new AudioLocation(archive, entry);
                }
            }
        }
        Path path = pathOrNull(location);
        if (path == null) {
            throw new BadInputException(location, "not a valid file path");
        }
        return new AudioLocation(path, null);
    }

    private static Path pathOrNull(String text) {
        try {
            return Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    public boolean inArchive() {
        return entry != null;
    }

    @Override
    public String toString() {
        return entry == null ? file.toString() : file + ENTRY_SEPARATOR + entry;
    }

    /** An open stream and the number of bytes it holds (-1 when unknown). */
    record Opened(InputStream stream, long size, Closeable resource) implements Closeable {
        @Override
        public void close() throws IOException {
            try {
                stream.close();
            } finally {
                if (resource != null) {
                    resource.close();
                }
            }
        }
    }

    /** Opens the bytes for reading; problems that make the file unusable are {@link BadInputException}s. */
    Opened open() throws IOException {
        String where = toString();
        if (entry == null) {
            if (Files.isDirectory(file)) {
                throw new BadInputException(where, "is a directory, not a file");
            }
            try {
                // A pipe or device (/dev/stdin, a FIFO) has no size: read it to its end.
                boolean regular = Files.isRegularFile(file);
                long size = regular ? Files.size(file) : -1;
                InputStream raw = Files.newInputStream(file);
                return new Opened(new BufferedInputStream(regular ? raw : new SkipByReading(raw), 1 << 13), size, null);
            } catch (NoSuchFileException e) {
                throw new BadInputException(where, "no such file");
            } catch (AccessDeniedException e) {
                throw new BadInputException(where, "cannot read: permission denied");
            }
        }
        if (Files.isDirectory(file)) {
            throw new BadInputException(where, "archive " + file + " is a directory, not a zip file");
        }
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            if (Files.exists(file)) {
                throw new BadInputException(where, "cannot read archive: permission denied");
            }
            throw new BadInputException(where, "no such archive " + file);
        } catch (ZipException e) {
            throw new BadInputException(where, "cannot read zip archive: " + e.getMessage());
        }
        try {
            ZipEntry found = zip.getEntry(entry);
            if (found == null) {
                throw new BadInputException(where, "no such entry in the archive");
            }
            if (found.isDirectory()) {
                throw new BadInputException(where, "is a directory entry, not a file");
            }
            return openEntry(zip, found, zip);
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /** A pipe cannot seek: skipping reads and discards (InputStream's own skip does exactly that). */
    private static final class SkipByReading extends InputStream {
        private final InputStream in;

        SkipByReading(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Opens one entry of an archive the caller keeps open (the corpus scanner). */
    static Opened openEntry(ZipFile zip, ZipEntry entry, Closeable resource) throws IOException {
        return new Opened(new BufferedInputStream(zip.getInputStream(entry), 1 << 13), entry.getSize(), resource);
    }
}
