package ser.pipeline.extract;

import ser.pipeline.util.Progress;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import ser.api.AudioClip;
import ser.api.Emotion;
import ser.pipeline.BadInputException;
import ser.pipeline.config.ConfigValidator;
import ser.pipeline.prepare.ManifestRow;
import ser.pipeline.plugins.PluginRegistry;

/** Shared test material: settings with the test extractors, generated audio, manifest rows. */
public final class Fixtures {

    public static final int RATE = 16_000;
    public static final String EXTRACTORS = "ser.extract.extractors = [test-level, test-zcr]\n";

    private Fixtures() {
    }

    public static PluginRegistry plugins() {
        return PluginRegistry.discover(Fixtures.class.getClassLoader(), null);
    }

    private static Config reference() {
        return ConfigValidator.reference(List.of(Fixtures.class.getClassLoader()));
    }

    /** Checked settings: the test extractors plus {@code hocon}. */
    public static Config config(String hocon) {
        return ConfigValidator.validate(ConfigFactory.parseString(EXTRACTORS + hocon), reference());
    }

    public static Config config() {
        return config("");
    }

    /** Settings that the validator would reject (extractor settings of the test extractors). */
    public static Config unchecked(String hocon) {
        return ConfigFactory.parseString(EXTRACTORS + hocon).withFallback(reference())
                .resolve(ConfigResolveOptions.noSystem());
    }

    public static FeaturePipeline pipeline() {
        return FeaturePipeline.fromConfig(config(), plugins());
    }

    /**
     * Audio by location: {@code ok/N} a deterministic 0.5-1.1 s tone-and-noise clip, {@code missing/..}
     * and {@code empty/..} fail like the audio loader, {@code short/..} is shorter than a frame,
     * {@code nan/..} and {@code crash/..} make test-zcr return NaN or throw.
     */
    public static AudioClip clip(String location) {
        String kind = location.substring(0, location.indexOf('/'));
        int n = Integer.parseInt(location.substring(location.lastIndexOf('/') + 1).replaceAll("\\D", "0"));
        return switch (kind) {
            case "ok" -> tone(n, RATE * (5 + n % 7) / 10);
            case "short" -> tone(n, 300);
            case "nan" -> tone(n, TestExtractors.NAN_LENGTH);
            case "crash" -> tone(n, TestExtractors.CRASH_LENGTH);
            case "missing" -> throw new BadInputException(location, "no such file");
            case "empty" -> throw new BadInputException(location, "empty file (0 bytes)");
            default -> throw new IllegalArgumentException(location);
        };
    }

    public static AudioClip tone(long seed, int samples) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[samples];
        double f = 150 + 10 * (seed % 20);
        for (int i = 0; i < samples; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * f * i / RATE) + 0.05 * (random.nextDouble() * 2 - 1));
        }
        return new AudioClip(x, RATE);
    }

    public static ManifestRow row(String location, int i) {
        Emotion e = Emotion.ofIndex(i % Emotion.COUNT);
        return new ManifestRow("test/" + location.replace('/', '-'), location, "test", "spk" + (i % 3),
                i % 2 == 0 ? Optional.of("female") : Optional.empty(), e.id(), e, 1.0, RATE);
    }

    public static List<ManifestRow> rows(String... locations) {
        List<ManifestRow> rows = new ArrayList<>();
        for (int i = 0; i < locations.length; i++) {
            rows.add(row(locations[i], i));
        }
        return rows;
    }

    public static List<ManifestRow> goodRows(int n) {
        List<ManifestRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(row("ok/" + i, i));
        }
        return rows;
    }

    /** A progress reporter that records its output. */
    public static final class Capture {
        public final StringWriter text = new StringWriter();
        public final Progress progress = new Progress("extract", "files", 0, new PrintWriter(text, true), false, System::nanoTime);

        @Override
        public String toString() {
            return text.toString();
        }
    }

    public static ExtractRun.Summary extract(List<ManifestRow> rows, Path out, int threads) {
        return new ExtractRun(pipeline(), Fixtures::clip, threads).run(rows, out, new Capture().progress);
    }

    /** Relative path -> bytes of every file under {@code dir}. */
    public static TreeMap<String, byte[]> files(Path dir) throws IOException {
        TreeMap<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }
}
