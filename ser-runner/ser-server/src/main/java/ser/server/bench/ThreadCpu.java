package ser.server.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of this process's threads by what they do, from Linux's {@code /proc/self/task}: it
 * also sees the threads a JVM does not list (JIT compilers, GC workers) and the native helper
 * threads an engine starts (they inherit the name of the thread that started them, so a model
 * worker's OpenMP threads count as the model's). Empty elsewhere. Clock ticks are 10 ms
 * ({@code USER_HZ} = 100 on Linux), so compare totals over many requests, not single ones.
 */
final class ThreadCpu {

    private static final Path TASKS = Path.of("/proc/self/task");
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** Group name and the thread-name prefixes that belong to it; the first match wins, "other" is the rest. */
    static final List<Map.Entry<String, List<String>>> GROUPS = List.of(
            Map.entry("model", List.of("ser-model-")),
            Map.entry("http server", List.of("qtp", "JettyServerThre", "Scheduler-")),
            Map.entry("clients", List.of("bench-http", "HttpClient-", "pool-")),
            Map.entry("JIT", List.of("C1 CompilerThre", "C2 CompilerThre")),
            Map.entry("GC", List.of("GC Thread", "G1 ", "VM Thread")));

    private ThreadCpu() {
    }

    /** CPU nanoseconds so far by group (threads that ended are not counted); empty without /proc. */
    static Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        if (!Files.isDirectory(TASKS)) {
            return out;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    String stat = Files.readString(task.resolve("stat"));
                    // Fields after the parenthesised name: state is the 1st, utime the 12th, stime the 13th.
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    out.merge(group(name), ticks * NANOS_PER_TICK, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended between listing and reading
                }
            }
        } catch (IOException e) {
            return new LinkedHashMap<>();
        }
        return out;
    }

    static String group(String threadName) {
        for (Map.Entry<String, List<String>> g : GROUPS) {
            for (String prefix : g.getValue()) {
                if (threadName.startsWith(prefix)) {
                    return g.getKey();
                }
            }
        }
        return "other";
    }

    /** Milliseconds per request by group between two snapshots, in {@link #GROUPS} order then "other". */
    static Map<String, Double> perRequest(Map<String, Long> before, Map<String, Long> after, int requests) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (after.isEmpty()) {
            return out;
        }
        double n = Math.max(1, requests);
        for (String g : names()) {
            long delta = after.getOrDefault(g, 0L) - before.getOrDefault(g, 0L);
            out.put(g, Math.max(0, delta) / 1e6 / n);
        }
        return out;
    }

    static List<String> names() {
        List<String> names = new java.util.ArrayList<>(GROUPS.stream().map(Map.Entry::getKey).toList());
        names.add("other");
        return names;
    }
}
