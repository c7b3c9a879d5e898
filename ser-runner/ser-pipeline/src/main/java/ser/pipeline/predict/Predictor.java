package ser.pipeline.predict;

import ser.pipeline.model.ModelBundle;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import ser.pipeline.BadInputException;
import ser.pipeline.audio.AudioLoader;
import ser.pipeline.extract.Extraction;
import ser.pipeline.extract.FeaturePipeline;
import ser.pipeline.store.FeatureSchema;
import ser.pipeline.plugins.PluginRegistry;

/**
 * The predict stage: audio files in, all eight probabilities per file out, each result handed
 * to a {@link Listener} as soon as it is done. A file that fails (cannot be decoded, too short,
 * ...) is reported as a failure and the others still run. Formatting the results is the
 * caller's business (the CLI prints table/json/csv; a server would answer with them).
 */
public final class Predictor {

    /** Audio file suffixes a folder argument is searched for (recursively): what AudioLoader decodes. */
    public static final Set<String> AUDIO_SUFFIXES = Set.of("wav", "wave");

    /** Decodes a file and computes the bundle's features for it (AudioLoader + FeaturePipeline). */
    @FunctionalInterface
    public interface Featurizer {
        Extraction extract(String location);
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

    /** What a caller does with each result as soon as it is known (print it, send it, collect it). */
    public interface Listener {
        void predicted(Prediction prediction);

        /** An input that could not be listed or predicted; {@code message} is one line naming it. */
        void failed(String input, String message);
    }

    /** How many inputs were predicted and how many failed. */
    public record Summary(int predicted, int failed) {
    }

    /**
     * Predicts every input (folders expanded first), reporting each result to the listener as
     * soon as it is done; one failing file does not stop the others.
     */
    public Summary run(List<String> inputs, Listener listener) {
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
        for (String file : files) {
            try {
                listener.predicted(new Prediction(file, predict(file)));
                predicted++;
            } catch (BadInputException e) {
                listener.failed(file, e.getMessage());
                failed++;
            } catch (RuntimeException e) {
                listener.failed(file, file + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                failed++;
            }
        }
        return new Summary(predicted, failed);
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
