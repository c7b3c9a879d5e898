package ser.pipeline.util;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import ser.pipeline.RunFailure;
import ser.pipeline.UsageException;

/**
 * One run's exclusive claim on an output (a folder or a file): an operating-system lock
 * ({@link FileChannel#tryLock()}) on {@code .NAME.lock} beside it. While held, the file says who
 * holds it (pid, host, start time, command), so that a second run can name the first.
 *
 * <p>Why an OS lock and not a marker file: the kernel releases the lock when the holding
 * process ends, however it ends, so a run killed with SIGKILL never leaves a stale claim that
 * blocks later runs. Why beside the output and not inside it: {@code train} and {@code evaluate}
 * replace their output folder by renaming, which would carry a lock inside it away.
 *
 * <p>The holder deletes the file when it releases the claim (while still holding the lock),
 * so nothing is left beside the output. A run that opened the file just before that deletion
 * would then lock an orphan while a third run locks a new file; to rule that out, a run accepts
 * its lock only if the path names the same file (same {@code fileKey}, device and inode, read
 * without opening it) before it opened it and after it locked it; otherwise it starts over.
 * The file is never opened a second time while locked, because POSIX drops every lock a process
 * holds on a file when it closes any descriptor of that file; for the same reason, claims made
 * in this JVM are also tracked in {@link #HELD}. On NFS the lock is as reliable as the server's
 * lock service.
 */
public final class OutputLock implements AutoCloseable {

    /** Suffix of the lock file beside the output. */
    public static final String SUFFIX = ".lock";

    /**
     * Lock files held by this JVM. The one piece of static state here mirrors a JVM-wide fact:
     * the OS lock belongs to the process, so a second claim from this process must be refused
     * before it opens (and, on closing, silently releases) the file.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file for {@code output}. */
    public static Path lockFile(Path output) {
        Path abs = OutputPaths.canonical(output);
        Path parent = abs.getParent();
        if (parent == null || abs.getFileName() == null) {
            throw new UsageException(output + ": cannot write at the file-system root");
        }
        return parent.resolve("." + abs.getFileName() + SUFFIX);
    }

    /**
     * Claims {@code output} for this process.
     *
     * @param command what is claiming it, e.g. {@code ser extract}, shown to a second run
     * @throws OutputBusyException when another run holds it
     * @throws RunFailure          when the lock file cannot be created
     */
    public static OutputLock acquire(Path output, String command) {
        Path file = lockFile(output);
        String who = "pid " + ProcessHandle.current().pid() + " on " + host() + ", started "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ", " + command;
        if (!HELD.add(file)) {
            throw new OutputBusyException(output, "this process: " + who);
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            for (int attempt = 0; attempt < 50; attempt++) {
                try {
                    Files.createFile(file);
                } catch (FileAlreadyExistsException exists) {
                    // another run's, or left by a killed one: lock it the same way
                }
                Object before = key(file);
                try {
                    channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                } catch (NoSuchFileException released) {
                    continue; // its holder just released and deleted it
                }
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    String holder = read(channel).strip();
                    throw new OutputBusyException(output, holder.isEmpty() ? "another process" : holder);
                }
                Object after = key(file);
                if (before == null ? after == null && Files.exists(file) : before.equals(after)) {
                    channel.truncate(0);
                    channel.write(ByteBuffer.wrap((who + "\n").getBytes(StandardCharsets.UTF_8)), 0);
                    channel.force(false);
                    return new OutputLock(file, channel, lock);
                }
                lock.release(); // an orphan: the path now names another file
                channel.close();
                channel = null;
            }
            throw new RunFailure(output + ": could not lock " + file + " (it keeps being replaced)");
        } catch (IOException | RuntimeException e) {
            HELD.remove(file);
            closeQuietly(channel);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new RunFailure(output + ": cannot create the lock file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file's identity (device and inode), read without opening it; null where unsupported or absent. */
    private static Object key(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1024);
        channel.read(b, 0);
        String text = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        return text.lines().findFirst().orElse("");
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "unknown host" : env;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    /** Deletes the lock file, then releases the claim (see the class comment for why in this order). */
    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                Files.deleteIfExists(file);
                lock.release();
            }
        } catch (IOException ignored) {
            // closing the channel below releases the lock anyway
        } finally {
            closeQuietly(channel);
            HELD.remove(file);
        }
    }

    /** Another run holds the output: one line naming the output and that run. */
    public static final class OutputBusyException extends RunFailure {
        private static final long serialVersionUID = 1L;

        OutputBusyException(Path output, String holder) {
            super(output + ": in use by another ser run (" + holder + "); wait for it to finish or choose another output");
        }
    }
}
