package ser.pipeline.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ser.pipeline.UsageException;

/**
 * Inputs can never be outputs: an output path equal to an input, or a folder containing one,
 * is refused before any work, because writing (or replacing) it would destroy the input.
 * Paths are compared after resolving symbolic links and {@code ..}, so another spelling of the
 * same place is caught too.
 */
public final class OutputPaths {

    private OutputPaths() {
    }

    /** The absolute path with links resolved as far as it exists (the rest appended as written). */
    public static Path canonical(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        Path existing = abs;
        Path rest = null;
        while (existing != null && !Files.exists(existing)) {
            Path name = existing.getFileName();
            rest = rest == null ? name : name.resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            Path real = existing.toRealPath();
            return rest == null ? real : real.resolve(rest).normalize();
        } catch (IOException e) {
            return abs;
        }
    }

    /**
     * Refuses {@code out} when it is, or contains, any of {@code inputs} (e.g. the audio files a
     * manifest names); the message names the first one.
     */
    public static void refuseOverlap(String outOption, Path out, String inputsName, Path source,
            java.util.Collection<Path> inputs) {
        Path o = canonical(out);
        for (Path input : inputs) {
            Path i = canonical(input);
            if (within(i, o)) {
                throw new UsageException(outOption + " " + out + ": " + (i.equals(o) ? "is " : "contains ") + input
                        + ", one of " + inputsName + " " + source + "; writing there could destroy it (choose another "
                        + outOption + ")");
            }
        }
    }

    /** True when {@code inner} is {@code outer} or lies inside it (both canonical). */
    public static boolean within(Path inner, Path outer) {
        return inner.startsWith(outer);
    }

    /**
     * Refuses {@code out} when it is {@code input} or contains it.
     *
     * @param outOption   the output's option, e.g. {@code --out}
     * @param inputOption what the input is, e.g. {@code --features}
     */
    public static void refuseOverlap(String outOption, Path out, String inputOption, Path input) {
        Path o = canonical(out);
        Path i = canonical(input);
        if (o.equals(i)) {
            throw new UsageException(outOption + " " + out + ": is the input " + inputOption + " " + input
                    + "; writing there would destroy it (choose another " + outOption + ")");
        }
        if (within(i, o)) {
            throw new UsageException(outOption + " " + out + ": contains the input " + inputOption + " " + input
                    + "; writing there could destroy it (choose another " + outOption + ")");
        }
    }
}
