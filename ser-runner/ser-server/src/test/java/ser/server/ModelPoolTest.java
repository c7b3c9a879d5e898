package ser.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import ser.api.AudioClip;
import ser.pipeline.BadInputException;
import ser.pipeline.predict.BatchScorer;

/**
 * Micro-batching in {@link ModelPool}: which jobs share a model call, and that each gets its own
 * rows. One worker; the first job holds it in its features until the test has queued the others
 * (no sleeps), so they all arrive while a batch is being prepared.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class ModelPoolTest {

    /** Input = the clip's first sample; a job's probabilities = its input in column 0. Records each call's size. */
    static final class EchoModel implements BatchScorer {
        final List<Integer> calls = new CopyOnWriteArrayList<>();

        @Override
        public float[][] input(AudioClip clip, String where) {
            return new float[][] {{clip.samples()[0]}};
        }

        @Override
        public float[][] probabilities(List<float[][]> inputs) {
            calls.add(inputs.size());
            float[][] out = new float[inputs.size()][8];
            for (int i = 0; i < out.length; i++) {
                out[i][0] = inputs.get(i)[0][0];
            }
            return out;
        }
    }

    static AudioClip clip(float id) {
        return new AudioClip(new float[] {id, 0f}, 16000);
    }

    /** One job per id, each answered with column 0 of its own row. */
    static CompletableFuture<Float> single(ModelPool pool, float id) {
        return CompletableFuture.supplyAsync(() -> pool.call(s -> ModelPool.Work.of(s.input(clip(id), "x"), p -> p[0]), 30));
    }

    /** Holds the worker in the first job's features until {@code go} opens, then waits for {@code queued} jobs. */
    static CompletableFuture<Float> hold(ModelPool pool, CountDownLatch go) {
        CountDownLatch entered = new CountDownLatch(1);
        CompletableFuture<Float> first = CompletableFuture.supplyAsync(() -> pool.call(s -> {
            entered.countDown();
            try {
                go.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ModelPool.Work.of(s.input(clip(-1), "x"), p -> p[0]);
        }, 30));
        try {
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return first;
    }

    static void awaitQueued(ModelPool pool, int n) {
        while (pool.queued() < n) {
            Thread.onSpinWait();
        }
    }

    /**
     * Holds the worker with a first job, queues one job per id behind it, lets it go and checks
     * that each job got its own row; returns the sizes of the model calls.
     */
    static List<Integer> heldThenQueued(int maxBatch, int jobs) throws Exception {
        EchoModel model = new EchoModel();
        try (ModelPool pool = new ModelPool(List.of(model), 16, maxBatch, List.of(), "echo", "test")) {
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Float> first = hold(pool, go);
            List<CompletableFuture<Float>> rest = new ArrayList<>();
            for (int i = 1; i <= jobs; i++) {
                rest.add(single(pool, i));
                awaitQueued(pool, i);
            }
            go.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(-1f);
            for (int i = 1; i <= jobs; i++) {
                assertThat(rest.get(i - 1).get(30, TimeUnit.SECONDS)).isEqualTo((float) i);
            }
            // a job alone is not held back waiting for company
            assertThat(single(pool, 99).get(30, TimeUnit.SECONDS)).isEqualTo(99f);
            return List.copyOf(model.calls);
        }
    }

    @Test
    void waitingJobsShareOneModelCallAndEachGetsItsOwnRow() throws Exception {
        // the five arrived while the first one's features were computed: one call for all six
        assertThat(heldThenQueued(8, 5)).containsExactly(6, 1);
    }

    @Test
    void maxBatchBoundsTheJobsPerCall() throws Exception {
        assertThat(heldThenQueued(2, 5)).containsExactly(2, 2, 2, 1);
    }

    @Test
    void aJobWithManyInputsGetsItsRowsInOrderBesideSingleOnes() throws Exception {
        EchoModel model = new EchoModel();
        try (ModelPool pool = new ModelPool(List.of(model), 16, 8, List.of(), "echo", "test")) {
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Float> first = hold(pool, go);
            CompletableFuture<Float> before = single(pool, 7);
            awaitQueued(pool, 1);
            CompletableFuture<float[]> segments = CompletableFuture.supplyAsync(() -> pool.call(s -> {
                List<float[][]> inputs = new ArrayList<>();
                for (int i = 10; i < 13; i++) {
                    inputs.add(s.input(clip(i), "x"));
                }
                return new ModelPool.Work<>(inputs, p -> new float[] {p.length, p[0][0], p[1][0], p[2][0]});
            }, 30));
            awaitQueued(pool, 2);
            CompletableFuture<Float> after = single(pool, 8);
            awaitQueued(pool, 3);
            go.countDown();
            first.get(30, TimeUnit.SECONDS);
            assertThat(before.get(30, TimeUnit.SECONDS)).isEqualTo(7f);
            assertThat(segments.get(30, TimeUnit.SECONDS)).containsExactly(3f, 10f, 11f, 12f);
            assertThat(after.get(30, TimeUnit.SECONDS)).isEqualTo(8f);
            assertThat(model.calls).containsExactly(6);
        }
    }

    @Test
    void aJobWhoseFeaturesFailFailsAloneAndTheRestOfItsBatchIsAnswered() throws Exception {
        EchoModel model = new EchoModel();
        try (ModelPool pool = new ModelPool(List.of(model), 16, 8, List.of(), "echo", "test")) {
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Float> first = hold(pool, go);
            CompletableFuture<Float> ok1 = single(pool, 1);
            awaitQueued(pool, 1);
            CompletableFuture<Float> bad = CompletableFuture.supplyAsync(() -> pool.call(s -> {
                throw new BadInputException("request body", "not audio");
            }, 30));
            awaitQueued(pool, 2);
            CompletableFuture<Float> ok2 = single(pool, 2);
            awaitQueued(pool, 3);
            go.countDown();
            first.get(30, TimeUnit.SECONDS);
            assertThat(ok1.get(30, TimeUnit.SECONDS)).isEqualTo(1f);
            assertThat(ok2.get(30, TimeUnit.SECONDS)).isEqualTo(2f);
            assertThatThrownBy(() -> bad.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(BadInputException.class)
                    .hasMessageContaining("not audio");
            assertThat(model.calls).containsExactly(3);
        }
    }

    @Test
    void aJobGivenUpWhileQueuedIsNeverComputed() throws Exception {
        EchoModel model = new EchoModel();
        try (ModelPool pool = new ModelPool(List.of(model), 16, 8, List.of(), "echo", "test")) {
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Float> first = hold(pool, go);
            AtomicBoolean computed = new AtomicBoolean();
            assertThatThrownBy(() -> pool.call(s -> {
                computed.set(true);
                return ModelPool.Work.of(s.input(clip(3), "x"), p -> p[0]);
            }, 0.05)).isInstanceOf(ModelPool.TimedOut.class);
            CompletableFuture<Float> later = single(pool, 4);
            awaitQueued(pool, 2);
            go.countDown();
            first.get(30, TimeUnit.SECONDS);
            assertThat(later.get(30, TimeUnit.SECONDS)).isEqualTo(4f);
            assertThat(computed).isFalse();
            assertThat(model.calls).containsExactly(2);
        }
    }
}
