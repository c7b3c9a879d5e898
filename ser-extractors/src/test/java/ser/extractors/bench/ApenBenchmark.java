package ser.extractors.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import ser.extractors.dsp.ApproximateEntropy;
import ser.extractors.dsp.HilbertEnvelope;
import ser.extractors.dsp.NaiveApen;

import java.util.concurrent.TimeUnit;

/**
 * Approximate Entropy: brute force (Pincus' double loop, {@link NaiveApen}) against the two exact
 * fast algorithms, on the Hilbert envelope of synthetic speech-like audio (16 kHz), m = 2,
 * r = 0.2 std. Run (see BENCHMARKS.md):
 * <pre>
 * mvn -B -q -pl ser-extractors test-compile exec:exec -Dexec.executable=java \
 *     "-Dexec.args=-cp %classpath org.openjdk.jmh.Main ApenBenchmark"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ApenBenchmark {

    @Param({"400", "4000", "40000"})
    public int n;

    @Param({"naive", "scan", "bitset"})
    public String algorithm;

    private double[] x;
    private double r;
    private ApproximateEntropy fast;

    @Setup
    public void setup() {
        float[] audio = RtfBenchmark.SyntheticSpeech.generate(42, 16000, Math.max(1.0, n / 16000.0 + 0.5));
        double[] env = new double[audio.length];
        new HilbertEnvelope().envelope(audio, audio.length, env);
        // a voiced stretch: start at 0.25 s
        int start = Math.min(4000, env.length - n);
        x = java.util.Arrays.copyOfRange(env, start, start + n);
        r = 0.2 * ApproximateEntropy.populationStd(x, 0, n);
        fast = new ApproximateEntropy("scan".equals(algorithm)
                ? ApproximateEntropy.Algorithm.SCAN : ApproximateEntropy.Algorithm.BITSET);
    }

    @Benchmark
    public double apen() {
        if ("naive".equals(algorithm)) {
            return NaiveApen.apen(x, 2, r);
        }
        return fast.apen(x, 0, n, 2, r);
    }
}
