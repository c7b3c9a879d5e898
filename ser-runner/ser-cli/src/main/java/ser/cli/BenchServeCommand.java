package ser.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import ser.api.AudioClip;
import ser.pipeline.UsageException;
import ser.pipeline.bench.ExtractBenchmark;
import com.google.inject.Injector;
import com.typesafe.config.Config;
import ser.pipeline.plugins.PluginRegistry;
import ser.server.SerServer;
import ser.server.ServeSettings;
import ser.server.bench.ServeBench;

/** {@code ser bench serve}: latency and throughput of {@code ser serve}, over loopback. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Start the server on 127.0.0.1 (any free port) with a model and load it: POST /v1/predict of "
                + "--clips generated speech-like clips, sent in turn, by each number of concurrent clients (p50/p95/p99 "
                + "latency, throughput; every answer checked against what its clip got alone), then a live stream paced at real time (lag from the chunk that "
                + "completes a window to its prediction). Bounded by --requests and --max-seconds per level."})
public final class BenchServeCommand implements Callable<Integer> {

    @ParentCommand
    BenchCommand bench;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions bundleOptions;

    @Option(names = "--clients", split = ",", paramLabel = "N,N,...", defaultValue = "1,2,8",
            description = "concurrency levels (default: ${DEFAULT-VALUE})")
    int[] clients;

    @Option(names = "--requests", defaultValue = "1000", description = "requests per level at most (default: ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--max-seconds", defaultValue = "60", description = "seconds per level at most (default: ${DEFAULT-VALUE})")
    double maxSeconds;

    @Option(names = "--clip-seconds", defaultValue = "3", description = "length of the predicted clip (default: ${DEFAULT-VALUE})")
    double clipSeconds;

    @Option(names = "--stream-seconds", defaultValue = "12", description = "audio streamed, 0 skips it (default: ${DEFAULT-VALUE})")
    double streamSeconds;

    // The JIT takes thousands of requests to settle: its CPU per request was 2.2 ms over the
    // first 2,500 at 8 clients, 0.7 over the next 2,500 and 0.1-0.4 after 10,000 (demo model).
    @Option(names = "--warmup", defaultValue = "3000",
            description = "untimed requests first, by as many clients as the largest level, so that the JIT compiler is done (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the generated audio (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--clips", defaultValue = "4", description = "different clips the requests send in turn, so that an "
            + "answer meant for another request is seen (seeds --seed, --seed + 1000, ...; default: ${DEFAULT-VALUE})")
    int clips;

    /** Seeds of the clips are this far apart (the stream's clip uses --seed + 1). */
    private static final long CLIP_SEED_STEP = 1000;

    @Override
    public Integer call() throws Exception {
        if (warmup < 0) {
            throw new UsageException("bench serve: --warmup must not be negative");
        }
        if (requests < 1 || clips < 1 || !(maxSeconds > 0) || !(clipSeconds > 0) || streamSeconds < 0 || clients.length == 0
                || java.util.Arrays.stream(clients).anyMatch(c -> c < 1 || c > 256)) {
            throw new UsageException("bench serve: --requests, --clips, --max-seconds, --clip-seconds must be positive, --clients 1..256");
        }
        // Loopback only, any free port; the queue must hold every client's request.
        Injector injector = bench.root().injector(OptionSettings.NONE.with(ServeSettings.ROOT + ".host", "127.0.0.1")
                .with(ServeSettings.ROOT + ".port", 0));
        Config config = injector.getInstance(Config.class);
        ServeSettings settings = ServeSettings.from(config);
        PrintWriter out = spec.commandLine().getOut();
        try (SerServer server = SerServer.open(bundleOptions.model, injector.getInstance(PluginRegistry.class), config, bundleOptions.backend, settings).start()) {
            int rate = ser.pipeline.model.ModelBundle.readInfo(bundleOptions.model).schema().grid().sampleRate();
            List<byte[]> wavs = new java.util.ArrayList<>();
            List<Long> seeds = new java.util.ArrayList<>();
            for (int k = 0; k < clips; k++) {
                seeds.add(seed + CLIP_SEED_STEP * k);
                wavs.add(ServeBench.wav(join(ExtractBenchmark.speechLike(clipSeconds, rate, seeds.get(k)), rate).samples(), rate));
            }
            out.printf(Locale.ROOT, "bench serve: %s, %s inference, %d model instance(s) x %d thread(s), queue %d, max batch %d; %d warm-up "
                    + "requests; %d speech-like clips of %.1f s (seeds %s) at %d Hz, sent in turn; %d cores, load average %.2f%n",
                    server.url(), server.inference(), settings.poolSize(), settings.modelThreads(), settings.queueSize(), settings.maxBatch(), warmup,
                    clips, clipSeconds, seeds, rate, Runtime.getRuntime().availableProcessors(), BenchCommand.loadAverage());
            out.flush();
            ServeBench b = new ServeBench(server.url());
            List<ServeBench.Level> levels = b.load(wavs, clients, requests, maxSeconds, warmup);
            out.print(ServeBench.table(levels));
            if (streamSeconds > 0) {
                AudioClip stream = join(ExtractBenchmark.speechLike(streamSeconds, rate, seed + 1), rate);
                ServeBench.Stream s = b.stream(stream.samples(), rate, 0.1);
                out.printf(Locale.ROOT, "stream: %.1f s of audio in 100 ms chunks at real time, window %.1f s, hop %.2f s: %d "
                        + "predictions, %d skipped (busy); lag from the chunk completing a window to its prediction: p50 %.1f ms, "
                        + "p95 %.1f ms, max %.1f ms%n", streamSeconds, settings.streamWindowSeconds(), settings.streamHopSeconds(),
                        s.windows(), s.busy(), s.p50Ms(), s.p95Ms(), s.maxMs());
            }
            out.printf(Locale.ROOT, "load average at the end: %.2f (other processes slow these figures down)%n", BenchCommand.loadAverage());
            out.flush();
        }
        return ExitCodes.OK;
    }

    private static AudioClip join(List<AudioClip> parts, int rate) {
        int n = parts.stream().mapToInt(AudioClip::length).sum();
        float[] x = new float[n];
        int at = 0;
        for (AudioClip c : parts) {
            System.arraycopy(c.samples(), 0, x, at, c.length());
            at += c.length();
        }
        return new AudioClip(x, rate);
    }
}
