package ser.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import ser.api.Percentiles;

/**
 * {@code ser bench serve}: load on a running server over loopback. {@code POST /v1/predict} of
 * a few different clips by 1, 2, 8... concurrent clients, each request sending the next clip in
 * turn (latency percentiles, throughput, and every answer checked against what that clip got
 * alone before the load: a lost, failed, different or another request's answer is counted), then a live
 * stream paced at real time (lag from sending the chunk that completes a window to receiving
 * its prediction). Bounded: at most {@code requests} requests and {@code maxSeconds} per level.
 */
public final class ServeBench {

    /**
     * One concurrency level.
     *
     * @param cpuMs      CPU time of the whole process per answered request (server and the
     *                   in-process clients together, every thread, native ones included)
     * @param modelCpuMs CPU time of the model pool's threads per answered request (decode,
     *                   features, model on the calling thread; not the engines' native helpers)
     * @param cpuByThreads CPU ms per request by thread group ({@link ThreadCpu}; empty off Linux)
     * @param meanBatch  requests per model call (the server's micro-batching; {@code /metrics})
     */
    public record Level(int clients, int requests, int failed, int mismatched, double seconds, double p50Ms, double p95Ms,
            double p99Ms, double maxMs, double cpuMs, double modelCpuMs, Map<String, Double> cpuByThreads, double meanBatch) {

        public double throughput() {
            return requests / seconds;
        }
    }

