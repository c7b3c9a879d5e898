package ser.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import ser.pipeline.extract.ExtractSettings;
import ser.pipeline.extract.FeaturePipeline;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.plugins.PluginRegistry;
import ser.pipeline.predict.BatchScorer;
import ser.pipeline.predict.BundleScorer;
import ser.pipeline.train.TrainSettings;

/**
 * A fixed set of model instances ({@link BatchScorer}s; a model is not thread-safe), one worker
 * thread per instance, and a bounded queue in front of them. A job that finds the queue full is
 * refused at once ({@link Saturated}: the server's 503), one that waits and runs longer than its
 * timeout is given up ({@link TimedOut}; a job not yet started is then dropped, one already
 * running finishes and its result is discarded).
 *
 * <p>Micro-batching: a worker takes the job at the head of the queue and, with it, up to
 * {@code maxBatch - 1} more that are already waiting. It computes each job's model inputs
 * (features) one after another, taking in jobs that arrive meanwhile (up to {@code maxBatch}; it
 * never waits for one), then predicts all of them in one model call, and answers each job with
 * its own rows. When a backend predicts, a call costs about the same for one sequence as for
 * eight (6.1 ms against 10.3 ms for the demo model on DJL), so under load the model's share per
 * request falls several times; with one client nothing waits and nothing changes. Under java
 * inference a call costs per sequence, and the server's default is one job per call
 * ({@link ServeSettings#maxBatch()}). A job whose features fail fails alone; the others of its
 * batch go on.
 */
public final class ModelPool implements AutoCloseable {

    /** The queue is full. */
    public static final class Saturated extends RuntimeException {
        Saturated() {
            super("all models busy and the queue full", null, false, false);
        }
    }

    /** The job did not finish in time. */
    public static final class TimedOut extends RuntimeException {
        TimedOut(double seconds) {
            super("not done within " + seconds + " s", null, false, false);
        }
    }

    /**
     * What one job gives the model: its inputs ({@link BatchScorer#input}), and how its answer is
     * made from their probabilities (one row per input, in order).
     */
    public record Work<T>(List<float[][]> inputs, Function<float[][], T> answer) {
        public Work {
            inputs = List.copyOf(inputs);
        }

        /** One input, answered from its probabilities. */
        public static <T> Work<T> of(float[][] input, Function<float[], T> answer) {
            return new Work<>(List.<float[][]>of(input), p -> answer.apply(p[0]));
        }
    }

    /** A queued job: how to make its work, and its result. */
    private record Job<T>(Function<BatchScorer, Work<T>> prepare, CompletableFuture<T> result) {
    }

    private static final long IDLE_POLL_MS = 100;

    private final List<BatchScorer> scorers;
    private final BlockingQueue<Job<?>> queue;
    private final int maxBatch;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicLong modelCalls = new AtomicLong();
    private final AtomicLong batchedJobs = new AtomicLong();
    private final List<AutoCloseable> owned;
    private final String modelId;
    private final String inference;
    private volatile boolean closing;

