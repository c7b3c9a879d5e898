package ser.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

class BlasKernelsTest {

    @Test
    void skylakeXKernelsNeedAllFiveAvx512Subsets() {
        assertThat(BlasKernels.supportsSkylakeX(Set.of("avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl")))
                .isTrue();
        assertThat(BlasKernels.supportsSkylakeX(Set.of("avx2", "fma", "avx512f", "avx512cd"))).isFalse();
        assertThat(BlasKernels.supportsSkylakeX(Set.of())).isFalse();
    }

    @Test
    void readsTheProcessorFlagsOnLinux() {
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertThat(BlasKernels.cpuFlags()).contains("fpu");
        } else {
            assertThat(BlasKernels.cpuFlags()).isEmpty();
        }
    }
}
