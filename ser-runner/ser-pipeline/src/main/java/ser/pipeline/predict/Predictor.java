package ser.pipeline.predict;

import ser.pipeline.model.ModelBundle;

import com.typesafe.config.Config;
import java.io.IOException;
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
import ser.pipeline.BadInputException;
import ser.pipeline.audio.AudioLoader;
import ser.pipeline.extract.Extraction;
import ser.pipeline.extract.FeaturePipeline;
import ser.pipeline.normalize.Normalization;
import ser.pipeline.train.InputShape;
import ser.pipeline.train.Standardizer;
import ser.pipeline.plugins.PluginRegistry;

/**
 * The predict stage: audio files in, all eight probabilities per file out, each result handed
 * to a {@link Listener} as soon as it is done. A file that fails (cannot be decoded, too short,
 * ...) is reported as a failure and the others still run. Formatting the results is the
 * caller's business (the CLI prints table/json/csv; a server would answer with them).
 */
public final class Predictor {

    /** Audio file suffixes a folder argument is searched for (recursively): what AudioLoader decodes. */
    public static final Set<String> AUDIO_SUFFIXES = ser.pipeline.audio.Container.SUFFIXES;

    /** Decodes a file and computes the bundle's features for it (AudioLoader + FeaturePipeline). */
    @FunctionalInterface
    public interface Featurizer {
        Extraction extract(String location);
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

    /** What a caller does with each result as soon as it is known (print it, send it, collect it). */
    public interface Listener {
        void predicted(Prediction prediction);

        /** An input that could not be listed or predicted; {@code message} is one line naming it. */
        void failed(String input, String message);

        /** Something the user should know that is not a failure (e.g. a speaker normalized with pooled statistics). */
        default void warning(String message) {
        }
    }

    /** How many inputs were predicted and how many failed. */
    public record Summary(int predicted, int failed) {
    }

    /** Predicts every input, speakers unknown. */
    public Summary run(List<String> inputs, Listener listener) {
        return run(inputs, SpeakerSource.unknown(), listener);
    }

    /**
     * Predicts every input (folders expanded first), reporting each result to the listener as
     * soon as it is done; one failing file does not stop the others. When the bundle normalizes
     * per speaker (or corpus), the files are taken speaker by speaker (in order of first
     * appearance): all of a speaker's files are extracted first, their own statistics computed,
     * then each is predicted. A speaker with fewer than the minimum number of files, and files of
     * no known speaker, are normalized with the bundle's fallback statistics (the training
     * speakers pooled), after a one-line warning.
     */
    public Summary run(List<String> inputs, SpeakerSource speakers, Listener listener) {
        List<String> files = new ArrayList<>();
        int failed = 0;
        int predicted = 0;
        for (String input : inputs) {
            try {
                files.addAll(expand(input));
            } catch (BadInputException e) {
                listener.failed(input, e.getMessage());
                failed++;
            }
        }
        if (bundle.info().normalization().mode() == Normalization.OFF) {
            for (String file : files) {
                try {
                    listener.predicted(new Prediction(file, predict(file)));
                    predicted++;
                } catch (RuntimeException | OutOfMemoryError e) {
                    listener.failed(file, failure(file, e));
                    failed++;
                }
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
                Summary s = predictSpeaker(group.getKey(), group.getValue(), listener);
                predicted += s.predicted();
                failed += s.failed();
            }
        }
        return new Summary(predicted, failed);
    }

    /** Extracts all files of one speaker, normalizes them with the speaker's statistics, predicts; returns what was predicted and failed. */
    private Summary predictSpeaker(String speaker, List<String> files, Listener listener) {
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
            } catch (RuntimeException | OutOfMemoryError e) {
                listener.failed(file, failure(file, e));
                failed++;
            }
        }
        Standardizer statistics = bundle.info().normalization().fallback();
        String group = bundle.info().normalization().mode().id();
        if (speaker == null) {
            listener.warning(String.format(Locale.ROOT, "warning: %d file(s) of no known %s (give --speaker, --speaker-per-folder or --manifest): "
                    + "normalized with the training speakers' pooled statistics, which is less accurate", ok.size(), group));
        } else if (ok.size() < minUtterances) {
            listener.warning(String.format(Locale.ROOT, "warning: %s %s has %d usable file(s), fewer than %s = %d: normalized with the training "
                    + "speakers' pooled statistics, which is less accurate", group, speaker, ok.size(),
                    Normalization.MIN_UTTERANCES_KEY, minUtterances));
        } else {
            Standardizer.Accumulator acc = new Standardizer.Accumulator(bundle.info().featureCount());
            for (Extraction e : extractions) {
                acc.add(bundle.input().mode() == InputShape.Mode.UTTERANCE ? new float[][] {e.utteranceVector()} : e.frames());
            }
            statistics = acc.result();
        }
        int predicted = 0;
        for (int i = 0; i < ok.size(); i++) {
            String file = ok.get(i);
            try {
                listener.predicted(new Prediction(file, predict(extractions.get(i), file, statistics)));
                predicted++;
            } catch (RuntimeException | OutOfMemoryError e) {
                listener.failed(file, failure(file, e));
                failed++;
            }
        }
        return new Summary(predicted, failed);
    }

    private static String failure(String file, Throwable e) {
        if (e instanceof BadInputException) {
            return e.getMessage();
        }
        if (e instanceof OutOfMemoryError) {
            return file + ": " + FeaturePipeline.outOfMemory("heap", "raise -Xmx via JAVA_OPTS");
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
}
