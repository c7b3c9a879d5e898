package ser.dl4j;

import com.sun.jna.NativeLibrary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Lets OpenBLAS use its AVX-512 kernels on processors it does not recognise.
 *
 * <p>Why: the OpenBLAS bundled with ND4J 1.0.0-M2.1 (0.3.19) predates AMD Zen 4/5 and runs them
 * with its Haswell (AVX2) kernels; matrix products are half of a training step. Its SkylakeX
 * kernels need only AVX-512 F/CD/BW/DQ/VL, so where the processor has those they are chosen
 * (measured on this project's 2-core Zen 5 VM: -20 % process CPU per training step, same
 * results within float rounding). OpenBLAS reads {@code OPENBLAS_CORETYPE} once, when it is
 * loaded, so this must run before anything touches ND4J; later calls change nothing. A
 * {@code OPENBLAS_CORETYPE} set by the user is left alone.
 */
final class BlasKernels {

    private static final String VARIABLE = "OPENBLAS_CORETYPE";
    private static final List<String> SKYLAKEX_FLAGS = List.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");

    private BlasKernels() {
    }

    /** @return the core type set, or empty when nothing was changed */
    static Optional<String> preferAvx512() {
        if (System.getenv(VARIABLE) != null || !supportsSkylakeX(cpuFlags())) {
            return Optional.empty();
        }
        try {
            int rc = NativeLibrary.getInstance("c").getFunction("setenv").invokeInt(new Object[] {VARIABLE, "SkylakeX", 0});
            return rc == 0 ? Optional.of("SkylakeX") : Optional.empty();
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // No C library to call: OpenBLAS picks its kernels itself.
            return Optional.empty();
        }
    }

    static boolean supportsSkylakeX(Set<String> cpuFlags) {
        return cpuFlags.containsAll(SKYLAKEX_FLAGS);
    }

    /** The flags of the first processor in {@code /proc/cpuinfo}; empty where there is none. */
    static Set<String> cpuFlags() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        try (var lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("flags"))
                    .findFirst()
                    .map(l -> Arrays.stream(l.substring(l.indexOf(':') + 1).trim().split("\\s+")).collect(Collectors.toSet()))
                    .orElse(Set.of());
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }
}
