package ser.server.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    @Test
    void threadNamesFallIntoTheirGroups() {
        assertThat(ThreadCpu.group("ser-model-2")).isEqualTo("model");
        assertThat(ThreadCpu.group("qtp1234567-41")).isEqualTo("http server");
        assertThat(ThreadCpu.group("bench-http")).isEqualTo("clients");
        assertThat(ThreadCpu.group("C2 CompilerThre")).isEqualTo("JIT");
        assertThat(ThreadCpu.group("GC Thread#1")).isEqualTo("GC");
        assertThat(ThreadCpu.group("main")).isEqualTo("other");
    }

    @Test
    void perRequestIsTheDeltaOverTheRequestsInGroupOrder() {
        Map<String, Double> per = ThreadCpu.perRequest(Map.of("model", 10_000_000L), Map.of("model", 50_000_000L, "JIT",
                20_000_000L), 4);
        assertThat(per.keySet()).containsExactly("model", "http server", "clients", "JIT", "GC", "other");
        assertThat(per.get("model")).isEqualTo(10.0);
        assertThat(per.get("JIT")).isEqualTo(5.0);
        assertThat(per.get("GC")).isZero();
        assertThat(ThreadCpu.perRequest(Map.of(), Map.of(), 4)).isEmpty();
    }

    @Test
    void aBusyThreadShowsUpInItsGroup() throws InterruptedException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc only");
        Map<String, Long> before = ThreadCpu.snapshot();
        Thread t = new Thread(() -> {
            long end = System.nanoTime() + 300_000_000L;
            double x = 0;
            while (System.nanoTime() < end) {
                x += Math.sqrt(x + 1);
            }
            if (x < 0) {
                System.out.println(x);
            }
        }, "ser-model-test");
        t.start();
        Thread.sleep(250);
        Map<String, Long> during = ThreadCpu.snapshot();
        t.join();
        // At least a few 10 ms ticks of the spinning "model" thread (the machine may be shared).
        assertThat(during.getOrDefault("model", 0L) - before.getOrDefault("model", 0L)).isPositive();
    }
}
