package ser.extractors.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import ser.api.AudioClip;
import ser.api.ExtractorContext;
import ser.api.FeatureExtractor;
import ser.api.FeatureExtractorProvider;
import ser.api.FrameGrid;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;

/**
 * Single-thread real-time factor of each default extractor on ~200 s of synthetic speech-like
 * audio at 16 kHz, default grid (512 / 160, centred), as 50 utterances of 4 s (plus one 200 s
 * utterance for the long-input case). Run (see BENCHMARKS.md):
 * <pre>
 * mvn -B -q -pl ser-extractors test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=ser.extractors.bench.RtfBenchmark
 * </pre>
 */
public final class RtfBenchmark {

    private static final java.lang.management.ThreadMXBean MX =
            java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int rate = 16000;
        int clips = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        double seconds = 4.0;
        FrameGrid grid = new FrameGrid(rate, 512, 160, true);
        List<AudioClip> audio = new ArrayList<>();
        String wav = System.getProperty("rtf.wav");
        for (int i = 0; i < clips; i++) {
            float[] x = wav != null ? readMono16(wav) : SyntheticSpeech.generate(1000 + i, rate, seconds);
            audio.add(new AudioClip(x, rate));
        }
        double total = audio.stream().mapToDouble(AudioClip::durationSeconds).sum();
        // optional overrides, e.g. -Drtf.conf="ser.extractors.ht-apen.envelope-rate = 0"
        Config ref = ConfigFactory.parseString(System.getProperty("rtf.conf", ""))
                .withFallback(ConfigFactory.parseResources("reference.conf")).resolve();
        List<FeatureExtractorProvider> providers = new ArrayList<>();
        ServiceLoader.load(FeatureExtractorProvider.class).forEach(providers::add);
        System.out.printf("RTF on %d x %.2f s %s (%.0f s), 16 kHz, grid 512/160 centred%n", clips,
                total / clips, wav != null ? wav : "synthetic speech-like clips", total);
        List<FeatureExtractor> fx = new ArrayList<>();
        for (FeatureExtractorProvider p : providers) {
            fx.add(p.create(new ExtractorContext(grid, ref.getConfig("ser.extractors.\"" + p.name() + "\""))));
        }
        int frames = audio.stream().mapToInt(c -> grid.frameCount(c.length())).sum();
        // clip-major, as a runner extracts: every extractor on a clip, then the next clip (so the
        // MFCC and spectral extractors share the STFT). Two warm-up rounds (JIT), then `rounds`
        // timed rounds; per extractor the fastest round counts (thread CPU time, robust to other
        // processes on the machine; wall time is also shown).
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long[] best = new long[fx.size()];
        java.util.Arrays.fill(best, Long.MAX_VALUE);
        long bestTotal = Long.MAX_VALUE;
        long bestWall = Long.MAX_VALUE;
        for (int round = -2; round < rounds; round++) {
            long[] cpu = new long[fx.size()];
            long w0 = System.nanoTime();
            for (AudioClip c : audio) {
                for (int e = 0; e < fx.size(); e++) {
                    long t0 = MX.getCurrentThreadCpuTime();
                    fx.get(e).extract(c);
                    cpu[e] += MX.getCurrentThreadCpuTime() - t0;
                }
            }
            long wall = System.nanoTime() - w0;
            if (round >= 0) {
                long sum = 0;
                for (int e = 0; e < fx.size(); e++) {
                    best[e] = Math.min(best[e], cpu[e]);
                    sum += cpu[e];
                }
                bestTotal = Math.min(bestTotal, sum);
                bestWall = Math.min(bestWall, wall);
            }
        }
        for (int e = 0; e < fx.size(); e++) {
            System.out.printf("  %-9s RTF %.5f  (%6.2f us CPU per grid frame)%n", providers.get(e).name(),
                    best[e] / 1e9 / total, best[e] / 1e3 / frames);
        }
        System.out.printf("  %-9s RTF %.5f  (%6.2f us CPU per grid frame; fastest round; wall-clock RTF %.5f)%n",
                "all five", bestTotal / 1e9 / total, bestTotal / 1e3 / frames, bestWall / 1e9 / total);
        System.out.printf("  machine load average during the run: %.2f on %d CPUs%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    private RtfBenchmark() {
    }

    /** A 16-bit mono 16 kHz PCM WAV (for -Drtf.wav=...: benchmark on real audio instead). */
    static float[] readMono16(String path) {
        try {
            byte[] b = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(path));
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            int pos = 12;
            while (pos + 8 <= b.length) {
                int id = bb.getInt(pos);
                int size = bb.getInt(pos + 4);
                if (id == 0x61746164) {
                    float[] x = new float[size / 2];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = bb.getShort(pos + 8 + 2 * i) / 32768f;
                    }
                    return x;
                }
                pos += 8 + size + (size & 1);
            }
            throw new IllegalArgumentException("no data chunk in " + path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Speech-like signal generator shared by the benchmarks. */
    public static final class SyntheticSpeech {
        private SyntheticSpeech() {
        }

        /**
         * Voiced segments (harmonic series up to 30 harmonics, 1/h tilt, gliding F0 90..260 Hz),
         * unvoiced noise bursts and near-silent pauses, each with a syllable-like envelope.
         */
        public static float[] generate(long seed, int rate, double seconds) {
            Random r = new Random(seed);
            int n = (int) Math.round(seconds * rate);
            float[] x = new float[n];
            int i = 0;
            double phase = 0;
            while (i < n) {
                int kind = r.nextInt(10);
                int len = (int) ((0.08 + 0.25 * r.nextDouble()) * rate);
                double f0a = 90 + 170 * r.nextDouble();
                double f0b = f0a * (0.8 + 0.4 * r.nextDouble());
                double amp = 0.05 + 0.3 * r.nextDouble();
                for (int j = 0; j < len && i < n; j++, i++) {
                    double env = Math.sin(Math.PI * j / len);
                    double v;
                    if (kind < 6) {
                        double f0 = f0a + (f0b - f0a) * j / len;
                        phase += 2 * Math.PI * f0 / rate;
                        v = 0;
                        for (int h = 1; h * f0 < rate / 2.0 && h <= 30; h++) {
                            v += Math.sin(h * phase) / h;
                        }
                        v *= 0.5;
                    } else if (kind < 8) {
                        v = 0.3 * r.nextGaussian();
                    } else {
                        v = 0.001 * r.nextGaussian();
                    }
                    x[i] = (float) (amp * env * v);
                }
            }
            return x;
        }
    }
}
