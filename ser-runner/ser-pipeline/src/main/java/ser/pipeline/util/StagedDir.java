package ser.pipeline.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import ser.pipeline.RunFailure;
import ser.pipeline.UsageException;

/**
 * An output folder built in a hidden sibling ({@code .NAME.partial-XXXX}) and renamed into place
 * only when complete, so that a killed run never leaves a half-written folder under the real
 * name. Partial siblings of earlier killed runs are deleted when a new run starts, so a re-run
 * starts clean. An existing target is replaced only if it holds nothing but what its
 * {@link FolderLayout} says the command writes (for instance: an earlier bundle), never a folder
 * with anything else in it. The target is locked ({@link OutputLock}) from {@link #begin} to
 * {@link #close}, so a second run cannot build into, clean up or replace it meanwhile.
 */
public final class StagedDir implements AutoCloseable {

    private final Path target;
    private final Path staging;
    private final OutputLock lock;
    private boolean committed;

    private StagedDir(Path target, Path staging, OutputLock lock) {
        this.target = target;
        this.staging = staging;
        this.lock = lock;
    }

    /**
     * Locks {@code target} and starts its staging folder.
     *
     * @param layout  what the command writes: an existing target holding anything else is refused
     * @param what    the output's kind, for messages ("a model bundle")
     * @param command the command, shown to a concurrent run ("ser train")
     */
    public static StagedDir begin(Path target, FolderLayout layout, String what, String command) {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null) {
            throw new UsageException(target + ": cannot write " + what + " at the file-system root");
        }
        OutputLock lock = OutputLock.acquire(abs, command);
        try {
            if (Files.exists(abs)) {
                if (!Files.isDirectory(abs)) {
                    throw new UsageException(target + ": exists and is not a folder; refusing to replace it with " + what);
                }
                Optional<String> foreign = layout.foreign(abs);
                if (foreign.isPresent()) {
                    throw new UsageException(target + ": exists and is not only " + what + " (it holds " + foreign.get()
                            + ", which " + command + " did not write); refusing to replace it (choose another folder)");
                }
            }
            Files.createDirectories(parent);
            cleanStale(parent, abs.getFileName().toString());
            Path staging = Files.createTempDirectory(parent, "." + abs.getFileName() + ".partial-");
            return new StagedDir(abs, staging, lock);
        } catch (IOException e) {
            lock.close();
            throw new RunFailure(target + ": cannot create a working folder beside it: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    public Path dir() {
        return staging;
    }

    Path target() {
        return target;
    }

    /** Replaces the target with the finished folder. */
    public void commit() {
        try {
            Path old = null;
            if (Files.exists(target)) {
                old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
                Files.delete(old);
                move(target, old);
            }
            move(staging, target);
            committed = true;
            if (old != null) {
                deleteTree(old);
            }
        } catch (IOException e) {
            throw new RunFailure(target + ": cannot move the finished folder into place: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try (lock) {
            if (!committed) {
                deleteTree(staging);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /**
     * Deletes {@code .NAME.partial-*} and {@code .NAME.old-*} left by killed runs (safe: the
     * lock guarantees no live run is building them).
     */
    private static void cleanStale(Path parent, String name) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, "." + name + ".{partial,old}-*")) {
            for (Path stale : s) {
                deleteTree(stale);
            }
        }
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
