package ser.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import ser.pipeline.extract.ExtractSettings;
import ser.pipeline.extract.FeaturePipeline;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.plugins.PluginRegistry;
import ser.pipeline.predict.BundleScorer;
import ser.pipeline.predict.ClipScorer;
import ser.pipeline.train.TrainSettings;

/**
 * A fixed set of model instances ({@link ClipScorer}s; a model is not thread-safe), one worker
 * thread per instance, and a bounded queue in front of them. A job that finds the queue full is
 * refused at once ({@link Saturated}: the server's 503), one that waits and runs longer than its
 * timeout is given up ({@link TimedOut}; a job not yet started is then dropped, one already
 * running finishes and its result is discarded).
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

    private final List<ClipScorer> scorers;
    private final BlockingQueue<ClipScorer> idle;
    private final ThreadPoolExecutor workers;
    private final List<AutoCloseable> owned;
    private final String modelId;

    /**
     * @param scorers one per worker thread
     * @param owned   closed with the pool (the bundles behind the scorers)
     */
    public ModelPool(List<ClipScorer> scorers, int queueSize, List<? extends AutoCloseable> owned, String modelId) {
        if (scorers.isEmpty()) {
            throw new IllegalArgumentException("a pool needs at least one model");
        }
        this.scorers = List.copyOf(scorers);
        this.idle = new LinkedBlockingQueue<>(this.scorers);
        this.owned = List.copyOf(owned);
        this.modelId = modelId;
        AtomicInteger n = new AtomicInteger();
        BlockingQueue<Runnable> queue = queueSize == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queueSize);
        this.workers = new ThreadPoolExecutor(scorers.size(), scorers.size(), 0, TimeUnit.SECONDS, queue, r -> {
            Thread t = new Thread(r, "ser-model-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        workers.prestartAllCoreThreads();
    }

    /**
     * {@code size} instances of the bundle in {@code dir}, each loaded from disk with
     * {@code threads} compute threads, sharing one feature pipeline.
     */
    public static ModelPool open(Path dir, PluginRegistry plugins, Config config, String backend, int size, int threads,
            int queueSize) {
        List<ModelBundle> bundles = new ArrayList<>();
        Config models = config.withValue(TrainSettings.TRAIN + ".threads", ConfigValueFactory.fromAnyRef(threads));
        try {
            for (int i = 0; i < size; i++) {
                bundles.add(ModelBundle.open(dir, plugins, models, backend));
            }
            FeaturePipeline pipeline = BundleScorer.pipelineFor(bundles.get(0), plugins, ExtractSettings.minDuration(config));
            List<ClipScorer> scorers = new ArrayList<>();
            for (ModelBundle b : bundles) {
                scorers.add(new BundleScorer(b, pipeline));
            }
            return new ModelPool(scorers, queueSize, bundles, ModelCard.modelId(bundles.get(0).info()));
        } catch (RuntimeException e) {
            bundles.forEach(ModelBundle::close);
            throw e;
        }
    }

    /** Runs {@code job} with a model of its own; see the class comment for the failures. */
    public <T> T call(Function<ClipScorer, T> job, double timeoutSeconds) {
        Future<T> future;
        try {
            future = workers.submit(() -> {
                ClipScorer scorer = idle.take();
                try {
                    return job.apply(scorer);
                } finally {
                    idle.add(scorer);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new Saturated();
        }
        try {
            return future.get((long) (timeoutSeconds * 1e9), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new TimedOut(timeoutSeconds);
        } catch (InterruptedException e) {
            future.cancel(false);
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

    public String modelId() {
        return modelId;
    }

    public int size() {
        return scorers.size();
    }

    /** Jobs waiting for a model. */
    public int queued() {
        return workers.getQueue().size();
    }

    /** Models computing now. */
    public int busy() {
        return scorers.size() - idle.size();
    }

    /** Lets queued and running jobs finish (up to {@code seconds}), then closes the models. */
    public void close(double seconds) {
        workers.shutdown();
        try {
            if (!workers.awaitTermination((long) (seconds * 1000), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
                workers.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
