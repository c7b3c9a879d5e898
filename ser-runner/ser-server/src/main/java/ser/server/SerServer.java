package ser.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import com.typesafe.config.Config;
import ser.pipeline.plugins.PluginRegistry;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.websocket.WsContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.CloseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ser.api.AudioClip;
import ser.pipeline.BadInputException;
import ser.pipeline.audio.AudioLoader;
import ser.pipeline.model.BundleInfo;
import ser.pipeline.predict.FixedWindowSegmenter;
import ser.pipeline.predict.Segment;
import ser.pipeline.predict.Segmenter;

/**
 * {@code ser serve}: predictions over HTTP and WebSocket, a page at {@code /}, health and
 * Prometheus metrics, on Javalin (embedded Jetty). Every prediction runs on a model of the
 * {@link ModelPool}; a full queue is answered with 503 and Retry-After at once. {@link #stop}
 * is graceful: new work gets 503, work already accepted finishes.
 */
public final class SerServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SerServer.class);
    /** What a request's audio is called in error messages: never a server path. */
    static final String BODY = "request body";

    private final ServeSettings settings;
    private final ModelPool pool;
    private final Map<String, Object> card;
    private final int sampleRate;
    private final AudioLoader loader;
    private final Segmenter segmenter;
    private final ServerMetrics metrics;
    private final ObjectMapper mapper = new ObjectMapper();
    private final byte[] token;
    private final Map<String, StreamSession> streams = new ConcurrentHashMap<>();
    private final Map<String, WsContext> sockets = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;
    private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
    private Javalin app;

    /**
     * @param card       what {@code GET /v1/model} answers
     * @param sampleRate the rate the model's features need
     */
    public SerServer(ServeSettings settings, ModelPool pool, Map<String, Object> card, int sampleRate) {
        this.settings = settings;
        this.pool = pool;
        this.card = Map.copyOf(card);
        this.sampleRate = sampleRate;
        long maxMb = Math.max(1, (settings.maxBodyBytes() >> 20) + 1);
        this.loader = new AudioLoader(sampleRate, settings.maxDurationSeconds(), maxMb);
        this.segmenter = new FixedWindowSegmenter(settings.segmentWindowSeconds(), settings.segmentHopSeconds());
        this.metrics = new ServerMetrics(pool::queued, pool::busy, pool.size(), pool::modelCalls, pool::batchedJobs, streams::size);
        this.token = settings.token().getBytes(StandardCharsets.UTF_8);
    }

    /** A server over the bundle in {@code modelDir}, its pool loaded ({@code ser.serve.pool-size} copies). */
    public static SerServer open(Path modelDir, PluginRegistry plugins, Config config, String backend, ServeSettings settings) {
        ModelPool pool = ModelPool.open(modelDir, plugins, config, backend, settings.poolSize(), settings.modelThreads(),
                settings.queueSize(), settings.maxBatch());
        BundleInfo info = ser.pipeline.model.ModelBundle.readInfo(modelDir);
        Map<String, Object> card = new java.util.LinkedHashMap<>(ModelCard.of(modelDir, info));
        card.put("inference", pool.inference());
        return new SerServer(settings, pool, card, info.schema().grid().sampleRate());
    }

    ServeSettings settings() {
        return settings;
    }

    /** What computes the predictions: {@code java} or a backend's name. */
    public String inference() {
        return pool.inference();
    }

    ModelPool pool() {
        return pool;
    }

    ServerMetrics metrics() {
        return metrics;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    int sampleRate() {
        return sampleRate;
    }

    /** Binds and starts serving; returns this. */
    public SerServer start() {
        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.useVirtualThreads = false;
            config.jsonMapper(new JavalinJackson(mapper, false));
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/ser/server/web";
                files.location = Location.CLASSPATH;
            });
            config.jetty.multipartConfig.maxFileSize(settings.maxBodyBytes(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(settings.maxBodyBytes() + 65536, SizeUnit.BYTES);
            // Parts stay in memory: nothing a client sends is written to disk.
            config.jetty.multipartConfig.maxInMemoryFileSize((int) Math.min(Integer.MAX_VALUE, settings.maxBodyBytes() + 65536),
                    SizeUnit.BYTES);
            config.jetty.modifyWebSocketServletFactory(f -> {
                f.setMaxBinaryMessageSize(settings.streamMaxMessageBytes());
                f.setMaxTextMessageSize(64 * 1024);
                f.setIdleTimeout(Duration.ofSeconds(Math.max(30, (long) settings.requestTimeoutSeconds() * 2)));
            });
            // Jetty's graceful stop: requests already being answered get their response written
            // (the drain in stop() only knows when a handler returned, not when the bytes left).
            config.jetty.modifyServer(server -> {
                server.setStopTimeout((long) (settings.shutdownTimeoutSeconds() * 1000) + 1000);
                server.setHandler(new org.eclipse.jetty.server.handler.StatisticsHandler());
            });
            config.requestLogger.http((ctx, ms) -> metrics.request(route(ctx), ctx.status().getCode(), ms / 1000.0));
        });
        app.before("/v1/*", this::authorize);
        app.before("/metrics", this::authorize);
        app.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        app.get("/readyz", ctx -> {
            boolean ready = !draining;
            ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "ready" : "draining"));
        });
        app.get("/metrics", ctx -> ctx.contentType(ServerMetrics.CONTENT_TYPE).result(metrics.scrape()));
        app.get("/v1/model", ctx -> ctx.json(card));
        app.post("/v1/predict", accepted(this::predict));
        app.post("/v1/segments", accepted(this::segments));
        app.ws("/v1/stream", ws -> {
            ws.onConnect(ctx -> {
                if (draining) {
                    ctx.closeSession(1013, "server shutting down");
                    return;
                }
                sockets.put(ctx.sessionId(), ctx);
                streams.put(ctx.sessionId(), new StreamSession(this, !settings.tokenRequired() || bearerMatches(ctx.header("Authorization")),
                        new StreamSession.Sink() {
                            @Override
                            public void send(Map<String, Object> message) {
                                ctx.send(toJson(message));
                            }

                            @Override
                            public void close(int code, String reason) {
                                ctx.closeSession(code, reason);
                            }
                        }));
            });
            ws.onMessage(ctx -> session(ctx).onText(ctx.message()));
            ws.onBinaryMessage(ctx -> session(ctx).onBinary(java.nio.ByteBuffer.wrap(ctx.data(), ctx.offset(), ctx.length())));
            ws.onClose(ctx -> forget(ctx.sessionId()));
            ws.onError(ctx -> forget(ctx.sessionId()));
        });
        app.exception(HttpError.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
        app.exception(BadInputException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        app.exception(ModelPool.Saturated.class, (e, ctx) -> busy(ctx, "server busy: " + e.getMessage()));
        app.exception(ModelPool.TimedOut.class, (e, ctx) -> busy(ctx, "request timed out: " + e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("request failed", e);
            error(ctx, 500, "internal error: " + e.getClass().getSimpleName());
        });
        app.start(settings.host(), settings.port());
        return this;
    }

    /** The port bound (the ephemeral one when 0 was asked). */
    public int port() {
        return app.port();
    }

    public String url() {
        return "http://" + (settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host()) + ":" + port();
    }

    /**
     * Graceful stop: readiness goes to 503 and new work is refused, accepted requests finish (up
     * to {@code shutdown-timeout-s}), open streams are closed with "going away", then the HTTP
     * server and the models.
     */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return; // a shutdown hook and a try-with-resources may both stop it
        }
        draining = true;
        long deadline = System.nanoTime() + (long) (settings.shutdownTimeoutSeconds() * 1e9);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (WsContext ws : List.copyOf(sockets.values())) {
            try {
                ws.closeSession(new CloseStatus(1001, "server shutting down"));
            } catch (RuntimeException e) {
                // already closed by the client
            }
        }
        if (app != null) {
            app.stop();
        }
        pool.close(Math.max(1, (deadline - System.nanoTime()) / 1e9));
    }

    @Override
    public void close() {
        stop();
    }

    // ---------------------------------------------------------------- endpoints

    private void predict(Context ctx) {
        byte[] body = AudioBody.read(ctx, settings.maxBodyBytes());
        ctx.json(pool.call(scorer -> {
            AudioClip clip = decode(body);
            return ModelPool.Work.of(scorer.input(clip, BODY),
                    p -> Results.prediction(p, clip.durationSeconds(), pool.modelId()));
        }, settings.requestTimeoutSeconds()));
    }

    private void segments(Context ctx) {
        byte[] body = AudioBody.read(ctx, settings.maxBodyBytes());
        ctx.json(pool.call(scorer -> {
            AudioClip clip = decode(body);
            List<Segment> segments = segmenter.segments(clip);
            List<float[][]> inputs = new ArrayList<>(segments.size());
            for (Segment s : segments) {
                AudioClip part = new AudioClip(Arrays.copyOfRange(clip.samples(), s.start(), s.end()), sampleRate);
                String where = String.format(Locale.ROOT, "%s %.2f-%.2f s", BODY, s.startSeconds(sampleRate), s.endSeconds(sampleRate));
                inputs.add(scorer.input(part, where));
            }
            return new ModelPool.Work<>(inputs, probabilities -> {
                List<Map<String, Object>> out = new ArrayList<>(segments.size());
                for (int i = 0; i < segments.size(); i++) {
                    Segment s = segments.get(i);
                    out.add(Results.window(s.startSeconds(sampleRate), s.endSeconds(sampleRate), probabilities[i]));
                }
                return Results.segments(out, clip.durationSeconds(), pool.modelId());
            });
        }, settings.requestTimeoutSeconds()));
    }

    private AudioClip decode(byte[] body) {
        try {
            return loader.decode(new java.io.ByteArrayInputStream(body), body.length, BODY);
        } catch (java.io.IOException e) {
            throw new BadInputException(BODY, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Refuses new work while draining, and counts what is accepted until it is answered. */
    private Handler accepted(Handler work) {
        return ctx -> {
            if (draining) {
                busy(ctx, "server shutting down");
                return;
            }
            inFlight.incrementAndGet();
            try {
                work.handle(ctx);
            } finally {
                inFlight.decrementAndGet();
            }
        };
    }

    // ---------------------------------------------------------------- helpers

    private void authorize(Context ctx) {
        if (settings.tokenRequired() && !ctx.path().equals("/v1/stream") && !bearerMatches(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new HttpError(401, "missing or wrong bearer token");
        }
    }

    private boolean bearerMatches(String header) {
        return header != null && header.startsWith("Bearer ") && tokenMatches(header.substring(7).trim());
    }

    /** Constant-time comparison, so response timing does not reveal the token. */
    boolean tokenMatches(String candidate) {
        return !settings.tokenRequired()
                || candidate != null && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }

    private StreamSession session(WsContext ctx) {
        StreamSession s = streams.get(ctx.sessionId());
        if (s == null) {
            throw new IllegalStateException("no session " + ctx.sessionId());
        }
        return s;
    }

    private void forget(String id) {
        streams.remove(id);
        sockets.remove(id);
    }

    private void busy(Context ctx, String message) {
        ctx.header("Retry-After", Integer.toString(settings.retryAfterSeconds()));
        error(ctx, 503, message);
    }

    private void error(Context ctx, int status, String message) {
        ctx.status(status).json(Results.error(message));
    }

    String toJson(Object o) {
        try {
            return mapper.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String route(Context ctx) {
        if (ctx.status().getCode() == 404) {
            return "unmatched";
        }
        try {
            String path = ctx.endpointHandlerPath();
            return path == null || path.isEmpty() ? "other" : path;
        } catch (RuntimeException e) {
            return "static";
        }
    }
}
