package ser.server;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/** What {@code GET /metrics} reports, in the Prometheus text format. One registry per server. */
public final class ServerMetrics {

    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram latency;
    private final Counter windows;

    /**
     * @param modelCalls   model calls so far (one per batch)
     * @param modelJobs    requests those calls served: over {@code modelCalls}, the mean batch
     */
    public ServerMetrics(IntSupplier queued, IntSupplier busy, int poolSize, LongSupplier modelCalls, LongSupplier modelJobs,
            IntSupplier streams) {
        requests = Counter.builder().name("ser_http_requests_total").help("HTTP requests by route and status")
                .labelNames("route", "status").register(registry);
        latency = Histogram.builder().name("ser_http_request_duration_seconds").help("HTTP request latency by route")
                .labelNames("route").classicOnly()
                .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30).register(registry);
        windows = Counter.builder().name("ser_stream_windows_total").help("stream windows by outcome (predicted, busy, failed)")
                .labelNames("outcome").register(registry);
        GaugeWithCallback.builder().name("ser_queue_depth").help("requests waiting for a model")
                .callback(cb -> cb.call(queued.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("ser_model_pool_busy").help("model instances computing now")
                .callback(cb -> cb.call(busy.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("ser_model_pool_size").help("model instances")
                .callback(cb -> cb.call(poolSize)).register(registry);
        CounterWithCallback.builder().name("ser_model_calls_total").help("model calls (one per batch of requests)")
                .callback(cb -> cb.call(modelCalls.getAsLong())).register(registry);
        CounterWithCallback.builder().name("ser_model_batched_requests_total")
                .help("requests (and stream windows) served by model calls; divided by ser_model_calls_total: the mean batch")
                .callback(cb -> cb.call(modelJobs.getAsLong())).register(registry);
        GaugeWithCallback.builder().name("ser_streams_open").help("open WebSocket streams")
                .callback(cb -> cb.call(streams.getAsInt())).register(registry);
    }

    public void request(String route, int status, double seconds) {
        requests.labelValues(route, Integer.toString(status)).inc();
        latency.labelValues(route).observe(seconds);
    }

    public void window(String outcome) {
        windows.labelValues(outcome).inc();
    }

    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
