package ser.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;

import org.junit.jupiter.api.Test;

class NativeHeapTest {

    @Test
    void glibcAcceptsTheHeapSettingsAndAcceptsThemAgain() {
        assumeTrue(Platform.isLinux() && !Platform.isAndroid(), "glibc only");
        assertThat(NativeHeap.retainFreedMemory()).isTrue();
        assertThat(NativeHeap.retainFreedMemory()).isTrue();
    }
}
