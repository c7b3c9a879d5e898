package ser.djl;

import com.typesafe.config.ConfigFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

import ser.api.ArchitectureSpec;
import ser.api.ModelContext;
import ser.api.TrainingBatch;

/**
 * Speed of the DJL backend on random data: milliseconds per training step (forward, backward,
 * clipping, Adam; dropout on) and per single-utterance prediction. Not a test; see
 * BENCHMARKS.md for the command and measured numbers.
 */
public final class DjlBenchmark {

    /**
     * @param msPerTrainStep  mean over the timed training steps
     * @param msPerPrediction mean over the timed single-utterance predictions
     */
    public record BenchResult(int batchSize, int frames, int features, int threads, int trainSteps,
            double msPerTrainStep, double cpuMsPerTrainStep, int predictions, double msPerPrediction,
            double cpuMsPerPrediction) {

        @Override
        public String toString() {
            return String.format("djl: %.0f ms per training step (CPU %.0f ms; batch %d x %d frames x %d features, %d steps), "
                    + "%.1f ms per single-utterance prediction (CPU %.1f ms; %d), %d threads", msPerTrainStep,
                    cpuMsPerTrainStep, batchSize, frames, features, trainSteps, msPerPrediction, cpuMsPerPrediction,
                    predictions, threads);
        }
    }

    private DjlBenchmark() {
    }

    /** The default spec of the original model (see DESIGN.md). */
    public static ArchitectureSpec defaultSpec() {
        return new ArchitectureSpec(128, 3, true, true, List.of(2), List.of(0.0, 0.3, 0.3), 4, 64, 128,
                List.of(128, 64), 0.01, true, 0.3, 8);
    }

    /**
     * Times {@code steps} training steps after {@code warmup} untimed ones, then
     * {@code predictions} single-utterance predictions after one untimed. All sequences have
     * {@code frames} frames (the worst case: no padding).
     */
    public static BenchResult benchmark(ModelContext context, int batchSize, int frames, int warmup, int steps,
            int predictions) {
        Objects.requireNonNull(context, "context");
        int features = context.featureCount();
        SplittableRandom data = new SplittableRandom(context.seed() + 1);
        List<float[][]> batch = new ArrayList<>();
        int[] labels = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            batch.add(randomSequence(data, frames, features));
            labels[i] = data.nextInt(context.architecture().classes());
        }
        TrainingBatch trainingBatch = TrainingBatch.unweighted(batch, labels);
        double msPerStep;
        double cpuPerStep;
        double msPerPrediction;
        double cpuPerPrediction;
        try (DjlSequenceModel model = new DjlSequenceModel(context)) {
            int threads = context.threads();
            try (var ignored = new ThreadsFor(threads)) {
                for (int i = 0; i < warmup; i++) {
                    model.trainStep(trainingBatch, 1e-3);
                }
                long start = System.nanoTime();
                long cpu = processCpuNanos();
                for (int i = 0; i < steps; i++) {
                    model.trainStep(trainingBatch, 1e-3);
                }
                msPerStep = (System.nanoTime() - start) / 1e6 / Math.max(1, steps);
                cpuPerStep = (processCpuNanos() - cpu) / 1e6 / Math.max(1, steps);
            }
            List<float[][]> one = java.util.Collections.singletonList(batch.get(0));
            model.predict(one);
            long start = System.nanoTime();
            long cpu = processCpuNanos();
            for (int i = 0; i < predictions; i++) {
                model.predict(one);
            }
            msPerPrediction = (System.nanoTime() - start) / 1e6 / Math.max(1, predictions);
            cpuPerPrediction = (processCpuNanos() - cpu) / 1e6 / Math.max(1, predictions);
        }
        return new BenchResult(batchSize, frames, features, context.threads(), steps, msPerStep, cpuPerStep, predictions,
                msPerPrediction, cpuPerPrediction);
    }

    /** CPU time of the whole process (all libtorch threads), or -1 if the JVM does not tell. */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static float[][] randomSequence(SplittableRandom rng, int frames, int features) {
        float[][] seq = new float[frames][features];
        for (float[] frame : seq) {
            for (int f = 0; f < features; f++) {
                frame[f] = (float) rng.nextGaussian();
            }
        }
        return seq;
    }

    /** Sets libtorch intra-op threads for the timed training steps (fit does this itself). */
    private static final class ThreadsFor implements AutoCloseable {
        private final int previous = ai.djl.pytorch.jni.JniUtils.getNumThreads();

        ThreadsFor(int threads) {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        }

        @Override
        public void close() {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(previous);
        }
    }

    /**
     * {@code DjlBenchmark [batch] [frames] [features] [threads] [steps] [predictions]}, defaults
     * 32 300 60 2 10 20, default architecture.
     */
    public static void main(String[] args) {
        int batch = arg(args, 0, 32);
        int frames = arg(args, 1, 300);
        int features = arg(args, 2, 60);
        int threads = arg(args, 3, 2);
        int steps = arg(args, 4, 10);
        int predictions = arg(args, 5, 20);
        ModelContext context = new ModelContext(defaultSpec(), features, 42, threads, ConfigFactory.empty());
        System.out.println(benchmark(context, batch, frames, 2, steps, predictions));
    }

    private static int arg(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }
}
