package ser.pipeline.extract;

import java.io.IOException;
import java.nio.file.Path;
import ser.pipeline.RunFailure;

/** Turns write errors into one clear line, saying "disk full" when the disk is full. */
public final class IoFailures {

    private IoFailures() {
    }

    /** An I/O error while writing one file. */
    static final class FileWriteException extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Path file;

        FileWriteException(Path file, IOException cause) {
            super(file + ": " + cause.getMessage(), cause);
            this.file = file;
        }

        Path file() {
            return file;
        }
    }

    /** Runs {@code write}, naming {@code file} in any I/O error. */
    public static void writing(Path file, IOAction write) throws IOException {
        try {
            write.run();
        } catch (FileWriteException e) {
            throw e;
        } catch (IOException e) {
            throw new FileWriteException(file, e);
        }
    }

    @FunctionalInterface
    public interface IOAction {
        void run() throws IOException;
    }

    static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left") || m.contains("Disk quota exceeded")
                    || m.contains("not enough space") || m.contains("disk full"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param where the folder or file being written when no more precise file is known
     * @param out   the feature folder, whose .partial/ keeps finished work for a re-run
     */
    static RunFailure failure(Path where, IOException e, Path out) {
        Path file = e instanceof FileWriteException f ? f.file() : where;
        Throwable cause = e instanceof FileWriteException ? e.getCause() : e;
        String reason;
        if (isDiskFull(e)) {
            reason = "disk full (No space left on device)";
        } else {
            String m = cause.getMessage();
            reason = cause.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        }
        String hint = out == null ? "" : "; finished utterances are kept in " + out.resolve(Journal.DIR)
                + ": fix the problem and run again to continue";
        return new RunFailure(file + ": cannot write: " + reason + hint, e);
    }
}
