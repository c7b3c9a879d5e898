package ser.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ser.pipeline.BadInputException;
import ser.pipeline.audio.WavDecoder;
import ser.pipeline.predict.SlidingWindow;
import ser.pipeline.predict.StreamingPredictor;
import ser.pipeline.predict.StreamingPredictor.PcmFormat;

/**
 * One {@code WS /v1/stream} connection. The protocol: the client's first message is text,
 * {@code {"type":"start","sample_rate":48000,"format":"pcm16"|"float32"[,"token":"..."]}}; the
 * server answers {@code {"type":"ready",...}}; then every binary message is little-endian mono
 * PCM in the declared format, and the server answers one {@code {"type":"prediction",
 * "start_s","end_s","emotion","probabilities"}} per hop, on the latest window. When every model
 * is busy a window is skipped with {@code {"type":"busy"}}; protocol errors get
 * {@code {"type":"error","error":...}} and close the stream. Jetty delivers one session's
 * messages one at a time, so a session needs no locking.
 */
final class StreamSession {

    /** What the session sends; the server wires it to the WebSocket. */
    interface Sink {
        void send(Map<String, Object> message);

        void close(int code, String reason);
    }

    /** WebSocket close codes used. */
    static final int POLICY = 1008;
    static final int TOO_BIG = 1009;

    private final SerServer server;
    private final boolean headerAuthorized;
    private final Sink sink;
    private StreamingPredictor predictor;
    private PcmFormat format;
    private boolean closed;

    StreamSession(SerServer server, boolean headerAuthorized, Sink sink) {
        this.server = server;
        this.headerAuthorized = headerAuthorized;
        this.sink = sink;
    }

    void onText(String text) {
        if (closed) {
            return;
        }
        if (predictor != null) {
            fail(POLICY, "the stream already started; send audio as binary messages");
            return;
        }
        JsonNode start;
        try {
            start = server.mapper().readTree(text);
        } catch (java.io.IOException e) {
            fail(POLICY, "start message is not JSON");
            return;
        }
        if (start == null || !"start".equals(start.path("type").asText())) {
            fail(POLICY, "the first message must be {\"type\":\"start\",\"sample_rate\":...,\"format\":\"pcm16\"|\"float32\"}");
            return;
        }
        if (!headerAuthorized && !server.tokenMatches(start.path("token").asText(null))) {
            fail(POLICY, "missing or wrong token");
            return;
        }
        int rate = start.path("sample_rate").asInt(-1);
        if (!start.path("sample_rate").isIntegralNumber() || rate < WavDecoder.MIN_SAMPLE_RATE || rate > WavDecoder.MAX_SAMPLE_RATE) {
            fail(POLICY, "sample_rate must be an integer " + WavDecoder.MIN_SAMPLE_RATE + ".." + WavDecoder.MAX_SAMPLE_RATE);
            return;
        }
        try {
            format = PcmFormat.ofId(start.path("format").asText("pcm16"));
        } catch (IllegalArgumentException e) {
            fail(POLICY, e.getMessage());
            return;
        }
        ServeSettings s = server.settings();
        SlidingWindow windows = new SlidingWindow(rate, server.sampleRate(), s.streamWindowSeconds(), s.streamHopSeconds());
        predictor = new StreamingPredictor(windows, (clip, where) -> server.pool()
                .call(scorer -> ModelPool.Work.of(scorer.input(clip, where), p -> p), s.requestTimeoutSeconds()));
        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("type", "ready");
        ready.put("model", server.pool().modelId());
        ready.put("window_s", s.streamWindowSeconds());
        ready.put("hop_s", s.streamHopSeconds());
        sink.send(ready);
    }

    void onBinary(ByteBuffer data) {
        if (closed) {
            return;
        }
        if (predictor == null) {
            fail(POLICY, "send the start message before any audio");
            return;
        }
        float[] samples;
        try {
            samples = StreamingPredictor.decode(data, format);
        } catch (IllegalArgumentException e) {
            fail(POLICY, e.getMessage());
            return;
        }
        if (predictor.windows().receivedSeconds() > server.settings().streamMaxSeconds()) {
            fail(TOO_BIG, "stream longer than ser.serve.stream.max-seconds = " + server.settings().streamMaxSeconds());
            return;
        }
        List<StreamingPredictor.WindowPrediction> done;
        try {
            done = predictor.feed(samples, 0, samples.length);
        } catch (ModelPool.Saturated | ModelPool.TimedOut e) {
            server.metrics().window("busy");
            Map<String, Object> busy = new LinkedHashMap<>();
            busy.put("type", "busy");
            busy.put("at_s", Results.round(predictor.windows().receivedSeconds()));
            busy.put("error", e.getMessage());
            sink.send(busy);
            return;
        } catch (BadInputException e) {
            server.metrics().window("failed");
            sink.send(Map.of("type", "error", "error", e.getMessage()));
            return;
        }
        for (StreamingPredictor.WindowPrediction p : done) {
            server.metrics().window("predicted");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "prediction");
            m.putAll(Results.window(p.startSeconds(), p.endSeconds(), p.probabilities()));
            sink.send(m);
        }
    }

    private void fail(int code, String message) {
        closed = true;
        sink.send(Map.of("type", "error", "error", message));
        sink.close(code, message.length() > 120 ? message.substring(0, 120) : message);
    }
}