    /** Streaming lag over {@code windows} predictions. */
    public record Stream(int windows, int busy, double p50Ms, double p95Ms, double maxMs) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "bench-http");
                t.setDaemon(true);
                return t;
            })).build();
    private final String url;

    public ServeBench(String url) {
        this.url = url;
    }

    /** Mono 16-bit PCM WAV bytes of {@code x} (what the clients send). */
    public static byte[] wav(float[] x, int rate) {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * x.length).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(2 * rate)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(2 * x.length);
        for (float v : x) {
            b.putShort((short) Math.round(Math.max(-1, Math.min(1, v)) * 32767));
        }
        return b.array();
    }

    /**
     * One answer of {@code POST /v1/predict}: the emotion and the 8 probabilities.
     */
    public record Answer(String emotion, double[] probabilities) {

        /**
         * Probabilities equal within {@link #TOLERANCE} and the same emotion. Not exactly equal:
         * the server batches concurrent requests, and a batch changes a sequence's probabilities
         * by float rounding (about 1e-7), while two different clips differ by far more.
         */
        public boolean matches(Answer other) {
            if (!emotion.equals(other.emotion) || probabilities.length != other.probabilities.length) {
                return false;
            }
            for (int i = 0; i < probabilities.length; i++) {
                if (!(Math.abs(probabilities[i] - other.probabilities[i]) <= TOLERANCE)) {
                    return false;
                }
            }
            return true;
        }

        static final double TOLERANCE = 1e-5;
    }

    private Answer predict(byte[] wav) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url + "/v1/predict")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "audio/wav").POST(HttpRequest.BodyPublishers.ofByteArray(wav)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode() + ": " + r.body());
        }
        JsonNode o = JSON.readTree(r.body());
        List<Double> p = new ArrayList<>();
        o.get("probabilities").elements().forEachRemaining(v -> p.add(v.asDouble()));
        return new Answer(o.get("emotion").asText(), p.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * Asks for each clip's answer alone (one request at a time), warms up with {@code warmup}
     * requests sent by as many concurrent clients as the largest level, then runs every level.
     * A sequential warm-up left the JIT compiling (and deoptimizing code profiled on one client)
     * through the first concurrent level.
     */
    public List<Level> load(List<byte[]> clips, int[] levels, int requests, double maxSeconds, int warmup) throws Exception {
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("no clips to send");
        }
        List<Answer> expected = new ArrayList<>();
        for (byte[] wav : clips) {
            expected.add(predict(wav));
        }
        if (warmup > 0) {
            level(clips, expected, Arrays.stream(levels).max().orElse(1), warmup, maxSeconds);
        }
        List<Level> out = new ArrayList<>();
        for (int clients : levels) {
            out.add(level(clips, expected, clients, requests, maxSeconds));
        }
        return out;
    }

    private Level level(List<byte[]> clips, List<Answer> expected, int clients, int requests, double maxSeconds)
            throws InterruptedException {
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger mismatched = new AtomicInteger();
        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long cpu0 = processCpuNanos();
        long model0 = threadCpuNanos(MODEL_THREADS);
        Map<String, Long> threads0 = ThreadCpu.snapshot();
        long[] batches0 = batches();
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            pool.execute(() -> {
                for (int i; (i = next.getAndIncrement()) < requests && System.nanoTime() < deadline; ) {
                    int clip = i % clips.size();
                    long s = System.nanoTime();
                    try {
                        if (!predict(clips.get(clip)).matches(expected.get(clip))) {
                            mismatched.incrementAndGet();
                        }
                        latencies[i] = System.nanoTime() - s;
                        done.incrementAndGet();
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination((long) maxSeconds + 120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double n = Math.max(1, done.get());
        double cpu = (processCpuNanos() - cpu0) / 1e6 / n;
        double modelCpu = (threadCpuNanos(MODEL_THREADS) - model0) / 1e6 / n;
        Map<String, Double> byThreads = ThreadCpu.perRequest(threads0, ThreadCpu.snapshot(), done.get());
        long[] batches1 = batches();
        double[] ok = Arrays.stream(latencies).filter(v -> v > 0).sorted().mapToDouble(v -> v / 1e6).toArray();
        return new Level(clients, done.get(), failed.get(), mismatched.get(), seconds, pct(ok, 50), pct(ok, 95), pct(ok, 99),
                ok.length == 0 ? Double.NaN : ok[ok.length - 1], cpu, modelCpu, byThreads,
                (double) (batches1[1] - batches0[1]) / Math.max(1, batches1[0] - batches0[0]));
    }

    /** The server's model calls and the requests they served so far ({@code GET /metrics}). */
    private long[] batches() throws InterruptedException {
        try {
            String text = client.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return new long[] {metric(text, "ser_model_calls_total"), metric(text, "ser_model_batched_requests_total")};
        } catch (IOException e) {
            return new long[] {0, 0};
        }
    }

    private static long metric(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ")) {
                return (long) Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return 0;
    }

    /** The model pool's worker threads (see ser.server.ModelPool). */
    private static final String MODEL_THREADS = "ser-model-";

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /** CPU time so far of the live Java threads whose name starts with {@code prefix}. */
    private static long threadCpuNanos(String prefix) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith(prefix)) {
                sum += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    /** The {@code p}-th percentile of ascending values ({@link Percentiles}), NaN for none. */
    static double pct(double[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : Percentiles.of(sorted, sorted.length, p);
    }

    /**
     * Streams {@code x} (mono, at {@code rate}) as 16-bit chunks of {@code chunkSeconds}, paced
     * at real time; the lag of a window is measured from sending the chunk holding its last
     * sample to receiving its prediction.
     */
    public Stream stream(float[] x, int rate, double chunkSeconds) throws Exception {
        Map<Long, Long> sentAt = new ConcurrentHashMap<>(); // chunk end sample -> nanos
        List<Double> lags = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger busy = new AtomicInteger();
        CountDownLatch ready = new CountDownLatch(1);
        AtomicLong lastMessage = new AtomicLong(System.nanoTime());
        WebSocket ws = client.newWebSocketBuilder().buildAsync(URI.create(url.replaceFirst("^http", "ws") + "/v1/stream"),
                new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            long now = System.nanoTime();
                            lastMessage.set(now);
                            try {
                                JsonNode m = JSON.readTree(text.toString());
                                switch (m.path("type").asText()) {
                                    case "ready" -> ready.countDown();
                                    case "busy" -> busy.incrementAndGet();
                                    case "prediction" -> {
                                        long end = Math.round(m.get("end_s").asDouble() * rate);
                                        sentAt.entrySet().stream().filter(e -> e.getKey() >= end).mapToLong(Map.Entry::getKey).min()
                                                .ifPresent(k -> lags.add((now - sentAt.get(k)) / 1e6));
                                    }
                                    default -> { }
                                }
                            } catch (IOException e) {
                                throw new IllegalStateException(e);
                            }
                            text.setLength(0);
                        }
                        w.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"start\",\"sample_rate\":" + rate + ",\"format\":\"pcm16\"}", true).get(10, TimeUnit.SECONDS);
        if (!ready.await(10, TimeUnit.SECONDS)) {
            throw new IOException("the stream was not accepted");
        }
        int chunk = (int) Math.round(chunkSeconds * rate);
        long t0 = System.nanoTime();
        for (int from = 0; from < x.length; from += chunk) {
            int to = Math.min(x.length, from + chunk);
            long due = t0 + (long) (to / (double) rate * 1e9); // a microphone delivers a chunk when it is complete
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            ByteBuffer b = ByteBuffer.allocate(2 * (to - from)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = from; i < to; i++) {
                b.putShort((short) Math.round(Math.max(-1, Math.min(1, x[i])) * 32767));
            }
            sentAt.put((long) to, System.nanoTime());
            // The JDK client masks 8 bytes at a time in the buffer's byte order: send big-endian views.
            ws.sendBinary(b.flip().order(ByteOrder.BIG_ENDIAN), true).get(10, TimeUnit.SECONDS);
        }
        while (System.nanoTime() - lastMessage.get() < 2_000_000_000L) {
            Thread.sleep(50);
        }
        ws.abort();
        double[] sorted = lags.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Stream(sorted.length, busy.get(), pct(sorted, 50), pct(sorted, 95), sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
    }

    public static String table(List<Level> levels) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%7s %8s %6s %8s %8s %8s %8s %8s %10s %10s %10s %6s%n", "clients",
                "requests", "failed", "mismatch", "p50 ms", "p95 ms", "p99 ms", "max ms", "req/s", "CPU ms/req", "model CPU", "batch"));
        for (Level l : levels) {
            b.append(String.format(Locale.ROOT, "%7d %8d %6d %8d %8.1f %8.1f %8.1f %8.1f %10.1f %10.1f %10.1f %6.2f%n", l.clients(),
                    l.requests(), l.failed(), l.mismatched(), l.p50Ms(), l.p95Ms(), l.p99Ms(), l.maxMs(), l.throughput(), l.cpuMs(),
                    l.modelCpuMs(), l.meanBatch()));
        }
        b.append("CPU ms/req: the whole process (server and its in-process clients, every thread) per request; model CPU: the model "
                + "pool's threads (decode, features, model); batch: requests per model call\n");
        if (levels.stream().anyMatch(l -> !l.cpuByThreads().isEmpty())) {
            b.append("CPU ms per request by thread group (/proc; a model thread's native helpers count as the model's):\n");
            b.append(String.format(Locale.ROOT, "%7s", "clients"));
            for (String g : ThreadCpu.names()) {
                b.append(String.format(Locale.ROOT, " %11s", g));
            }
            b.append('\n');
            for (Level l : levels) {
                b.append(String.format(Locale.ROOT, "%7d", l.clients()));
                for (String g : ThreadCpu.names()) {
                    b.append(String.format(Locale.ROOT, " %11.1f", l.cpuByThreads().getOrDefault(g, Double.NaN)));
                }
                b.append('\n');
            }
        }
        return b.toString();
    }
}
