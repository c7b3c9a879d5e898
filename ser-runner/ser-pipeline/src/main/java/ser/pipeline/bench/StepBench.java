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
import ser.api.FrameGrid;
import ser.pipeline.train.InputShape;
import ser.pipeline.train.TrainSettings;

/**
 * Milliseconds per training step at a fixed shape, independent of any data: the figure issue
 * targets are set in (the default architecture, 32 sequences x 300 grid frames x 60 features)
 * beside the configured architecture. 300 frames are 3 s of audio on the default grid; what the
 * model sees of them depends on the input rate ({@code ser.train.frame-step-s}, frames averaged
 * per step, see {@link InputShape}), so the default architecture is timed both raw (one step per
 * frame) and at the default input rate, and the configured one at the configured rate. One
 * untimed step first (allocations, kernel choice), then {@code steps} timed ones on seeded random
 * inputs; wall time and the process's CPU time per step (CPU time is what a busy machine does not
 * inflate; it counts every thread).
 */
public final class StepBench {

    public static final int BATCH = 32;
    /** Grid frames per sequence: 3 s on the default 10 ms grid. */
    public static final int STEPS = 300;
    public static final int FEATURES = 60;

    private StepBench() {
    }

    /**
     * One timed shape.
     *
     * @param architecture label of the architecture ("default", "configured")
     * @param input        what the steps are, e.g. "raw 10 ms frames" or "default rate, 40 ms steps"
     * @param steps        model steps per sequence (300 grid frames after pooling and the cap)
     */
    public record Case(String architecture, ArchitectureSpec spec, String input, int steps) {
    }

    public record Row(String backend, String architecture, String input, int steps, long parameters, double msPerStep,
            double cpuMsPerStep, String error) {
    }

    /** The jars' reference.conf files merged: the defaults, without application.conf or options. */
    static Config reference() {
        return ConfigFactory.parseResources(StepBench.class.getClassLoader(), "reference.conf").resolve();
    }

    /** The default architecture: {@code ser.model.architecture} as the jars' reference.conf files declare it. */
    public static ArchitectureSpec defaultArchitecture() {
        return TrainSettings.architecture(reference());
    }

    /**
     * The three shapes of the table: the default architecture on raw frames and at the default
     * input rate (both on the default grid), the configured architecture at the configured rate
     * on the configured grid.
     */
    public static List<Case> cases(Config config) {
        Config reference = reference();
        ArchitectureSpec defaults = TrainSettings.architecture(reference);
        FrameGrid defaultGrid = ser.pipeline.extract.ExtractSettings.grid(reference);
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("default", defaults, String.format(Locale.ROOT, "raw: one step per %s frame",
                ms(defaultGrid.hopLength() / (double) defaultGrid.sampleRate())), STEPS));
        InputShape defaultInput = TrainSettings.from(reference).input();
        cases.add(new Case("default", defaults, "default rate: " + rate(defaultInput, defaultGrid), steps(defaultInput,
                defaultGrid)));
        InputShape configured = TrainSettings.from(config).input();
        FrameGrid grid = ser.pipeline.extract.ExtractSettings.grid(config);
        cases.add(new Case("configured", TrainSettings.architecture(config), "configured rate: " + rate(configured, grid),
                steps(configured, grid)));
        return cases;
    }

    /** Model steps that {@link #STEPS} grid frames become under {@code input}. */
    static int steps(InputShape input, FrameGrid grid) {
        if (input.mode() == InputShape.Mode.UTTERANCE) {
            return 1;
        }
        int pooled = (STEPS + input.poolFrames(grid) - 1) / input.poolFrames(grid);
        int max = input.maxSteps(grid);
        return max > 0 ? Math.min(pooled, max) : pooled;
    }

    private static String rate(InputShape input, FrameGrid grid) {
        if (input.mode() == InputShape.Mode.UTTERANCE) {
            return "utterance vector, one step";
        }
        int k = input.poolFrames(grid);
        return k == 1 ? "one step per " + ms(input.stepSeconds(grid)) + " frame"
                : String.format(Locale.ROOT, "%s steps, %d frames averaged", ms(input.stepSeconds(grid)), k);
    }

    private static String ms(double seconds) {
        return String.format(Locale.ROOT, "%.0f ms", seconds * 1000);
    }

    /**
     * @param cases measured in that order for every backend
     */
    public static List<Row> run(TrainSettings settings, Function<String, SequenceModelProvider> backends, Config config,
            List<String> names, List<Case> cases, int steps) {
        List<Row> rows = new ArrayList<>();
        java.util.Map<Integer, TrainingBatch> batches = new java.util.HashMap<>();
        for (String name : names) {
            SequenceModelProvider provider = backends.apply(name);
            for (Case a : cases) {
                TrainingBatch batch = batches.computeIfAbsent(a.steps(), n -> batch(settings.seed(), n));
                var context = new ser.api.ModelContext(a.spec(), FEATURES, settings.optimizer(), settings.seed(),
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
                    rows.add(new Row(name, a.architecture(), a.input(), a.steps(), parameters, wall, cpu, null));
                } catch (RuntimeException e) {
                    rows.add(new Row(name, a.architecture(), a.input(), a.steps(), 0, Double.NaN, Double.NaN,
                            e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage())));
                }
            }
        }
        return rows;
    }

    /** 32 seeded random sequences of {@code steps} steps x 60 features, 8 classes. */
    static TrainingBatch batch(long seed, int steps) {
        SplittableRandom random = new SplittableRandom(seed);
        List<float[][]> inputs = new ArrayList<>(BATCH);
        int[] labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            float[][] seq = new float[steps][FEATURES];
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
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "training step at %d x %d x %d (batch x grid frames x "
                + "features; the frames pooled to the model's steps at the input rate), %d timed steps after one untimed%n", BATCH,
                STEPS, FEATURES, steps));
        int inputWidth = Math.max(5, rows.stream().mapToInt(r -> r.input().length()).max().orElse(5));
        String head = "%-8s %-12s %-" + inputWidth + "s %6s";
        b.append(String.format(Locale.ROOT, head + " %10s %10s %12s%n", "backend", "architecture", "input", "steps", "params",
                "ms/step", "CPU ms/step"));
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, head, r.backend(), r.architecture(), r.input(), r.steps()));
            if (r.error() != null) {
                b.append(String.format(Locale.ROOT, " failed: %s%n", r.error()));
            } else {
                b.append(String.format(Locale.ROOT, " %10d %10.1f %12.1f%n", r.parameters(), r.msPerStep(), r.cpuMsPerStep()));
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
