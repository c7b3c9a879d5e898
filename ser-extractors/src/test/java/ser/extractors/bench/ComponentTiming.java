package ser.extractors.bench;

import ser.api.FrameGrid;
import ser.extractors.dsp.ApproximateEntropy;
import ser.extractors.dsp.HilbertEnvelope;
import ser.extractors.dsp.RealFft;
import ser.extractors.dsp.Stft;
import ser.extractors.dsp.Yin;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Per-call CPU time of the DSP building blocks on the default grid (16 kHz, 512/160), for tuning.
 * Run: mvn -B -q -pl ser-extractors test-compile exec:java -Dexec.mainClass=ser.extractors.bench.ComponentTiming
 */
public final class ComponentTiming {

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    public interface Body {
        void run(int i);
    }

    public static double time(String name, int reps, Body b) {
        for (int i = 0; i < reps; i++) {
            b.run(i);
        }
        long best = Long.MAX_VALUE;
        for (int rep = 0; rep < 5; rep++) {
            long t0 = MX.getCurrentThreadCpuTime();
            for (int i = 0; i < reps; i++) {
                b.run(i);
            }
            best = Math.min(best, MX.getCurrentThreadCpuTime() - t0);
        }
        double us = best / 1e3 / reps;
        System.out.printf("  %-40s %9.2f us%n", name, us);
        return us;
    }

    public static void main(String[] args) {
        int rate = 16000;
        float[] x = RtfBenchmark.SyntheticSpeech.generate(1, rate, 4.0);
        FrameGrid grid = new FrameGrid(rate, 512, 160, true);
        int frames = grid.frameCount(x.length);
        RealFft fft = new RealFft(512);
        double[] buf = new double[512];
        double[] re = new double[257];
        double[] im = new double[257];
        for (int i = 0; i < 512; i++) {
            buf[i] = x[10000 + i];
        }
        double[] sink = new double[1];
        time("real FFT 512", 20000, i -> {
            fft.forward(buf, re, im);
            sink[0] += re[3];
        });
        Stft stft = new Stft(grid);
        double[] pw = new double[257];
        double[] mg = new double[257];
        time("Stft.power", 20000, i -> stft.power(x, i % frames, pw, 0));
        HilbertEnvelope h = new HilbertEnvelope();
        double[] env = new double[x.length];
        double hus = time("Hilbert envelope 4 s (per utterance)", 20, i -> h.envelope(x, x.length, env));
        System.out.printf("  %-40s %9.2f us%n", "  -> per grid frame", hus / frames);
        h.envelope(x, x.length, env);
        for (ApproximateEntropy.Algorithm a : ApproximateEntropy.Algorithm.values()) {
            ApproximateEntropy ap = new ApproximateEntropy(a);
            time("ApEn window 512 m=2 " + a, 2000, i -> {
                int start = Math.min(x.length - 512, (i % frames) * 160);
                sink[0] += ap.compute(env, start, 512, 2, 0.2);
            });
        }
        double[] coarse = new double[env.length / 2];
        for (int j = 0; j < coarse.length; j++) {
            coarse[j] = 0.5 * (env[2 * j] + env[2 * j + 1]);
        }
        ApproximateEntropy a256 = new ApproximateEntropy();
        time("ApEn 256 coarse values (default) AUTO", 2000, i -> {
            int start = Math.min(coarse.length - 256, (i % frames) * 80);
            sink[0] += a256.compute(coarse, start, 256, 2, 0.2);
        });
        double[] dec = new double[4000];
        for (int j = 0; j < 4000; j++) {
            double acc = 0;
            for (int i = 0; i < 16; i++) {
                acc += env[j * 16 + i];
            }
            dec[j] = acc / 16;
        }
        ApproximateEntropy utt = new ApproximateEntropy();
        double uus = time("utterance ApEn N=4000 (4 s @ 1 kHz)", 20, i -> sink[0] += utt.compute(dec, 0, 4000, 2, 0.2));
        System.out.printf("  %-40s %9.2f us (%s)%n", "  -> per grid frame", uus / frames, utt.lastUsed());
        Yin yin = new Yin(rate, 65, 2093, 0.1);
        double[] span = new double[yin.span()];
        time("YIN span " + yin.span(), 20000, i -> {
            int start = Math.min(x.length - span.length, (i % frames) * 160);
            for (int k = 0; k < span.length; k++) {
                span[k] = x[start + k];
            }
            yin.analyse(span);
            sink[0] += yin.f0();
        });
        System.out.println(sink[0] != 0 ? "" : " ");
    }

    private ComponentTiming() {
    }
}
