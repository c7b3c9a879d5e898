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
import ser.pipeline.normalize.Normalization;
import ser.pipeline.store.FeatureSchema;
import ser.pipeline.train.InputShape;
import ser.pipeline.train.Standardizer;
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

    /** {@value Normalization#MIN_UTTERANCES_KEY} when no configuration says otherwise. */
    public static final int DEFAULT_MIN_UTTERANCES = 10;

    private final ModelBundle bundle;
    private final Featurizer featurizer;
    private final int minUtterances;

    public Predictor(ModelBundle bundle, Featurizer featurizer) {
        this(bundle, featurizer, DEFAULT_MIN_UTTERANCES);
    }

    /** @param minUtterances fewest files of a speaker normalized with that speaker's own statistics */
    public Predictor(ModelBundle bundle, Featurizer featurizer, int minUtterances) {
        this.bundle = bundle;
        this.featurizer = featurizer;
        this.minUtterances = minUtterances;
    }

    /**
     * A predictor that decodes files at the bundle's feature sample rate ({@link AudioLoader}) and
     * computes the bundle's features ({@link AudioFeaturizer#forBundle}); the loader, the
     * extractors and the model are built once and reused for every file.
     */
    public static Predictor forBundle(ModelBundle bundle, PluginRegistry plugins, Config config) {
        int minUtterances = config.hasPath(Normalization.MIN_UTTERANCES_KEY) ? Normalization.minUtterances(config)
                : DEFAULT_MIN_UTTERANCES;
        return new Predictor(bundle, AudioFeaturizer.forBundle(bundle, plugins, config), minUtterances);
    }

    /**
     * Probabilities for one file, by class index. Under speaker or corpus normalization the file's
     * speaker is unknown here, so it is normalized with the bundle's fallback statistics.
     */
    public float[] predict(String location) {
        return predict(featurizer.extract(location), location, bundle.info().normalization().fallback());
    }

    /**
     * Probabilities for one file's features, by class index, normalized with the bundle's
     * fallback statistics (the file's speaker is unknown here).
     */
    public float[] predict(Extraction extraction, String location) {
        return predict(extraction, location, bundle.info().normalization().fallback());
    }

    /** @param statistics the file's group's normalization, or null when the bundle normalizes nothing */
    private float[] predict(Extraction extraction, String location, Standardizer statistics) {
        return BundleScorer.score(bundle, extraction, location, statistics);
    }

    /** Predicts every input and prints the results; returns the exit code. Speakers unknown. */
    public int run(List<String> inputs, Format format, PrintWriter out, PrintWriter err) {
        return run(inputs, SpeakerSource.unknown(), format, out, err);
    }

    /**
     * Predicts every input and prints the results; returns the exit code. When the bundle
     * normalizes per speaker (or corpus), the files are taken speaker by speaker (in order of
     * first appearance): all of a speaker's files are extracted first, their own statistics
     * computed, then each is predicted. A speaker with fewer than the minimum number of files,
     * and files of no known speaker, are normalized with the bundle's fallback statistics (the
     * training speakers pooled), after a one-line warning on {@code err}.
     */
    public int run(List<String> inputs, SpeakerSource speakers, Format format, PrintWriter out, PrintWriter err) {
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
        if (bundle.info().normalization().mode() == Normalization.OFF) {
            for (String file : files) {
                try {
                    float[] p = predict(file);
                    out.println(line(format, file, p));
                    predicted++;
                } catch (RuntimeException e) {
                    err.println(failure(file, e));
                    failed++;
                }
                out.flush();
                err.flush();
            }
        } else {
            Map<String, List<String>> bySpeaker = new LinkedHashMap<>();
            List<String> unknown = new ArrayList<>();
            for (String file : files) {
                String speaker = speakers.speakerOf(file);
                if (speaker == null) {
                    unknown.add(file);
                } else {
                    bySpeaker.computeIfAbsent(speaker, s -> new ArrayList<>()).add(file);
                }
            }
            if (!unknown.isEmpty()) {
                bySpeaker.put(null, unknown);
            }
            for (Map.Entry<String, List<String>> group : bySpeaker.entrySet()) {
                int[] counts = predictSpeaker(group.getKey(), group.getValue(), format, out, err);
                predicted += counts[0];
                failed += counts[1];
            }
        }
        if (failed > 0) {
            err.printf(Locale.ROOT, "ser predict: %d input(s) failed, %d predicted%n", failed, predicted);
            err.flush();
            return 1;
        }
        return 0;
    }

    /** Extracts all files of one speaker, normalizes them with the speaker's statistics, predicts; returns {predicted, failed}. */
    private int[] predictSpeaker(String speaker, List<String> files, Format format, PrintWriter out, PrintWriter err) {
        int failed = 0;
        List<String> ok = new ArrayList<>();
        List<Extraction> extractions = new ArrayList<>();
        for (String file : files) {
            try {
                Extraction e = featurizer.extract(file);
                // A file with no frames or the wrong width fails here, before it counts for the statistics.
                BundleScorer.shaped(bundle, e, file);
                extractions.add(e);
                ok.add(file);
            } catch (RuntimeException e) {
                err.println(failure(file, e));
                failed++;
            }
        }
        Standardizer statistics = bundle.info().normalization().fallback();
        String group = bundle.info().normalization().mode().id();
        if (speaker == null) {
            err.printf(Locale.ROOT, "warning: %d file(s) of no known %s (give --speaker, --speaker-per-folder or --manifest): "
                    + "normalized with the training speakers' pooled statistics, which is less accurate%n", ok.size(), group);
        } else if (ok.size() < minUtterances) {
            err.printf(Locale.ROOT, "warning: %s %s has %d usable file(s), fewer than %s = %d: normalized with the training "
                    + "speakers' pooled statistics, which is less accurate%n", group, speaker, ok.size(),
                    Normalization.MIN_UTTERANCES_KEY, minUtterances);
        } else {
            Standardizer.Accumulator acc = new Standardizer.Accumulator(bundle.info().featureCount());
            for (Extraction e : extractions) {
                acc.add(bundle.input().mode() == InputShape.Mode.UTTERANCE ? new float[][] {e.utteranceVector()} : e.frames());
            }
            statistics = acc.result();
        }
        err.flush();
        int predicted = 0;
        for (int i = 0; i < ok.size(); i++) {
            String file = ok.get(i);
            try {
                out.println(line(format, file, predict(extractions.get(i), file, statistics)));
                predicted++;
            } catch (RuntimeException e) {
                err.println(failure(file, e));
                failed++;
            }
            out.flush();
            err.flush();
        }
        return new int[] {predicted, failed};
    }

    private static String failure(String file, RuntimeException e) {
        if (e instanceof BadInputException) {
            return e.getMessage();
        }
        return file + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
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