    /**
     * @param scorers  one per worker thread
     * @param maxBatch jobs one model call may serve, at least 1
     * @param owned    closed with the pool (the bundles behind the scorers)
     * @param inference what computes the model calls ({@code java} or a backend's name), for reports
     */
    public ModelPool(List<? extends BatchScorer> scorers, int queueSize, int maxBatch, List<? extends AutoCloseable> owned,
            String modelId, String inference) {
        if (scorers.isEmpty()) {
            throw new IllegalArgumentException("a pool needs at least one model");
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("max batch must be at least 1, got " + maxBatch);
        }
        this.scorers = List.copyOf(scorers);
        // Size 0: a job is accepted only when a worker is waiting for one.
        this.queue = queueSize == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queueSize);
        this.maxBatch = maxBatch;
        this.owned = List.copyOf(owned);
        this.modelId = modelId;
        this.inference = inference;
        for (int i = 0; i < this.scorers.size(); i++) {
            BatchScorer scorer = this.scorers.get(i);
            Thread t = new Thread(() -> work(scorer), "ser-model-" + (i + 1));
            t.setDaemon(true);
            workers.add(t);
        }
        workers.forEach(Thread::start);
    }

    /**
     * {@code size} instances of the bundle in {@code dir}, each loaded from disk with
     * {@code threads} compute threads, sharing one feature pipeline.
     */
    public static ModelPool open(Path dir, PluginRegistry plugins, Config config, String backend, int size, int threads,
            int queueSize, int maxBatch) {
        List<ModelBundle> bundles = new ArrayList<>();
        Config models = config.withValue(TrainSettings.TRAIN + ".threads", ConfigValueFactory.fromAnyRef(threads));
        try {
            for (int i = 0; i < size; i++) {
                bundles.add(ModelBundle.open(dir, plugins, models, backend));
            }
            FeaturePipeline pipeline = BundleScorer.pipelineFor(bundles.get(0), plugins, ExtractSettings.minDuration(config));
            List<BatchScorer> scorers = new ArrayList<>();
            for (ModelBundle b : bundles) {
                scorers.add(new BundleScorer(b, pipeline));
            }
            return new ModelPool(scorers, queueSize, maxBatch, bundles, ModelCard.modelId(bundles.get(0).info()),
                    bundles.get(0).inference());
        } catch (RuntimeException e) {
            bundles.forEach(ModelBundle::close);
            throw e;
        }
    }

    /**
     * Runs {@code prepare} on a worker with a model of its own, then the model on its inputs (with
     * those of other waiting jobs); see the class comment for the failures.
     */
    public <T> T call(Function<BatchScorer, Work<T>> prepare, double timeoutSeconds) {
        Job<T> job = new Job<>(prepare, new CompletableFuture<>());
        if (closing || !queue.offer(job)) {
            throw new Saturated();
        }
        try {
            return job.result().get((long) (timeoutSeconds * 1e9), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | CancellationException e) {
            job.result().cancel(false);
            throw new TimedOut(timeoutSeconds);
        } catch (InterruptedException e) {
            job.result().cancel(false);
            Thread.currentThread().interrupt();
            throw new TimedOut(timeoutSeconds);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void work(BatchScorer scorer) {
        List<Job<?>> batch = new ArrayList<>(maxBatch);
        while (true) {
            Job<?> first;
            try {
                first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                if (closing) {
                    return;
                }
                continue;
            }
            batch.clear();
            batch.add(first);
            queue.drainTo(batch, maxBatch - 1);
            busy.incrementAndGet();
            try {
                run(scorer, batch);
            } finally {
                busy.decrementAndGet();
            }
        }
    }

    /** Each job's inputs, one model call for all of them, each job's answer from its own rows. */
    private void run(BatchScorer scorer, List<Job<?>> batch) {
        List<Prepared<?>> ready = new ArrayList<>(batch.size());
        List<float[][]> inputs = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Job<?> job = batch.get(i);
            if (!job.result().isDone()) { // else given up (timed out) while it waited
                try {
                    Prepared<?> p = Prepared.of(job, scorer);
                    ready.add(p);
                    inputs.addAll(p.work().inputs());
                } catch (RuntimeException | Error e) {
                    job.result().completeExceptionally(e);
                }
            }
            if (i == batch.size() - 1 && batch.size() < maxBatch) {
                // Jobs that arrived while these features were computed join the same model call.
                queue.drainTo(batch, maxBatch - batch.size());
            }
        }
        float[][] probabilities;
        if (!inputs.isEmpty()) {
            modelCalls.incrementAndGet();
            batchedJobs.addAndGet(ready.size());
        }
        try {
            probabilities = inputs.isEmpty() ? new float[0][] : scorer.probabilities(inputs);
        } catch (RuntimeException | Error e) {
            ready.forEach(p -> p.job().result().completeExceptionally(e));
            return;
        }
        int at = 0;
        for (Prepared<?> p : ready) {
            int n = p.work().inputs().size();
            p.answer(Arrays.copyOfRange(probabilities, at, at + n));
            at += n;
        }
    }

    /** A job with its work made. */
    private record Prepared<T>(Job<T> job, Work<T> work) {
        static <T> Prepared<T> of(Job<T> job, BatchScorer scorer) {
            return new Prepared<>(job, job.prepare().apply(scorer));
        }

        void answer(float[][] probabilities) {
            try {
                job.result().complete(work.answer().apply(probabilities));
            } catch (RuntimeException | Error e) {
                job.result().completeExceptionally(e);
            }
        }
    }

    public String modelId() {
        return modelId;
    }

    /** What computes the model calls: {@code java} or a backend's name. */
    public String inference() {
        return inference;
    }

    public int size() {
        return scorers.size();
    }

    /** Jobs waiting for a model. */
    public int queued() {
        return queue.size();
    }

    /** Model calls so far: one per batch of jobs. */
    public long modelCalls() {
        return modelCalls.get();
    }

    /** Jobs in the batches of those model calls. */
    public long batchedJobs() {
        return batchedJobs.get();
    }

    /** Models computing now. */
    public int busy() {
        return busy.get();
    }

    /** Lets queued and running jobs finish (up to {@code seconds}), then closes the models. */
    public void close(double seconds) {
        closing = true;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        try {
            for (Thread t : workers) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(t, left);
                }
            }
            for (Thread t : workers) {
                t.interrupt();
            }
            for (Thread t : workers) {
                t.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Job<?>> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(j -> j.result().cancel(false));
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                // closing the others matters more than reporting one failed close at shutdown
            }
        }
    }

    @Override
    public void close() {
        close(30);
    }
}
