package ser.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import ser.pipeline.extract.Fixtures;
import ser.api.AudioClip;
import ser.api.Emotion;
import ser.pipeline.audio.AudioLoader;
import ser.pipeline.predict.BundleScorer;

/** Every endpoint of a real server (loopback, ephemeral port) over a tiny real model. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ServerTest {

    @TempDir
    static Path dir;

    static Path model;
    static SerServer server;
    static String url;
    static BundleScorer reference;

    @BeforeAll
    static void start() {
        model = TestModel.train(dir);
        ServeSettings settings = ServeSettings.from(TestModel.config("ser.serve { port = 0, pool-size = 3, queue-size = 64,"
                + " max-body-mb = 0.25, max-duration-s = 3.5 }"));
        server = SerServer.open(model, Fixtures.plugins(), TestModel.config(""), null, settings).start();
        url = server.url();
        reference = TestModel.reference(model);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        if (reference != null) {
            reference.bundle().close();
        }
    }

    /** What the server must answer for {@code wav}: decoded the same way, scored single-threaded. */
    static float[] expected(byte[] wav) throws Exception {
        AudioClip clip = new AudioLoader(TestModel.RATE).decode(new java.io.ByteArrayInputStream(wav), wav.length, "x");
        return reference.probabilities(clip, "x");
    }

    /**
     * The answer's probabilities are {@code p} to their 6 decimals. Within 1.5e-6, not equal: the
     * pool batches concurrent requests, and a sequence predicted in a batch differs from the same
     * sequence alone by float rounding (about 1e-7), which can move the 6th decimal.
     */
    static void assertProbabilities(JsonNode o, float[] p) {
        for (Emotion e : Emotion.values()) {
            assertThat(o.get("probabilities").get(e.id()).asDouble()).as(e.id()).isCloseTo(p[e.index()], within(1.5e-6));
        }
        assertThat(o.get("emotion").asText()).isEqualTo(Emotion.ofIndex(ser.pipeline.report.Metrics.argmax(p)).id());
    }

    @Test
    void healthReadinessAndThePage() {
        assertThat(Http.get(url + "/healthz").json().get("status").asText()).isEqualTo("ok");
        Http.Reply ready = Http.get(url + "/readyz");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("status").asText()).isEqualTo("ready");
        Http.Reply page = Http.get(url + "/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<title>ser", "app.js");
        assertThat(Http.get(url + "/app.js").body()).contains("/v1/stream", "/v1/segments");
        assertThat(Http.get(url + "/pcm-worklet.js").body()).contains("registerProcessor");
        assertThat(Http.get(url + "/nope").status()).isEqualTo(404);
    }

    @Test
    void modelDescribesClassesBackendSchemaAndMetrics() {
        JsonNode m = Http.get(url + "/v1/model").json();
        assertThat(m.get("id").asText()).startsWith("test-centroid-").hasSize("test-centroid-".length() + 12);
        assertThat(m.get("backend").asText()).isEqualTo("test-centroid");
        assertThat(m.get("inference").asText()).as("not the BiGRU network: its backend predicts").isEqualTo("test-centroid");
        List<String> classes = new ArrayList<>();
        m.get("classes").forEach(c -> classes.add(c.asText()));
        assertThat(classes).containsExactly("fear", "happy", "sad", "anger", "disgust", "neutral", "surprise", "others");
        assertThat(m.get("feature_schema").get("hash").asText()).isEqualTo(reference.bundle().schema().hash());
        assertThat(m.get("sample_rate").asInt()).isEqualTo(16000);
        assertThat(m.get("training").get("test_metrics").get("accuracy").isNumber()).isTrue();
        assertThat(m.toString()).doesNotContain(dir.toString());
    }

    @Test
    void predictRawAndMultipartEqualTheSingleThreadedPrediction() throws Exception {
        byte[] wav = TestModel.wav(TestModel.tone(3, 1.5, 22050, 7), 22050);
        float[] p = expected(wav);
        for (Http.Reply r : List.of(Http.post(url + "/v1/predict", wav, "Content-Type", "audio/wav"),
                Http.multipart(url + "/v1/predict", "file", wav))) {
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode o = r.json();
            assertProbabilities(o, p);
            assertThat(o.get("duration_s").asDouble()).isEqualTo(1.5);
            assertThat(o.get("model").asText()).isEqualTo(Http.get(url + "/v1/model").json().get("id").asText());
        }
    }

    @Test
    void segmentsAreFixedWindowsEachPredictedOnItsOwnAudio() throws Exception {
        float[] x = new float[0];
        for (int e = 0; e < 3; e++) { // 1 s of three different tones
            float[] part = TestModel.tone(e * 3, 1.0, TestModel.RATE, e);
            x = Arrays.copyOf(x, x.length + part.length);
            System.arraycopy(part, 0, x, x.length - part.length, part.length);
        }
        Http.Reply r = Http.post(url + "/v1/segments", TestModel.wav(x, TestModel.RATE));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode o = r.json();
        assertThat(o.get("duration_s").asDouble()).isEqualTo(3.0);
        JsonNode segs = o.get("segments");
        // window 2 s, hop 1 s over 3 s: [0, 2) and [1, 3)
        assertThat(segs).hasSize(2);
        AudioClip clip = new AudioLoader(TestModel.RATE).decode(new java.io.ByteArrayInputStream(TestModel.wav(x, TestModel.RATE)),
                -1, "x");
        for (int i = 0; i < 2; i++) {
            JsonNode s = segs.get(i);
            assertThat(s.get("start_s").asDouble()).isEqualTo(i);
            assertThat(s.get("end_s").asDouble()).isEqualTo(i + 2);
            float[] part = Arrays.copyOfRange(clip.samples(), i * TestModel.RATE, (i + 2) * TestModel.RATE);
            assertProbabilities(s, reference.probabilities(new AudioClip(part, TestModel.RATE), "x"));
        }
    }

    @Test
    void badAudioIs400WithAJsonErrorNamingNoServerFile() {
        for (byte[] body : List.of("hello, not audio".getBytes(), Arrays.copyOf(TestModel.wav(TestModel.tone(1, 1, 16000, 1), 16000), 30))) {
            Http.Reply r = Http.post(url + "/v1/predict", body);
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            assertThat(r.json().get("error").asText()).startsWith("request body: ").doesNotContain(dir.toString());
        }
        Http.Reply empty = Http.post(url + "/v1/segments", new byte[0]);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("error").asText()).contains("empty");
        Http.Reply tooShort = Http.post(url + "/v1/predict", TestModel.wav(TestModel.tone(1, 0.01, 16000, 1), 16000));
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.json().get("error").asText()).contains("too short");
    }

    @Test
    void limitsBodySize413AndDuration400() {
        // 0.25 MB limit: 9 s of 16-bit 16 kHz audio is 288 kB
        Http.Reply big = Http.post(url + "/v1/predict", TestModel.wav(TestModel.tone(1, 9, 16000, 1), 16000));
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.json().get("error").asText()).contains("max-body-mb");
        Http.Reply bigPart = Http.multipart(url + "/v1/segments", "file", TestModel.wav(TestModel.tone(1, 9, 16000, 1), 16000));
        assertThat(bigPart.status()).isEqualTo(413);
        // 4 s at 8 kHz is small (64 kB) but over max-duration-s = 3.5
        Http.Reply longClip = Http.post(url + "/v1/predict", TestModel.wav(TestModel.tone(1, 4, 8000, 1), 8000));
        assertThat(longClip.status()).isEqualTo(400);
        assertThat(longClip.json().get("error").asText()).contains("too long");
    }

    @Test
    void concurrentRequestsEachGetTheirOwnResult() throws Exception {
        int n = 50;
        List<byte[]> clips = new ArrayList<>();
        List<float[]> want = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] wav = TestModel.wav(TestModel.tone(i % 8, 0.5 + 0.05 * i, 16000, 1000 + i), 16000);
            clips.add(wav);
            want.add(expected(wav));
        }
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Http.Reply>> replies = new ArrayList<>();
            for (byte[] wav : clips) {
                replies.add(threads.submit(() -> Http.post(url + "/v1/predict", wav)));
            }
            for (int i = 0; i < n; i++) {
                Http.Reply r = replies.get(i).get(60, TimeUnit.SECONDS);
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                assertProbabilities(r.json(), want.get(i));
                assertThat(r.json().get("duration_s").asDouble()).isEqualTo(Math.round((0.5 + 0.05 * i) * 1000) / 1000.0);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void streamAnswersOnePredictionPerHopOnTheLatestWindow() throws Exception {
        float[] x = TestModel.tone(2, 3.2, TestModel.RATE, 5);
        try (WsClient ws = new WsClient(url)) {
            ws.text("{\"type\":\"start\",\"sample_rate\":16000,\"format\":\"float32\"}");
            JsonNode ready = ws.next().message();
            assertThat(ready.get("type").asText()).isEqualTo("ready");
            assertThat(ready.get("window_s").asDouble()).isEqualTo(2.0);
            assertThat(ready.get("hop_s").asDouble()).isEqualTo(0.5);
            for (int from = 0; from < x.length; from += 100) { // chunks that do not line up with the hop
                ws.binary(WsClient.float32(x, from, Math.min(x.length, from + 100)));
            }
            // windows end at 2.0, 2.5 and 3.0 s
            for (int k = 0; k < 3; k++) {
                JsonNode p = ws.next().message();
                assertThat(p.get("type").asText()).as(p.toString()).isEqualTo("prediction");
                double end = 2.0 + 0.5 * k;
                assertThat(p.get("start_s").asDouble()).isEqualTo(end - 2.0);
                assertThat(p.get("end_s").asDouble()).isEqualTo(end);
                int to = (int) Math.round(end * TestModel.RATE);
                float[] window = Arrays.copyOfRange(x, to - 2 * TestModel.RATE, to);
                assertProbabilities(p, reference.probabilities(new AudioClip(window, TestModel.RATE), "x"));
            }
        }
    }

    @Test
    void streamResamplesPcm16FromTheDeclaredRate() throws Exception {
        float[] x = TestModel.tone(5, 2.6, 8000, 9);
        try (WsClient ws = new WsClient(url)) {
            ws.text("{\"type\":\"start\",\"sample_rate\":8000,\"format\":\"pcm16\"}");
            assertThat(ws.next().message().get("type").asText()).isEqualTo("ready");
            for (int from = 0; from < x.length; from += 800) {
                ws.binary(WsClient.pcm16(x, from, Math.min(x.length, from + 800)));
            }
            JsonNode first = ws.next().message();
            assertThat(first.get("type").asText()).isEqualTo("prediction");
            assertThat(first.get("end_s").asDouble()).isEqualTo(2.0);
            assertThat(ws.next().message().get("end_s").asDouble()).isEqualTo(2.5);
        }
    }

    @Test
    void streamProtocolErrorsCloseWithAMessage() throws Exception {
        try (WsClient ws = new WsClient(url)) {
            ws.binary(WsClient.float32(new float[100], 0, 100));
            assertThat(ws.next().message().get("error").asText()).contains("start message");
            assertThat(ws.next().closeCode()).isEqualTo(1008);
        }
        try (WsClient ws = new WsClient(url)) {
            ws.text("{\"type\":\"start\",\"sample_rate\":12,\"format\":\"pcm16\"}");
            assertThat(ws.next().message().get("error").asText()).contains("sample_rate");
            assertThat(ws.next().closeCode()).isEqualTo(1008);
        }
        try (WsClient ws = new WsClient(url)) {
            ws.text("{\"type\":\"start\",\"sample_rate\":16000,\"format\":\"pcm16\"}");
            ws.next();
            ws.binary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertThat(ws.next().message().get("error").asText()).contains("whole number");
        }
    }

    @Test
    void metricsInPrometheusText() {
        Http.post(url + "/v1/predict", TestModel.wav(TestModel.tone(1, 1, 16000, 3), 16000));
        Http.post(url + "/v1/predict", "junk".getBytes());
        Http.Reply m = Http.get(url + "/metrics");
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(m.body()).containsPattern("ser_http_requests_total\\{route=\"/v1/predict\",status=\"200\"} [1-9]")
                .containsPattern("ser_http_requests_total\\{route=\"/v1/predict\",status=\"400\"} [1-9]")
                .contains("ser_http_request_duration_seconds_bucket{route=\"/v1/predict\",le=\"0.05\"}")
                .contains("ser_queue_depth 0").contains("ser_model_pool_size 3").contains("ser_model_pool_busy")
                .containsPattern("ser_model_calls_total [1-9]").containsPattern("ser_model_batched_requests_total [1-9]");
    }
}
