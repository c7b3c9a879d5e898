package ser.runner.util;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import ser.runner.RunFailure;

/**
 * One run's exclusive claim on an output (a folder or a file): an operating-system lock
 * ({@link FileChannel#tryLock()}) on {@code .NAME.lock} beside it, holding who claimed it
 * (pid, host, start time, command) so that a second run can name the first.
 *
 * <p>Why an OS lock and not a marker file: the kernel releases the lock when the holding
 * process ends, however it ends, so a run killed with SIGKILL never leaves a stale claim that
 * blocks later runs; the file it leaves behind is reused by the next run. Why beside the output
 * and not inside it: {@code train} and {@code evaluate} replace their output folder by renaming,
 * which would carry a lock inside it away. On NFS the lock is as reliable as the server's lock
 * service.
 *
 * <p>The file is deleted on release while the lock is still held; a run that opened it just
 * before the deletion notices that the path no longer names the file it locked (its token is
 * not what the path holds) and starts over, so two runs never hold locks on two different files.
 */
public final class OutputLock implements AutoCloseable {

    /** Suffix of the lock file beside the output. */
    public static final String SUFFIX = ".lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final String token;

    private OutputLock(Path file, FileChannel channel, FileLock lock, String token) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.token = token;
    }

    /** The lock file for {@code output}. */
    public static Path lockFile(Path output) {
        Path abs = output.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null || abs.getFileName() == null) {
            throw new ser.runner.UsageException(output + ": cannot write at the file-system root");
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
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                Files.createDirectories(file.getParent());
                FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException sameProcess) {
                    channel.close();
                    throw new OutputBusyException(output, "this process (" + who + ")");
                }
                if (lock == null) {
                    String holder = read(channel);
                    channel.close();
                    throw new OutputBusyException(output, holder.isBlank() ? "another process" : holder.lines()
                            .findFirst().orElse("").replaceFirst("^\\S+ ", ""));
                }
                String token = UUID.randomUUID() + " " + who;
                byte[] bytes = (token + "\n").getBytes(StandardCharsets.UTF_8);
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(bytes), 0);
                channel.force(false);
                if (token.equals(firstLine(file))) {
                    return new OutputLock(file, channel, lock, token);
                }
                // The holder deleted the file while we waited to lock it: ours is an orphan.
                lock.release();
                channel.close();
            } catch (IOException e) {
                throw new RunFailure(output + ": cannot create the lock file " + file + ": " + e.getMessage(), e);
            }
        }
        throw new RunFailure(output + ": could not lock " + file + " (it keeps being replaced by other processes)");
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1024);
        channel.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    private static String firstLine(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
        } catch (NoSuchFileException gone) {
            return "";
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "unknown host" : env;
        }
    }

    /** Releases the claim and removes the lock file (while still holding it; see the class comment). */
    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                if (token.equals(firstLine(file))) {
                    Files.deleteIfExists(file);
                }
                lock.release();
            }
        } catch (IOException ignored) {
            // the lock dies with the channel below; a leftover file is reused by the next run
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
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
