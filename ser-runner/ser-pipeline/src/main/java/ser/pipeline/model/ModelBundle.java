package ser.pipeline.model;

import ser.pipeline.train.InputShape;
import ser.pipeline.train.TrainSettings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import ser.api.ModelContext;
import ser.api.SequenceModel;
import ser.api.SequenceModelProvider;
import ser.pipeline.BadInputException;
import ser.pipeline.store.FeatureSchema;
import ser.pipeline.plugins.PluginRegistry;
import ser.pipeline.report.Json;

/**
 * A trained model on disk, and loaded. The folder:
 * <pre>
 * MODEL_DIR/
 *   bundle.json     format + version, backend, label map, input mode + frame cap, feature schema
 *                   (with hash), scaler, architecture, training settings, split (kind, seed,
 *                   speaker lists, counts), training result, size + SHA-256 of every weights file,
 *                   ser/Java versions, created-at
 *   weights/        model.safetensors: the canonical parameters ({@link ser.api.ParameterNames}) in
 *                   {@link SafeTensors} format, the same for every backend
 *   split.csv       id, speaker, emotion, part (train | validation | test) of every utterance
 *   reports/        history.csv, accuracy.png, loss.png, confusion.png, metrics.json,
 *                   test_predictions.csv
 * </pre>
 * Loading checks, each failure a one-line {@link BadInputException} naming the folder: bundle.json
 * present and parseable, a format version this code understands (format 1 bundles, whose
 * weights were backend-specific files, are refused naming the file), the backend installed, every
 * weights file present with its recorded size and checksum (a truncated or corrupt file is
 * named), then the weights' names and shapes against the model the backend builds. Weights are
 * backend-neutral: any installed backend can load a bundle (predict or evaluate with
 * {@code --backend}), and gives the same predictions within float rounding.
 *
 * <p>Predictions of a loaded bundle come from {@link JavaNetwork} on the weights the backend
 * loaded and checked, when {@code ser.inference} is {@code java} and the model is the BiGRU
 * network of its architecture (not the linear backend's); else from the backend.
 */
public final class ModelBundle implements AutoCloseable {

    public static final int FORMAT_VERSION = 2;
    /** The weights file under {@link #WEIGHTS}. */
    public static final String WEIGHTS_FILE = "model.safetensors";
    public static final String BUNDLE_JSON = "bundle.json";
    public static final String WEIGHTS = "weights";
    public static final String SPLIT_CSV = "split.csv";
    public static final String REPORTS = "reports";

    /** Sequences standardized and predicted at once. */
    public static final int PREDICT_CHUNK = 64;

    private final Path dir;
    private final BundleInfo info;
    private final SequenceModel model;
    private final JavaNetwork network;

    /** A bundle whose backend predicts. */
    public ModelBundle(Path dir, BundleInfo info, SequenceModel model) {
        this(dir, info, model, null);
    }

    private ModelBundle(Path dir, BundleInfo info, SequenceModel model, JavaNetwork network) {
        this.dir = dir;
        this.info = info;
        this.model = model;
        this.network = network;
    }

    public Path dir() {
        return dir;
    }

    public BundleInfo info() {
        return info;
    }

    public SequenceModel model() {
        return model;
    }

    /** What computes the predictions: {@code java}, or the backend's name. */
    public String inference() {
        return network != null ? Inference.JAVA.id() : model.backend();
    }

    public FeatureSchema schema() {
        return info.schema();
    }

    public InputShape input() {
        return info.input();
    }

    /**
     * Class probabilities for shaped (see {@link InputShape}), not yet standardized inputs: the
     * bundle's scaler is applied here.
     */
    public float[][] predict(List<float[][]> shaped) {
        float[][] out = new float[shaped.size()][];
        for (int from = 0; from < shaped.size(); from += PREDICT_CHUNK) {
            int to = Math.min(shaped.size(), from + PREDICT_CHUNK);
            List<float[][]> chunk = info.scaler().applyAll(shaped.subList(from, to));
            float[][] p = network != null ? network.probabilities(chunk) : model.predict(chunk);
            if (p.length != chunk.size()) {
                throw new IllegalStateException("backend " + info.backend() + " returned " + p.length + " predictions for "
                        + chunk.size() + " inputs");
            }
            System.arraycopy(p, 0, out, from, p.length);
        }
        return out;
    }

    /** Throws, naming both hashes, when features of {@code schema} cannot be fed to this model. */
    public void requireSchema(FeatureSchema schema, String where) {
        if (!info.schema().hash().equals(schema.hash())) {
            throw new BadInputException(where, "feature schema " + schema.hash() + " differs from the model's "
                    + info.schema().hash() + " (" + dir + " was trained on other features; re-extract with the model's settings)");
        }
    }

    @Override
    public void close() {
        model.close();
    }

    // ---------------------------------------------------------------- writing

