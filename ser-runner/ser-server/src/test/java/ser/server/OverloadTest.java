package ser.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import ser.pipeline.predict.BatchScorer;

/**
 * Saturation, timeouts, graceful shutdown and the token, with a pool of one fake model that
 * holds every request until the test lets it go (no sleeps: the test sees each state).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class OverloadTest {

    /** Blocks each request's features until released; answers "anger" with certainty. */
    static final class HeldModel implements BatchScorer {
        final Semaphore entered = new Semaphore(0);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public float[][] input(ser.api.AudioClip clip, String where) {
            entered.release();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new float[][] {{clip.durationSeconds() > 0 ? 1f : 0f}};
        }

        @Override
        public float[][] probabilities(List<float[][]> inputs) {
            float[][] out = new float[inputs.size()][8];
            for (float[] p : out) {
                p[3] = 1;
            }
            return out;
        }
    }

    static SerServer server(HeldModel model, String settings) {
        ServeSettings s = ServeSettings.from(TestModel.config("ser.serve { port = 0, pool-size = 1, " + settings + " }"));
        ModelPool pool = new ModelPool(List.of(model), s.queueSize(), s.maxBatch(), List.of(), "held-model", "test");
        return new SerServer(s, pool, Map.of("id", "held-model"), TestModel.RATE).start();
    }

    static final byte[] CLIP = TestModel.wav(TestModel.tone(1, 0.5, 16000, 1), 16000);

    static CompletableFuture<Http.Reply> predictAsync(String url) {
        return CompletableFuture.supplyAsync(() -> Http.post(url + "/v1/predict", CLIP));
    }

    @Test
    void aFullQueueIs503WithRetryAfterAndTheAcceptedOnesFinish() throws Exception {
        HeldModel model = new HeldModel();
        SerServer server = server(model, "queue-size = 1, retry-after-s = 7");
        try {
            String url = server.url();
            CompletableFuture<Http.Reply> running = predictAsync(url);
            assertThat(model.entered.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Http.Reply> queued = predictAsync(url);
            while (server.pool().queued() < 1) {
                Thread.onSpinWait();
            }
            Http.Reply refused = Http.post(url + "/v1/predict", CLIP);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).contains("7");
            assertThat(refused.json().get("error").asText()).contains("busy");
            assertThat(Http.get(url + "/metrics").body()).contains("ser_queue_depth 1").contains("ser_model_pool_busy 1");
            model.release.countDown();
            assertThat(running.get(30, TimeUnit.SECONDS).json().get("emotion").asText()).isEqualTo("anger");
            assertThat(queued.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(Http.get(url + "/metrics").body()).contains("ser_http_requests_total{route=\"/v1/predict\",status=\"503\"} 1");
        } finally {
            model.release.countDown();
            server.stop();
        }
    }

    @Test
    void aRequestOverItsTimeoutIs503() throws Exception {
        HeldModel model = new HeldModel();
        SerServer server = server(model, "queue-size = 4, request-timeout-s = 0.3");
        try {
            Http.Reply r = Http.post(server.url() + "/v1/predict", CLIP);
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.json().get("error").asText()).contains("timed out");
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
        } finally {
            model.release.countDown();
            server.stop();
        }
    }

    @Test
    void gracefulShutdownFinishesInFlightRequestsAndRefusesNewOnes() throws Exception {
        HeldModel model = new HeldModel();
        SerServer server = server(model, "queue-size = 4, shutdown-timeout-s = 60");
        String url = server.url();
        CompletableFuture<Http.Reply> inFlight = predictAsync(url);
        assertThat(model.entered.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
        // draining: not ready, new work refused, while the accepted request is still held
        Http.Reply ready;
        do {
            ready = Http.get(url + "/readyz");
        } while (ready.status() == 200);
        assertThat(ready.status()).isEqualTo(503);
        assertThat(Http.post(url + "/v1/predict", CLIP).status()).isEqualTo(503);
        assertThat(stopping).isNotDone();
        model.release.countDown();
        Http.Reply done = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.json().get("emotion").asText()).isEqualTo("anger");
        stopping.get(30, TimeUnit.SECONDS);
        server.stop(); // a second stop (shutdown hook after try-with-resources) is a no-op
    }

    @Test
    void aTokenGuardsV1AndMetricsButNotHealth() throws Exception {
        HeldModel model = new HeldModel();
        model.release.countDown();
        SerServer server = server(model, "token = \"s3cret\"");
        try {
            String url = server.url();
            assertThat(Http.get(url + "/healthz").status()).isEqualTo(200);
            assertThat(Http.get(url + "/").status()).isEqualTo(200);
            Http.Reply none = Http.post(url + "/v1/predict", CLIP);
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(none.json().get("error").asText()).contains("token");
            assertThat(Http.get(url + "/v1/model", "Authorization", "Bearer wrong").status()).isEqualTo(401);
            assertThat(Http.get(url + "/metrics").status()).isEqualTo(401);
            assertThat(Http.get(url + "/v1/model", "Authorization", "Bearer s3cret").status()).isEqualTo(200);
            assertThat(Http.post(url + "/v1/predict", CLIP, "Authorization", "Bearer s3cret").status()).isEqualTo(200);
            try (WsClient ws = new WsClient(url)) {
                ws.text("{\"type\":\"start\",\"sample_rate\":16000,\"format\":\"pcm16\",\"token\":\"nope\"}");
                assertThat(ws.next().message().get("error").asText()).contains("token");
                assertThat(ws.next().closeCode()).isEqualTo(1008);
            }
            try (WsClient ws = new WsClient(url)) {
                ws.text("{\"type\":\"start\",\"sample_rate\":16000,\"format\":\"pcm16\",\"token\":\"s3cret\"}");
                assertThat(ws.next().message().get("type").asText()).isEqualTo("ready");
            }
        } finally {
            server.stop();
        }
    }
}
