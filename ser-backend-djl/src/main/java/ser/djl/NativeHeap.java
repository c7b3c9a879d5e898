package ser.djl;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Keeps memory that libtorch frees inside the process (glibc {@code mallopt}), process-wide.
 *
 * <p>Why: every op of a training step allocates its output afresh (tens of MB per layer at
 * batch 32 x 300 frames), and with glibc's defaults blocks of a few MB go back to the kernel when
 * freed (their own {@code mmap}, or a trimmed arena), so the next step takes a page fault on
 * every 4 KB page it writes. On this VM that was about 24,000 faults and 10–20 % of a step's CPU
 * time; with freed blocks kept for reuse it is about a third of that. The cost is that the
 * process keeps its peak heap (about 1.5 GB for a default-spec step at T = 300) until it exits.
 *
 * <p>Not glibc (macOS, musl) or no JNA: nothing changes.
 */
final class NativeHeap {

    /** glibc {@code malloc.h}. */
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;

    /** The largest value glibc accepts: {@code HEAP_MAX_SIZE / 2} on 64-bit. */
    private static final int MMAP_THRESHOLD = 32 << 20;
    private static final int TOP_PAD = 64 << 20;
    /** Never give the top of a heap back (an int is what mallopt takes). */
    private static final int TRIM_THRESHOLD = Integer.MAX_VALUE;

    private NativeHeap() {
    }

    /**
     * Sets glibc's thresholds so that freed blocks up to 32 MB stay in the heap. Idempotent:
     * every model calls it, the first call counts.
     *
     * @return whether the settings were applied
     */
    static boolean retainFreedMemory() {
        if (!Platform.isLinux() || Platform.isAndroid()) {
            return false;
        }
        try {
            Function mallopt = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("mallopt");
            boolean ok = mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, MMAP_THRESHOLD}) == 1;
            ok &= mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, TRIM_THRESHOLD}) == 1;
            ok &= mallopt.invokeInt(new Object[] {M_TOP_PAD, TOP_PAD}) == 1;
            return ok;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // Not glibc: the allocator's defaults stay.
            return false;
        }
    }
}