    /** Saves the weights into {@code dir/weights} and writes {@code dir/bundle.json} with their digests. */
    public static BundleInfo save(Path dir, BundleInfo info, SequenceModel model) throws IOException {
        Path weights = dir.resolve(WEIGHTS);
        Files.createDirectories(weights);
        Map<String, float[]> values = model.parameters();
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        model.parameterShapes().forEach((name, shape) -> tensors.put(name, new SafeTensors.Tensor(shape, values.get(name))));
        SafeTensors.write(weights.resolve(WEIGHTS_FILE), tensors, Map.of("format", "pt", "backend", info.backend(),
                "engine", model.engineVersion()));
        BundleInfo complete = info.withWeights(digest(weights));
        Json.write(dir.resolve(BUNDLE_JSON), BundleJson.write(complete));
        return complete;
    }

    /** ser and Java versions, for bundle.json. */
    public static Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("ser", serVersion());
        v.put("java", System.getProperty("java.version"));
        v.put("java_vendor", System.getProperty("java.vendor", ""));
        return v;
    }

    public static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String serVersion() {
        String v = ModelBundle.class.getPackage().getImplementationVersion();
        if (v != null) {
            return v;
        }
        try (InputStream in = ModelBundle.class.getResourceAsStream("/META-INF/maven/ser/ser-runner/pom.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                return p.getProperty("version", "dev");
            }
        } catch (IOException e) {
            // fall through
        }
        return "dev";
    }

    public static String render(Config settings) {
        return settings.root().render(ConfigRenderOptions.concise());
    }

    /** Size and SHA-256 of every regular file under {@code dir}, by relative path with forward slashes. */
    static Map<String, BundleInfo.FileDigest> digest(Path dir) throws IOException {
        Map<String, BundleInfo.FileDigest> files = new TreeMap<>();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path p : paths) {
            String name = dir.relativize(p).toString().replace('\\', '/');
            files.put(name, new BundleInfo.FileDigest(Files.size(p), sha256(p)));
        }
        return files;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    // ---------------------------------------------------------------- reading

    /** Reads and checks {@code bundle.json} (not the weights). */
    public static BundleInfo readInfo(Path dir) {
        String where = dir.toString();
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(where, "no such model folder");
        }
        Path file = dir.resolve(BUNDLE_JSON);
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new BadInputException(where, "not a model bundle: no " + BUNDLE_JSON);
        } catch (JsonProcessingException e) {
            throw new BadInputException(where, BUNDLE_JSON + " is not valid JSON (truncated?): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInputException(where, "cannot read " + BUNDLE_JSON + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || !BundleJson.FORMAT.equals(root.path("format").asText())) {
            throw new BadInputException(where, BUNDLE_JSON + " is not a ser model bundle (format is not '" + BundleJson.FORMAT + "')");
        }
        JsonNode version = root.path("format_version");
        if (!version.isIntegralNumber()) {
            throw new BadInputException(where, BUNDLE_JSON + ": missing format_version");
        }
        if (version.asInt() > FORMAT_VERSION) {
            throw new BadInputException(where, "bundle format version " + version.asInt() + " is newer than this ser reads ("
                    + FORMAT_VERSION + "); use a newer ser");
        }
        if (version.asInt() < 1) {
            throw new BadInputException(where, "bad bundle format version " + version.asInt());
        }
        if (version.asInt() == 1) {
            String weightsFile = root.path("weights").path("files").fieldNames().hasNext()
                    ? WEIGHTS + "/" + root.path("weights").path("files").fieldNames().next() : WEIGHTS + "/";
            throw new BadInputException(where, "bundle format 1 keeps backend-specific weights (" + weightsFile
                    + "), which this ser no longer reads; retrain the model (weights are now " + WEIGHTS + "/" + WEIGHTS_FILE + ")");
        }
        try {
            return BundleJson.read(root, file.toString());
        } catch (BundleJson.Malformed | IllegalArgumentException e) {
            throw new BadInputException(where, BUNDLE_JSON + ": " + e.getMessage());
        }
    }

    /** Opens a bundle with the backend it names. */
    public static ModelBundle open(Path dir, PluginRegistry plugins, Config config) {
        return open(dir, plugins, config, null);
    }

    /**
     * Opens a bundle with {@code backend} (null: the one that trained it). The weights are
     * canonical, so any installed backend loads them.
     */
    public static ModelBundle open(Path dir, PluginRegistry plugins, Config config, String backend) {
        BundleInfo info = readInfo(dir);
        String name = backend == null ? info.backend() : backend.trim();
        if (!plugins.backends().containsKey(name)) {
            String known = String.join(", ", new java.util.TreeSet<>(plugins.backends().keySet()));
            throw new BadInputException(dir.toString(), (backend == null ? "trained with backend '" + name + "', which"
                    : "backend '" + name + "'") + " is not installed (installed: " + (known.isEmpty() ? "none" : known) + ")");
        }
        return open(dir, info, plugins.backend(name), config);
    }

    /** Opens a bundle with {@code provider}, the backend that trained it or another. */
    public static ModelBundle open(Path dir, SequenceModelProvider provider, Config config) {
        return open(dir, readInfo(dir), provider, config);
    }

    private static ModelBundle open(Path dir, BundleInfo info, SequenceModelProvider provider, Config config) {
        String where = dir.toString();
        verifyWeights(dir, info);
        Config settings;
        try {
            // The training-time block applies to the backend that trained; another one takes today's config.
            Config current = TrainSettings.backendSettings(config, provider.name());
            settings = provider.name().equals(info.backend())
                    ? ConfigFactory.parseString(info.backendSettings()).withFallback(current) : current;
        } catch (ConfigException e) {
            throw new BadInputException(where, BUNDLE_JSON + ": bad backend settings: " + e.getMessage());
        }
        ModelContext context = new ModelContext(info.architecture(), info.featureCount(), info.optimizer(), info.seed(),
                TrainSettings.threads(config), settings);
        Path file = dir.resolve(WEIGHTS).resolve(WEIGHTS_FILE);
        Map<String, SafeTensors.Tensor> tensors;
        try {
            tensors = SafeTensors.read(file);
        } catch (IOException e) {
            throw new BadInputException(where, "cannot read the weights: " + e.getMessage(), e);
        }
        SequenceModel model = provider.create(context);
        try {
            restore(model, tensors, WEIGHTS + "/" + WEIGHTS_FILE);
        } catch (RuntimeException e) {
            model.close();
            throw new BadInputException(where, "backend " + provider.name() + " cannot load the weights: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        JavaNetwork network = null;
        if (Inference.from(config) == Inference.JAVA
                && sameShapes(model.parameterShapes(), JavaNetwork.parameterShapes(info.architecture(), info.featureCount()))) {
            network = new JavaNetwork(info.architecture(), info.featureCount(), model.parameters());
        }
        return new ModelBundle(dir, info, model, network);
    }

    private static boolean sameShapes(Map<String, long[]> a, Map<String, long[]> b) {
        return a.keySet().equals(b.keySet()) && a.entrySet().stream().allMatch(e -> java.util.Arrays.equals(e.getValue(), b.get(e.getKey())));
    }

    /** Checks names and shapes against the model's own, then loads the values. */
    private static void restore(SequenceModel model, Map<String, SafeTensors.Tensor> tensors, String file) {
        Map<String, long[]> shapes = model.parameterShapes();
        java.util.TreeSet<String> missing = new java.util.TreeSet<>(shapes.keySet());
        missing.removeAll(tensors.keySet());
        java.util.TreeSet<String> extra = new java.util.TreeSet<>(tensors.keySet());
        extra.removeAll(shapes.keySet());
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new IllegalArgumentException(file + ": parameters do not match the architecture; missing " + missing
                    + ", unexpected " + extra);
        }
        Map<String, float[]> values = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> {
            SafeTensors.Tensor t = tensors.get(name);
            if (!java.util.Arrays.equals(t.shape(), shape)) {
                throw new IllegalArgumentException(file + ": parameter " + name + " has shape " + java.util.Arrays.toString(t.shape())
                        + ", the architecture needs " + java.util.Arrays.toString(shape));
            }
            values.put(name, t.data());
        });
        model.setParameters(values);
    }

    private static void verifyWeights(Path dir, BundleInfo info) {
        String where = dir.toString();
        Path weights = dir.resolve(WEIGHTS);
        if (!Files.isDirectory(weights)) {
            throw new BadInputException(where, "no " + WEIGHTS + "/ folder (incomplete bundle)");
        }
        if (info.weights().isEmpty()) {
            throw new BadInputException(where, BUNDLE_JSON + " lists no weights files");
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, BundleInfo.FileDigest> e : new TreeMap<>(info.weights()).entrySet()) {
            Path file = weights.resolve(e.getKey()).normalize();
            if (!file.startsWith(weights)) {
                problems.add(e.getKey() + " points outside the bundle");
                continue;
            }
            try {
                long size = Files.size(file);
                long expected = e.getValue().bytes();
                if (size < expected) {
                    problems.add(WEIGHTS + "/" + e.getKey() + " is truncated (" + size + " of " + expected + " bytes)");
                } else if (size != expected) {
                    problems.add(WEIGHTS + "/" + e.getKey() + " has " + size + " bytes, " + expected + " expected");
                } else if (!sha256(file).equalsIgnoreCase(e.getValue().sha256())) {
                    problems.add(WEIGHTS + "/" + e.getKey() + " is corrupt (SHA-256 differs from bundle.json)");
                }
            } catch (NoSuchFileException missing) {
                problems.add(WEIGHTS + "/" + e.getKey() + " is missing");
            } catch (IOException io) {
                problems.add(WEIGHTS + "/" + e.getKey() + ": " + io.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(where, String.join("; ", problems));
        }
    }
}
