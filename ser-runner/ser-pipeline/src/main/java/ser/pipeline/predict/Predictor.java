package ser.pipeline.predict;

import ser.pipeline.model.ModelBundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import ser.api.Emotion;
import ser.pipeline.BadInputException;
import ser.pipeline.UsageException;
import ser.pipeline.audio.AudioLoader;
import ser.pipeline.extract.Extraction;
import ser.pipeline.extract.FeaturePipeline;
import ser.pipeline.store.FeatureSchema;
import ser.pipeline.plugins.PluginRegistry;
import ser.pipeline.report.Json;
import ser.pipeline.report.Metrics;

/**
 * {@code ser predict}: audio files in, emotion and all eight probabilities out, one line per
 * file as soon as it is done. A file that fails (cannot be decoded, too short, ...) is reported
 * as one line on stderr and the others still print; the exit code is 0 when every file
 * succeeded and 1 when any failed.
 */
public final class Predictor {

    /** Audio file suffixes a folder argument is searched for (recursively): what AudioLoader decodes. */
    public static final Set<String> AUDIO_SUFFIXES = ser.pipeline.audio.Container.SUFFIXES;

    /** Decodes a file and computes the bundle's features for it (AudioLoader + FeaturePipeline). */
    @FunctionalInterface
    public interface Featurizer {
        Extraction extract(String location);
    }

    public enum Format {
        TABLE, JSON, CSV;

        public static Format parse(String name) {
            return switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "table" -> TABLE;
                case "json" -> JSON;
                case "csv" -> CSV;
                default -> throw new UsageException("--format: must be table, json or csv, got '" + name + "'");
            };
        }
    }

    private final ModelBundle bundle;
    private final Featurizer featurizer;

    public Predictor(ModelBundle bundle, Featurizer featurizer) {
        this.bundle = bundle;
        this.featurizer = featurizer;
    }

    /**
     * A predictor that decodes files at the bundle's feature sample rate ({@link AudioLoader}) and
     * computes the bundle's features with the extractors and settings its schema names
     * ({@link FeaturePipeline#fromSchema}, which refuses extractors whose schema hash differs).
     */
    public static Predictor forBundle(ModelBundle bundle, PluginRegistry plugins, Config config) {
        FeatureSchema schema = bundle.schema();
        AudioLoader loader = new AudioLoader(schema.grid().sampleRate());
        double minDuration = config.hasPath(MIN_DURATION) ? config.getDouble(MIN_DURATION) : FeaturePipeline.DEFAULT_MIN_DURATION_S;
        FeaturePipeline pipeline;
        try {
            pipeline = FeaturePipeline.fromSchema(schema, plugins, minDuration);
        } catch (BadInputException e) {
            // Name the bundle: it is what the user pointed at, and what must be retrained.
            throw new BadInputException(bundle.dir().resolve(ModelBundle.BUNDLE_JSON).toString(),
                    e.location() + ": " + e.problem(), e);
        }
        return new Predictor(bundle, location -> pipeline.extract(loader.load(location), location));
    }

    private static final String MIN_DURATION = "ser.extract.min-duration-s";

    /** Probabilities for one file, by class index. */
    public float[] predict(String location) {
        Extraction extraction = featurizer.extract(location);
        float[][] shaped = bundle.input().of(extraction, location);
        if (shaped[0].length != bundle.info().featureCount()) {
            throw new BadInputException(location, "features have " + shaped[0].length + " columns, the model "
                    + bundle.info().featureCount());
        }
        return bundle.predict(List.<float[][]>of(shaped))[0];
    }

    /** Predicts every input and prints the results; returns the exit code. */
    public int run(List<String> inputs, Format format, PrintWriter out, PrintWriter err) {
        List<String> files = new ArrayList<>();
        int failed = 0;
        int predicted = 0;
        for (String input : inputs) {
            try {
                files.addAll(expand(input));
            } catch (BadInputException e) {
                err.println(e.getMessage());
                failed++;
            }
        }
        String header = header(format);
        if (header != null) {
            out.println(header);
        }
        for (String file : files) {
            try {
                float[] p = predict(file);
                out.println(line(format, file, p));
                predicted++;
            } catch (BadInputException e) {
                err.println(e.getMessage());
                failed++;
            } catch (RuntimeException e) {
                err.println(file + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                failed++;
            }
            out.flush();
            err.flush();
        }
        if (failed > 0) {
            err.printf(Locale.ROOT, "ser predict: %d input(s) failed, %d predicted%n", failed, predicted);
            err.flush();
            return 1;
        }
        return 0;
    }

    /** A file argument as is (it may also be {@code archive.zip!/entry}); a folder as its audio files, sorted. */
    public static List<String> expand(String input) {
        Path path = Path.of(input);
        if (!Files.isDirectory(path)) {
            return List.of(input);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            List<String> files = walk.filter(Files::isRegularFile).filter(Predictor::isAudio).map(Path::toString).sorted().toList();
            if (files.isEmpty()) {
                throw new BadInputException(input, "no audio files (" + String.join(", ", new java.util.TreeSet<>(AUDIO_SUFFIXES))
                        + ") in this folder");
            }
            return files;
        } catch (IOException | UncheckedIOException e) {
            throw new BadInputException(input, "cannot list folder: " + e.getMessage(), e);
        }
    }

    private static boolean isAudio(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && AUDIO_SUFFIXES.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    static String header(Format format) {
        return switch (format) {
            case JSON -> null;
            case CSV -> CSVFormat.DEFAULT.format(csvHeader().toArray());
            case TABLE -> {
                // The file goes last, so that the fixed-width columns line up whatever its length.
                StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-9s", "emotion"));
                for (Emotion e : Emotion.values()) {
                    b.append(String.format(Locale.ROOT, " %8s", e.id()));
                }
                yield b.append("  file").toString();
            }
        };
    }

    private static List<String> csvHeader() {
        List<String> h = new ArrayList<>(List.of("file", "emotion", "emotion_label"));
        for (Emotion e : Emotion.values()) {
            h.add(e.id());
        }
        return h;
    }

    static String line(Format format, String file, float[] p) {
        Emotion emotion = Emotion.ofIndex(Metrics.argmax(p));
        return switch (format) {
            case JSON -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("file", file);
                o.put("emotion", emotion.id());
                o.put("emotion_label", emotion.label());
                Map<String, Double> probabilities = new LinkedHashMap<>();
                for (Emotion e : Emotion.values()) {
                    probabilities.put(e.id(), round(p[e.index()]));
                }
                o.put("probabilities", probabilities);
                try {
                    yield Json.COMPACT.writeValueAsString(o);
                } catch (JsonProcessingException ex) {
                    throw new IllegalStateException(ex);
                }
            }
            case CSV -> {
                List<Object> values = new ArrayList<>(List.of(file, emotion.id(), emotion.label()));
                for (float v : p) {
                    values.add(String.format(Locale.ROOT, "%.6f", v));
                }
                yield CSVFormat.DEFAULT.format(values.toArray());
            }
            case TABLE -> {
                StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-9s", emotion.id()));
                for (float v : p) {
                    b.append(String.format(Locale.ROOT, " %8.4f", v));
                }
                yield b.append("  ").append(file).toString();
            }
        };
    }

    private static double round(float v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
