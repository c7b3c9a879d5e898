package ser.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import ser.api.AudioClip;
import ser.pipeline.BadInputException;
import com.google.inject.Injector;
import com.typesafe.config.Config;
import ser.pipeline.plugins.PluginRegistry;
import ser.pipeline.UsageException;
import ser.pipeline.audio.AudioLoader;
import ser.pipeline.prepare.Manifest;
import ser.pipeline.prepare.ManifestRow;
import ser.pipeline.bench.ExtractBenchmark;
import ser.pipeline.extract.ExtractJob;
import ser.pipeline.extract.FeaturePipeline;

/** {@code ser bench}: speed measurements. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure speed: feature extraction (extract), training steps (backends) prediction latency (predict) or the server (serve).",
        subcommands = {BenchCommand.Extract.class, BenchBackendsCommand.class, BenchServeCommand.class, BenchPredictCommand.class})
public final class BenchCommand implements Runnable {

    @ParentCommand
    SerCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public SerCommand root() {
        return root;
    }

    /** The 1-minute load average every benchmark prints beside its figures (other processes slow them down). */
    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** {@code ser bench extract}: real-time factor of each extractor and of the whole set. */
    @Command(name = "extract", mixinStandardHelpOptions = true,
            description = {"Real-time factor (processing seconds / audio seconds) of each configured extractor and of",
                "all together, on one thread and on all cores, after a warm-up. Audio: the manifest's files",
                "(repeated if shorter than --seconds), or a generated speech-like signal."})
    public static final class Extract implements Callable<Integer> {

        @ParentCommand
        BenchCommand bench;

        @Spec
        CommandSpec spec;

        static final class Source {
            @Option(names = "--manifest", paramLabel = "CSV", description = "measure on these files")
            Path manifest;

            @Option(names = "--seconds", paramLabel = "S",
                    description = "seconds of generated speech-like audio (default: ${DEFAULT-VALUE})", defaultValue = "200")
            double seconds = 200;
        }

        @ArgGroup(exclusive = true)
        Source source = new Source();

        @Option(names = "--min-seconds", paramLabel = "S", defaultValue = "200",
                description = "with --manifest: repeat files until at least this much audio (default: ${DEFAULT-VALUE})")
        double minSeconds;

        @Option(names = "--threads", paramLabel = "N",
                description = "threads of the multi-core measurement (default: ser.extract.threads; 0 = all cores)")
        Integer threads;

        @Option(names = "--warmup", paramLabel = "S", defaultValue = "3",
                description = "seconds of warm-up before each measurement (default: ${DEFAULT-VALUE})")
        double warmup;

        @Option(names = "--seed", defaultValue = "42", description = "seed of the generated signal (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--end-to-end-seconds", paramLabel = "S", defaultValue = "300",
                description = {"with --manifest: audio of the end-to-end run (decode, resample, features, writing; one",
                    "worker thread), files drawn across the whole manifest with --seed; 0 skips it (default: ${DEFAULT-VALUE})"})
        double endToEndSeconds;

        @Option(names = "--resample-seconds", paramLabel = "S", defaultValue = "20",
                description = "seconds of generated audio per input rate of the resampling-only figures; 0 skips them "
                        + "(default: ${DEFAULT-VALUE})")
        double resampleSeconds;

        @Override
        public Integer call() {
            Injector injector = bench.root.injector(OptionSettings.NONE.with(ExtractJob.THREADS, threads));
            Config config = injector.getInstance(Config.class);
            PluginRegistry plugins = injector.getInstance(PluginRegistry.class);
            FeaturePipeline all = FeaturePipeline.fromConfig(config, plugins); // checks settings first
            int n = ExtractJob.workerThreads(ser.api.StrictNumbers.getInt(config, ExtractJob.THREADS));
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int rate = all.grid().sampleRate();
            List<AudioClip> clips;
            String what;
            if (source.manifest != null) {
                clips = manifestClips(new AudioLoader(rate), all, err);
                what = "files of " + source.manifest;
            } else {
                if (!(source.seconds > 0)) {
                    throw new UsageException("--seconds must be positive");
                }
                clips = ExtractBenchmark.speechLike(source.seconds, rate, seed);
                what = "generated speech-like signal, seed " + seed;
            }
            double audio = clips.stream().mapToDouble(AudioClip::durationSeconds).sum();
            out.printf(Locale.ROOT, "bench extract: %.1f s of audio in %d clips (%s), %d Hz, grid %d/%d%s, warm-up %.1f s, "
                    + "%d cores, load average %.2f%n", audio, clips.size(), what, rate, all.grid().frameLength(),
                    all.grid().hopLength(), all.grid().centered() ? " centered" : "", warmup,
                    Runtime.getRuntime().availableProcessors(), loadAverage());
            out.flush();
            List<ExtractBenchmark.Row> rows = ExtractBenchmark.run(config, plugins, clips, n, warmup,
                    line -> {
                        err.println("  " + line);
                        err.flush();
                    });
            out.print(ExtractBenchmark.table(rows));
            ExtractBenchmark.Row total = rows.get(rows.size() - 1);
            out.printf(Locale.ROOT, "all extractors: %.0fx real time on 1 thread, %.0fx on %d; multi-core speed-up %.2fx (%d cores)%n",
                    1 / total.oneThreadRtf(), 1 / total.multiRtf(), n, total.speedUp(),
                    Runtime.getRuntime().availableProcessors());
            if (resampleSeconds > 0) {
                java.util.TreeSet<Integer> rates = new java.util.TreeSet<>(ExtractBenchmark.COMMON_RATES);
                if (source.manifest != null) {
                    for (ManifestRow r : Manifest.read(source.manifest)) {
                        rates.add(r.sampleRate());
                    }
                }
                out.print(ExtractBenchmark.resamplingTable(ExtractBenchmark.resampling(List.copyOf(rates), rate,
                        resampleSeconds, seed, 3, line -> {
                            err.println("  " + line);
                            err.flush();
                        })));
            }
            if (source.manifest != null && endToEndSeconds > 0) {
                List<ManifestRow> shuffled = new ArrayList<>(Manifest.read(source.manifest));
                java.util.Collections.shuffle(shuffled, new java.util.Random(seed));
                List<ManifestRow> chosen = new ArrayList<>();
                double s = 0;
                for (ManifestRow r : shuffled) {
                    if (s >= endToEndSeconds) {
                        break;
                    }
                    chosen.add(r);
                    s += r.durationSeconds();
                }
                java.nio.file.Path scratch = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
                ExtractBenchmark.EndToEnd e2e = ExtractBenchmark.endToEnd(all, new AudioLoader(rate), chosen,
                        Math.max(1, chosen.size() / 5), scratch);
                out.printf(Locale.ROOT, "end to end (ser extract, 1 worker thread: decode, resample, features, writing): "
                        + "%d files, %.1f s of audio, %.2f s: RTF %.5f, process CPU RTF %.5f (per-extractor CPU RTF "
                        + "above: %.5f)%n", e2e.files(), e2e.audioSeconds(), e2e.wallSeconds(), e2e.rtf(), e2e.cpuRtf(),
                        total.oneThreadCpuRtf());
            }
            out.printf(Locale.ROOT, "load average at the end: %.2f (other processes slow the wall-clock figures down; "
                    + "CPU RTF is the measuring thread's CPU time)%n", loadAverage());
            out.flush();
            return ExitCodes.OK;
        }

        private List<AudioClip> manifestClips(AudioLoader loader, FeaturePipeline pipeline, PrintWriter err) {
            List<ManifestRow> rows = Manifest.read(source.manifest);
            List<AudioClip> usable = new ArrayList<>();
            double seconds = 0;
            for (ManifestRow r : rows) {
                try {
                    AudioClip clip = loader.load(r.location());
                    pipeline.extract(clip, r.location());
                    usable.add(clip);
                    seconds += clip.durationSeconds();
                } catch (BadInputException e) {
                    err.println(e.getMessage() + " (left out)");
                }
                if (seconds >= minSeconds && usable.size() >= 1) {
                    break;
                }
            }
            if (usable.isEmpty()) {
                throw new UsageException(source.manifest + ": no usable audio to measure on");
            }
            List<AudioClip> clips = new ArrayList<>(usable);
            for (int i = 0; seconds < minSeconds; i++) {
                AudioClip c = usable.get(i % usable.size());
                clips.add(c);
                seconds += c.durationSeconds();
            }
            return clips;
        }
    }
}
