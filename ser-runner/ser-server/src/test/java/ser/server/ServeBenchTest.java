package ser.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.pipeline.extract.Fixtures;
import ser.server.bench.ServeBench;

/** The load benchmark against a real server on loopback, with the tiny test model: small and bounded. */
class ServeBenchTest {

    @TempDir
    static Path dir;

    static SerServer server;

    @BeforeAll
    static void start() {
        Path model = TestModel.train(dir);
        server = SerServer.open(model, Fixtures.plugins(), TestModel.config(""), null,
                ServeSettings.from(TestModel.config("ser.serve { port = 0, pool-size = 2, queue-size = 16 }"))).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void everyLevelAnswersEveryRequestWithItsOwnClipsResult() throws Exception {
        List<byte[]> clips = List.of(ServeBench.wav(TestModel.tone(3, 1.5, TestModel.RATE, 7), TestModel.RATE),
                ServeBench.wav(TestModel.tone(5, 1.5, TestModel.RATE, 8), TestModel.RATE),
                ServeBench.wav(TestModel.tone(1, 1.2, TestModel.RATE, 9), TestModel.RATE));
        List<ServeBench.Level> levels = new ServeBench(server.url()).load(clips, new int[] {1, 3}, 9, 60, 4);
        assertThat(levels).extracting(ServeBench.Level::clients).containsExactly(1, 3);
        for (ServeBench.Level l : levels) {
            assertThat(l.requests()).isEqualTo(9);
            assertThat(l.failed()).isZero();
            assertThat(l.mismatched()).isZero();
            assertThat(l.p50Ms()).isPositive().isLessThanOrEqualTo(l.p95Ms());
            assertThat(l.p95Ms()).isLessThanOrEqualTo(l.p99Ms());
            assertThat(l.p99Ms()).isLessThanOrEqualTo(l.maxMs());
            assertThat(l.throughput()).isPositive();
            assertThat(l.meanBatch()).isBetween(1.0, (double) l.clients());
        }
        assertThat(ServeBench.table(levels)).contains("clients").contains("p50 ms");
    }

    @Test
    void anAnswerMatchesOnlyItsOwnClipsWithinFloatRounding() {
        ServeBench.Answer a = new ServeBench.Answer("anger", new double[] {0.1, 0.2, 0.05, 0.4, 0.05, 0.1, 0.05, 0.05});
        double[] rounded = a.probabilities().clone();
        rounded[3] += 2e-6;
        rounded[0] -= 2e-6;
        assertThat(a.matches(new ServeBench.Answer("anger", rounded))).isTrue();
        double[] other = a.probabilities().clone();
        other[3] -= 0.01;
        other[1] += 0.01;
        assertThat(a.matches(new ServeBench.Answer("anger", other))).isFalse();
        assertThat(a.matches(new ServeBench.Answer("happy", a.probabilities()))).isFalse();
    }

    @Test
    void aStreamGetsAPredictionPerHopWithItsLag() throws Exception {
        // 3 s at the default window 2 s / hop 0.5 s: windows end at 2.0, 2.5 and 3.0 s
        ServeBench.Stream s = new ServeBench(server.url()).stream(TestModel.tone(1, 3.0, TestModel.RATE, 9), TestModel.RATE, 0.25);
        assertThat(s.windows() + s.busy()).isEqualTo(3);
        assertThat(s.p50Ms()).isPositive().isLessThanOrEqualTo(s.maxMs());
    }
}
