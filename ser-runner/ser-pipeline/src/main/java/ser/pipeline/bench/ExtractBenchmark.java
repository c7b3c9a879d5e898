package ser.pipeline.bench;

import ser.pipeline.extract.ExtractRun;
import ser.pipeline.extract.FeaturePipeline;
import ser.pipeline.util.Progress;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import ser.api.AudioClip;
import ser.pipeline.RunFailure;
import ser.pipeline.audio.AudioLoader;
import ser.pipeline.audio.Resampler;
import ser.pipeline.prepare.ManifestRow;
import ser.pipeline.plugins.PluginRegistry;

/**
 * {@code ser bench extract}: the real-time factor (processing seconds per audio second) of each
 * configured extractor and of the whole set, on one thread and on several, after a warm-up.
 */
public final class ExtractBenchmark {

    /** Name of the row that runs every configured extractor together. */
    public static final String ALL = "all";

    /** One measured pipeline. */
    public record Row(String name, double audioSeconds, double oneThreadSeconds, double oneThreadCpuSeconds,
            double multiSeconds, int threads) {

        public double oneThreadRtf() {
            return oneThreadSeconds / audioSeconds;
        }

        /** CPU seconds of the measuring thread per audio second: unaffected by other processes. */
        public double oneThreadCpuRtf() {
            return oneThreadCpuSeconds / audioSeconds;
        }

        public double multiRtf() {
            return multiSeconds / audioSeconds;
        }

        public double speedUp() {
            return oneThreadSeconds / multiSeconds;
        }
    }

    /** Resampling alone: CPU seconds of one thread per audio second, from {@code inRate} to the grid's rate. */
    public record ResampleRow(int inRate, int outRate, double audioSeconds, double cpuSeconds) {

        public double cpuRtf() {
            return cpuSeconds / audioSeconds;
        }
    }

    /**
     * {@code ser extract} on one worker thread over manifest rows: decoding, resampling, features and
     * writing the feature folder. CPU is the whole process's (JIT and GC included).
     */
    public record EndToEnd(int files, double audioSeconds, double wallSeconds, double cpuSeconds) {

        public double rtf() {
            return wallSeconds / audioSeconds;
        }

        public double cpuRtf() {
            return cpuSeconds / audioSeconds;
        }
    }

    /** Input rates always measured by {@link #resampling} (plus any others asked for). */
    public static final List<Integer> COMMON_RATES = List.of(8000, 22050, 24414, 44100, 48000, 96000);

    private ExtractBenchmark() {
    }

    /**
     * Converts {@code seconds} of the speech-like signal generated at each rate to {@code outRate},
     * after converting it once to warm up; reports the best of {@code repeats} runs.
     */
    public static List<ResampleRow> resampling(List<Integer> rates, int outRate, double seconds, long seed, int repeats,
            Consumer<String> log) {
        List<ResampleRow> rows = new ArrayList<>();
        for (int rate : rates) {
            if (rate == outRate) {
                continue;
            }
            List<AudioClip> clips = speechLike(seconds, rate, seed);
            double audio = clips.stream().mapToDouble(AudioClip::durationSeconds).sum();
            double best = Double.MAX_VALUE;
            for (int r = -1; r < repeats; r++) {
                long c0 = cpuNanos();
                for (AudioClip c : clips) {
                    Resampler.resample(c.samples(), rate, outRate);
                }
                if (r >= 0) {
                    best = Math.min(best, (cpuNanos() - c0) / 1e9);
                }
            }
            ResampleRow row = new ResampleRow(rate, outRate, audio, best);
            rows.add(row);
            log.accept(String.format(Locale.ROOT, "resample %d -> %d Hz: CPU RTF %.5f", rate, outRate, row.cpuRtf()));
        }
        return rows;
    }

