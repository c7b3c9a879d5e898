package ser.dl4j;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import ser.api.ArchitectureSpec;
import ser.api.ModelContext;

/**
 * Times training steps (forward, backward, clipping, Adam on one batch of random full-length
 * sequences, dropout and noise on) and single-utterance predictions, for the runner and for
 * {@code BENCHMARKS.md}. Not a test: it takes seconds to minutes.
 */
public final class Dl4jBenchmark {

    /** Timings in milliseconds (medians over the timed repetitions). */
    public record Result(int batch, int frames, int features, int threads, double trainStepMs, double trainStepMinMs,
                         double trainStepCpuMs, double predictMs, double predictMinMs, int trainSteps, int predictions) {

        @Override
        public String toString() {
            return String.format("dl4j batch %d x T %d x F %d, %d threads: train step %.1f ms (median of %d, min %.1f, "
                            + "process CPU %.1f ms/step), single prediction %.2f ms (median of %d, min %.2f)",
                    batch, frames, features, threads, trainStepMs, trainSteps, trainStepMinMs, trainStepCpuMs,
                    predictMs, predictions, predictMinMs);
        }
    }

    /** CPU time of the whole process (all threads, native ones included), or -1. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private Dl4jBenchmark() {
    }

    /**
     * @param warmup      untimed training steps and predictions first
     * @param trainSteps  timed training steps
     * @param predictions timed single-utterance predictions (T frames each)
     * @param settings    the {@code ser.backends.dl4j} block, or null for the defaults
     */
    public static Result run(ArchitectureSpec spec, int batch, int frames, int features, int threads,
                             int warmup, int trainSteps, int predictions, Config settings) {
        ModelContext context = new ModelContext(spec, features, 42, threads, settings == null ? ConfigFactory.empty() : settings);
        try (Dl4jSequenceModel model = new Dl4jSequenceModel(context)) {
            SplittableRandom rnd = new SplittableRandom(7);
            List<float[][]> inputs = new ArrayList<>();
            int[] labels = new int[batch];
            for (int b = 0; b < batch; b++) {
                float[][] seq = new float[frames][features];
                for (float[] frame : seq) {
                    for (int f = 0; f < features; f++) {
                        frame[f] = (float) (rnd.nextDouble() * 2 - 1);
                    }
                }
                inputs.add(seq);
                labels[b] = b % spec.classes();
            }
            int[] all = new int[batch];
            for (int b = 0; b < batch; b++) {
                all[b] = b;
            }
            Network net = model.network();
            Adam adam = new Adam(net.store(), ser.api.OptimizerSpec.DEFAULT);
            Random rng = Nd4j.getRandomFactory().getNewRandomInstance(1);
            Network.Mode mode = new Network.Mode(true, rng, 0.1);
            double[] stepMs = new double[trainSteps];
            long cpuStart = 0;
            for (int i = -warmup; i < trainSteps; i++) {
                if (i == 0) {
                    cpuStart = processCpuNanos();
                }
                long start = System.nanoTime();
                try (MemoryWorkspace ws = Workspaces.open("ser-dl4j-benchmark")) {
                    Batch b = Batch.of(inputs, all, labels, features, net.dtype());
                    INDArray probs = net.forward(b.x(), b.seq(), mode);
                    net.loss(probs, b.labels());
                    net.backward(b.labels());
                    adam.update(net.store().params(), net.store().grads(), 1e-3);
                }
                if (i >= 0) {
                    stepMs[i] = (System.nanoTime() - start) / 1e6;
                }
            }
            double cpuMs = (processCpuNanos() - cpuStart) / 1e6 / Math.max(1, trainSteps);
            double[] predictMs = new double[predictions];
            List<float[][]> one = new ArrayList<>();
            one.add(inputs.get(0));
            for (int i = -warmup; i < predictions; i++) {
                long start = System.nanoTime();
                model.predict(one);
                if (i >= 0) {
                    predictMs[i] = (System.nanoTime() - start) / 1e6;
                }
            }
            Workspaces.destroy("ser-dl4j-benchmark");
            return new Result(batch, frames, features, threads, median(stepMs), min(stepMs), cpuMs, median(predictMs), min(predictMs),
                    trainSteps, predictions);
        }
    }

    private static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }
}
