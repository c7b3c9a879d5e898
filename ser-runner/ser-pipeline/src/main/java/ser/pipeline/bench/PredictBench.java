package ser.pipeline.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import ser.api.AudioClip;
import ser.api.Percentiles;
import ser.pipeline.extract.Extraction;
import ser.pipeline.predict.AudioFeaturizer;
import ser.pipeline.predict.Predictor;

/**
 * {@code ser bench predict}: latency of one prediction in a warm JVM, end to end and per stage:
 * decode (read, down-mix, resample), features (every extractor of the bundle; the functionals and
 * utterance-level values only for an utterance model), model (shape, standardize, forward pass).
 * The predictor, its extractors and its model are built once, as {@code ser predict} and a server
 * use them; {@code warmup} calls run before {@code calls} timed ones.
 */
public final class PredictBench {

    public static final List<String> STAGES = List.of("decode", "features", "model", "total");

    private PredictBench() {
    }

    /**
     * Milliseconds of one stage over the timed calls: wall clock, and the calling thread's CPU
     * time (p50), which other processes on a busy machine do not inflate; it misses work on other
     * threads, so compare it with ser.train.threads = 1, where the engines compute on the caller.
     */
    public record Stage(String name, double p50, double p95, double mean, double min, double cpuP50) {
    }

    /** @param audioSeconds duration of the clip; @param steps model steps it gives */
    public record Result(String file, double audioSeconds, int calls, List<Stage> stages) {

        public Stage total() {
            return stages.get(stages.size() - 1);
        }
    }

    public static Result run(Predictor predictor, AudioFeaturizer featurizer, String file, int warmup, int calls) {
        if (calls < 1 || warmup < 0) {
            throw new IllegalArgumentException("calls must be >= 1 and warm-up >= 0");
        }
        double[][] ms = new double[STAGES.size()][calls];
        double[][] cpu = new double[STAGES.size()][calls];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpuTime = threads.isCurrentThreadCpuTimeSupported();
        double audio = 0;
        for (int i = -warmup; i < calls; i++) {
            long c0 = cpuTime ? threads.getCurrentThreadCpuTime() : 0;
            long t0 = System.nanoTime();
            AudioClip clip = featurizer.decode(file);
            long c1 = cpuTime ? threads.getCurrentThreadCpuTime() : 0;
            long t1 = System.nanoTime();
            Extraction features = featurizer.features(clip, file);
            long c2 = cpuTime ? threads.getCurrentThreadCpuTime() : 0;
            long t2 = System.nanoTime();
            predictor.predict(features, file);
            long c3 = cpuTime ? threads.getCurrentThreadCpuTime() : 0;
            long t3 = System.nanoTime();
            if (i >= 0) {
                long[] wall = {t0, t1, t2, t3};
                long[] thread = {c0, c1, c2, c3};
                for (int s = 0; s < 3; s++) {
                    ms[s][i] = (wall[s + 1] - wall[s]) / 1e6;
                    cpu[s][i] = (thread[s + 1] - thread[s]) / 1e6;
                }
                ms[3][i] = (t3 - t0) / 1e6;
                cpu[3][i] = (c3 - c0) / 1e6;
            }
            audio = clip.durationSeconds();
        }
        List<Stage> stages = new ArrayList<>();
        for (int s = 0; s < STAGES.size(); s++) {
            double[] v = ms[s].clone();
            Arrays.sort(v);
            double[] c = cpu[s].clone();
            Arrays.sort(c);
            stages.add(new Stage(STAGES.get(s), Percentiles.of(v, v.length, 50), Percentiles.of(v, v.length, 95), Arrays.stream(v).average().orElse(0),
                    v[0], cpuTime ? Percentiles.of(c, c.length, 50) : Double.NaN));
        }
        return new Result(file, audio, calls, stages);
    }

    public static String table(Result r) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-9s %9s %9s %9s %9s %12s%n", "stage", "p50 ms", "p95 ms",
                "mean ms", "min ms", "CPU p50 ms"));
        for (Stage s : r.stages()) {
            b.append(String.format(Locale.ROOT, "%-9s %9.2f %9.2f %9.2f %9.2f %12.2f%n", s.name(), s.p50(), s.p95(), s.mean(),
                    s.min(), s.cpuP50()));
        }
        return b.toString();
    }

    /**
     * Writes {@code clip} as a 16-bit mono PCM WAV (the clip to time when the user names none).
     * The caller deletes it.
     */
    public static void writeWav(Path file, AudioClip clip) throws IOException {
        float[] x = clip.samples();
        ByteBuffer buf = ByteBuffer.allocate(44 + 2 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + 2 * x.length)
                .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(clip.sampleRate()).putInt(2 * clip.sampleRate()).putShort((short) 2)
                .putShort((short) 16).put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(2 * x.length);
        for (float v : x) {
            buf.putShort((short) Math.round(Math.max(-1f, Math.min(1f, v)) * 32767));
        }
        Files.write(file, buf.array());
    }
}