    /** The resampling table. */
    public static String resamplingTable(List<ResampleRow> rows) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-22s %8s %9s %12s%n", "resampling (1 thread)", "audio s", "CPU RTF", "x real time"));
        for (ResampleRow r : rows) {
            b.append(String.format(Locale.ROOT, "%-22s %8.1f %9.5f %12.0f%n", r.inRate() + " -> " + r.outRate() + " Hz",
                    r.audioSeconds(), r.cpuRtf(), 1 / r.cpuRtf()));
        }
        return b.toString();
    }

    /**
     * Extracts {@code rows} into a fresh folder under {@code scratch} with one worker thread, after
     * a warm-up run over the first {@code warmupRows} of them into another; the scratch folders are
     * removed afterwards.
     */
    public static EndToEnd endToEnd(FeaturePipeline pipeline, AudioLoader loader, List<ManifestRow> rows,
            int warmupRows, java.nio.file.Path scratch) {
        ExtractRun run = new ExtractRun(pipeline, loader::load, 1);
        java.io.PrintWriter quiet = new java.io.PrintWriter(java.io.Writer.nullWriter());
        try {
            java.nio.file.Path warm = java.nio.file.Files.createTempDirectory(scratch, "ser-bench-warm");
            java.nio.file.Path measured = java.nio.file.Files.createTempDirectory(scratch, "ser-bench-e2e");
            try {
                List<ManifestRow> first = rows.subList(0, Math.min(warmupRows, rows.size()));
                run.run(first, warm.resolve("features"), new Progress("warm-up", "files", first.size(), quiet, false,
                        System::nanoTime));
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                ExtractRun.Summary summary = run.run(rows, measured.resolve("features"),
                        new Progress("bench", "files", rows.size(), quiet, false, System::nanoTime));
                double wall = (System.nanoTime() - t0) / 1e9;
                double cpu = (processCpuNanos() - cpu0) / 1e9;
                double audio = 0;
                for (ManifestRow r : rows) {
                    audio += r.durationSeconds();
                }
                return new EndToEnd(summary.done(), audio, wall, cpu);
            } finally {
                deleteTree(warm);
                deleteTree(measured);
            }
        } catch (java.io.IOException e) {
            throw new RunFailure("benchmark scratch folder under " + scratch + ": " + e.getMessage(), e);
        }
    }

    /** Removes a folder this benchmark created. */
    private static void deleteTree(java.nio.file.Path dir) throws java.io.IOException {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (var paths = java.nio.file.Files.walk(dir)) {
            for (java.nio.file.Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        }
    }

    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            long t = os.getProcessCpuTime();
            if (t >= 0) {
                return t;
            }
        }
        return System.nanoTime();
    }

    /**
     * A deterministic speech-like signal cut into clips of about 3 s: voiced stretches of
     * harmonics (1/k roll-off, three formant-like resonances) on a gliding, vibrato-modulated f0
     * of 90-260 Hz, syllable-rate amplitude modulation, unvoiced noise bursts, short pauses and a
     * little background noise.
     */
    public static List<AudioClip> speechLike(double seconds, int sampleRate, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<AudioClip> clips = new ArrayList<>();
        long total = Math.round(seconds * sampleRate);
        long made = 0;
        while (made < total) {
            int n = (int) Math.min(total - made, Math.round((2.5 + random.nextDouble()) * sampleRate));
            if (n < sampleRate / 2 && !clips.isEmpty()) {
                n = (int) (total - made); // a short tail is still a clip of its own
            }
            clips.add(new AudioClip(clip(n, sampleRate, random), sampleRate));
            made += n;
        }
        return clips;
    }

    private static float[] clip(int n, int sr, SplittableRandom random) {
        float[] x = new float[n];
        double base = 90 + 170 * random.nextDouble();
        double glide = (random.nextDouble() - 0.5) * 0.4;
        double vibratoRate = 4 + 3 * random.nextDouble();
        double syllableRate = 3 + 2.5 * random.nextDouble();
        double[] formants = {400 + 400 * random.nextDouble(), 1100 + 900 * random.nextDouble(),
            2300 + 700 * random.nextDouble()};
        double[] phase = new double[40];
        double[] gain = new double[phase.length];
        double noiseLevel = 0.005 + 0.01 * random.nextDouble();
        double dur = n / (double) sr;
        int segment = sr / 10; // voicing decided per 100 ms
        boolean voiced = true;
        boolean pause = false;
        double peak = 1e-9;
        for (int i = 0; i < n; i++) {
            if (i % segment == 0) {
                double r = random.nextDouble();
                voiced = r < 0.7;
                pause = r > 0.92;
            }
            double t = i / (double) sr;
            double f0 = base * (1 + glide * t / dur) * (1 + 0.03 * Math.sin(2 * Math.PI * vibratoRate * t));
            double env = Math.pow(Math.abs(Math.sin(Math.PI * syllableRate * t)), 0.6);
            double v = 0;
            if (!pause) {
                if (voiced) {
                    int harmonics = Math.min(phase.length, (int) (4000 / f0));
                    if (i % 64 == 0) { // the spectral envelope changes slowly: update it every 4 ms
                        for (int k = 1; k <= phase.length; k++) {
                            double g = 0;
                            for (double formant : formants) {
                                double d = (k * f0 - formant) / 250;
                                g += Math.exp(-0.5 * d * d);
                            }
                            gain[k - 1] = (0.3 + g) / k;
                        }
                    }
                    for (int k = 1; k <= harmonics; k++) {
                        phase[k - 1] += 2 * Math.PI * k * f0 / sr;
                        if (phase[k - 1] > 2 * Math.PI) {
                            phase[k - 1] -= 2 * Math.PI;
                        }
                        v += gain[k - 1] * Math.sin(phase[k - 1]);
                    }
                    v *= env;
                } else {
                    v = 0.3 * env * (random.nextDouble() * 2 - 1);
                }
            }
            v += noiseLevel * (random.nextDouble() * 2 - 1);
            x[i] = (float) v;
            peak = Math.max(peak, Math.abs(v));
        }
        float scale = (float) (0.8 / peak);
        for (int i = 0; i < n; i++) {
            x[i] *= scale;
        }
        return x;
    }

    /**
     * Measures every extractor of {@code ser.extract.extractors} alone, then all together.
     *
     * @param threads       threads of the multi-core measurement
     * @param warmupSeconds wall-clock seconds of extraction before each measurement
     * @param log           receives one line per finished measurement
     */
    public static List<Row> run(Config config, PluginRegistry plugins, List<AudioClip> clips, int threads,
            double warmupSeconds, Consumer<String> log) {
        List<String> names = config.getStringList("ser.extract.extractors");
        List<List<String>> sets = new ArrayList<>();
        for (String n : names) {
            sets.add(List.of(n));
        }
        sets.add(names);
        double audio = 0;
        for (AudioClip c : clips) {
            audio += c.durationSeconds();
        }
        List<Row> rows = new ArrayList<>();
        AtomicInteger number = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ser-bench-" + number.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            for (int s = 0; s < sets.size(); s++) {
                String name = s < names.size() ? names.get(s) : ALL;
                Config c = config.withValue("ser.extract.extractors", ConfigValueFactory.fromIterable(sets.get(s)));
                FeaturePipeline pipeline = FeaturePipeline.fromConfig(c, plugins);
                warmUp(pipeline, clips, warmupSeconds);
                long cpu0 = cpuNanos();
                long t0 = System.nanoTime();
                for (AudioClip clip : clips) {
                    pipeline.extract(clip);
                }
                double one = (System.nanoTime() - t0) / 1e9;
                double cpu = (cpuNanos() - cpu0) / 1e9;
                parallel(pool, threads, pipeline, clips, warmupSeconds / 2); // warms every worker's instances
                long t1 = System.nanoTime();
                parallel(pool, threads, pipeline, clips, -1);
                double multi = (System.nanoTime() - t1) / 1e9;
                Row row = new Row(name, audio, one, cpu, multi, threads);
                rows.add(row);
                log.accept(String.format(Locale.ROOT, "%s: RTF %.5f on 1 thread (CPU %.5f), %.5f on %d (speed-up %.2f)",
                        name, row.oneThreadRtf(), row.oneThreadCpuRtf(), row.multiRtf(), threads, row.speedUp()));
            }
        } finally {
            pool.shutdownNow();
        }
        return rows;
    }

    private static long cpuNanos() {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        return bean.isCurrentThreadCpuTimeSupported() ? bean.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private static void warmUp(FeaturePipeline pipeline, List<AudioClip> clips, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int i = 0;
        do {
            pipeline.extract(clips.get(i++ % clips.size()));
        } while (System.nanoTime() < end);
    }

    /** All clips once across the pool ({@code seconds < 0}), or for about {@code seconds} (warm-up). */
    private static void parallel(ExecutorService pool, int threads, FeaturePipeline pipeline, List<AudioClip> clips,
            double seconds) {
        AtomicInteger next = new AtomicInteger();
        long end = System.nanoTime() + (long) (Math.max(seconds, 0) * 1e9);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                if (seconds < 0) {
                    for (int i = next.getAndIncrement(); i < clips.size(); i = next.getAndIncrement()) {
                        pipeline.extract(clips.get(i));
                    }
                } else {
                    int i = next.getAndIncrement();
                    do {
                        pipeline.extract(clips.get(i % clips.size()));
                        i = next.getAndIncrement();
                    } while (System.nanoTime() < end);
                }
            }));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunFailure("interrupted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                throw new RunFailure("benchmark failed: " + FeaturePipeline.describe(cause), cause);
            }
        }
    }

    /** The result table. */
    public static String table(List<Row> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        int threads = rows.get(0).threads();
        StringBuilder b = new StringBuilder();
        String multi = threads + (threads == 1 ? " thread" : " threads");
        b.append(String.format(Locale.ROOT, "%-12s %8s %11s %9s %9s %12s %9s %9s%n", "extractor", "audio s", "1 thread s",
                "RTF", "CPU RTF", multi + " s", "RTF", "speed-up"));
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%-12s %8.1f %11.2f %9.5f %9.5f %12.2f %9.5f %8.2fx%n", r.name(),
                    r.audioSeconds(), r.oneThreadSeconds(), r.oneThreadRtf(), r.oneThreadCpuRtf(), r.multiSeconds(),
                    r.multiRtf(), r.speedUp()));
        }
        return b.toString();
    }
}
