package ser.pipeline.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import ser.api.ArchitectureSpec;
import ser.api.SequenceModel;
import ser.api.SequenceModelProvider;
import ser.api.TrainingBatch;
import ser.pipeline.train.TrainSettings;

/**
 * Milliseconds per training step at a fixed shape, independent of any data: the figure issue
 * targets are set in (the default architecture, 32 sequences x 300 steps x 60 features) beside
 * the configured architecture at the same shape. One untimed step first (allocations, kernel
 * choice), then {@code steps} timed ones on seeded random inputs; wall time and the process's
 * CPU time per step (CPU time is what a busy machine does not inflate; it counts every thread).
 */
public final class StepBench {

    public static final int BATCH = 32;
    public static final int STEPS = 300;
    public static final int FEATURES = 60;

    private StepBench() {
    }

    public record Row(String backend, String architecture, long parameters, double msPerStep, double cpuMsPerStep, String error) {
    }

    /** The default architecture: {@code ser.model.architecture} as the jars' reference.conf files declare it. */
    public static ArchitectureSpec defaultArchitecture() {
        Config reference = ConfigFactory.parseResources(StepBench.class.getClassLoader(), "reference.conf");
        return TrainSettings.architecture(reference);
    }

    /**
     * @param architectures label to architecture, measured in that order for every backend
     */
    public static List<Row> run(TrainSettings settings, Function<String, SequenceModelProvider> backends, Config config,
            List<String> names, java.util.Map<String, ArchitectureSpec> architectures, int steps) {
        List<Row> rows = new ArrayList<>();
        TrainingBatch batch = batch(settings.seed());
        for (String name : names) {
            SequenceModelProvider provider = backends.apply(name);
            for (var a : architectures.entrySet()) {
                var context = new ser.api.ModelContext(a.getValue(), FEATURES, settings.optimizer(), settings.seed(),
                        settings.threads(), TrainSettings.backendSettings(config, name));
                try (SequenceModel model = provider.create(context)) {
                    long parameters = model.parameters().values().stream().mapToLong(v -> v.length).sum();
                    model.trainStep(batch, settings.training().learningRate());
                    long cpu0 = processCpuNanos();
                    long t0 = System.nanoTime();
                    for (int s = 0; s < steps; s++) {
                        model.trainStep(batch, settings.training().learningRate());
                    }
                    double wall = (System.nanoTime() - t0) / 1e6 / steps;
                    double cpu = (processCpuNanos() - cpu0) / 1e6 / steps;
                    rows.add(new Row(name, a.getKey(), parameters, wall, cpu, null));
                } catch (RuntimeException e) {
                    rows.add(new Row(name, a.getKey(), 0, Double.NaN, Double.NaN, e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage())));
                }
            }
        }
        return rows;
    }

    /** 32 seeded random sequences of 300 steps x 60 features, 8 classes. */
    static TrainingBatch batch(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<float[][]> inputs = new ArrayList<>(BATCH);
        int[] labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            float[][] seq = new float[STEPS][FEATURES];
            for (float[] frame : seq) {
                for (int f = 0; f < FEATURES; f++) {
                    frame[f] = (float) random.nextGaussian();
                }
            }
            inputs.add(seq);
            labels[i] = i % 8;
        }
        return TrainingBatch.unweighted(inputs, labels);
    }

    public static String table(List<Row> rows, int steps) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "training step at %d x %d x %d (batch x steps x features), "
                + "%d timed steps after one untimed%n", BATCH, STEPS, FEATURES, steps));
        b.append(String.format(Locale.ROOT, "%-8s %-12s %10s %10s %12s%n", "backend", "architecture", "params", "ms/step",
                "CPU ms/step"));
        for (Row r : rows) {
            if (r.error() != null) {
                b.append(String.format(Locale.ROOT, "%-8s %-12s failed: %s%n", r.backend(), r.architecture(), r.error()));
            } else {
                b.append(String.format(Locale.ROOT, "%-8s %-12s %10d %10.1f %12.1f%n", r.backend(), r.architecture(), r.parameters(),
                        r.msPerStep(), r.cpuMsPerStep()));
            }
        }
        return b.toString();
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
