package ser.runner.train;

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
import java.util.function.Predicate;
import ser.runner.RunFailure;
import ser.runner.UsageException;

/**
 * An output folder built in a hidden sibling ({@code .NAME.partial-XXXX}) and renamed into place
 * only when complete, so that a killed run never leaves a half-written folder under the real
 * name. Partial siblings of earlier killed runs are deleted when a new run starts, so a re-run
 * starts clean. An existing target is replaced only if {@code replaceable} accepts it (for
 * instance: it is an earlier bundle), never an unrelated folder.
 */
final class StagedDir implements AutoCloseable {

    private final Path target;
    private final Path staging;
    private boolean committed;

    private StagedDir(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
    }

    static StagedDir begin(Path target, Predicate<Path> replaceable, String what) {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null) {
            throw new UsageException(target + ": cannot write " + what + " at the file-system root");
        }
        if (Files.exists(abs)) {
            if (!Files.isDirectory(abs)) {
                throw new UsageException(target + ": exists and is not a folder; refusing to replace it with " + what);
            }
            if (!isEmpty(abs) && !replaceable.test(abs)) {
                throw new UsageException(target + ": exists and is not " + what + "; refusing to replace it (choose another folder)");
            }
        }
        try {
            Files.createDirectories(parent);
            cleanStale(parent, abs.getFileName().toString());
            Path staging = Files.createTempDirectory(parent, "." + abs.getFileName() + ".partial-");
            return new StagedDir(abs, staging);
        } catch (IOException e) {
            throw new RunFailure(target + ": cannot create a working folder beside it: " + e.getMessage(), e);
        }
    }

    Path dir() {
        return staging;
    }

    Path target() {
        return target;
    }

    /** Replaces the target with the finished folder. */
    void commit() {
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
        if (!committed) {
            try {
                deleteTree(staging);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes {@code .NAME.partial-*} and {@code .NAME.old-*} left by killed runs. */
    private static void cleanStale(Path parent, String name) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, "." + name + ".{partial,old}-*")) {
            for (Path stale : s) {
                deleteTree(stale);
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
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
