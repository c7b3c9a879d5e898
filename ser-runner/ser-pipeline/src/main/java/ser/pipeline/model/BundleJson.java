package ser.pipeline.model;

import ser.pipeline.normalize.Normalization;
import ser.pipeline.train.ClassWeights;
import ser.pipeline.train.InputShape;
import ser.pipeline.train.Split;
import ser.pipeline.train.Standardizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import ser.api.ArchitectureSpec;
import ser.api.Emotion;
import ser.api.OptimizerSpec;
import ser.api.TrainingSpec;
import ser.pipeline.store.FeatureSchema;
import ser.pipeline.report.Json;

/**
 * {@code bundle.json}, field by field: the file format is spelled out here rather than derived
 * from class shapes, so renaming a Java field cannot silently change it. Reading names the
 * missing or malformed field.
 */
final class BundleJson {

    static final String FORMAT = "ser-model-bundle";

    /** A field that is missing or has the wrong type. */
    static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    private BundleJson() {
    }

    static ObjectNode write(BundleInfo b) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("format_version", b.formatVersion());
        root.put("backend", b.backend());
        root.put("created_at", b.createdAt());
        ObjectNode versions = root.putObject("versions");
        new TreeMap<>(b.versions()).forEach(versions::put);
        ArrayNode labels = root.putArray("labels");
        for (Emotion e : Emotion.values()) {
            labels.addObject().put("index", e.index()).put("label", e.label()).put("id", e.id());
        }
        ObjectNode input = root.putObject("input");
        input.put("mode", b.input().mode().id());
        input.put("frame_step_s", b.input().frameStepSeconds());
        input.put("max_duration_s", b.input().maxDurationSeconds());
        // What those seconds come to on the bundle's grid, for readers of the file (not read back).
        input.put("pool_frames", b.input().poolFrames(b.schema().grid()));
        input.put("pooling", InputShape.POOLING);
        input.put("max_steps", b.input().maxSteps(b.schema().grid()));
        input.put("long_sequences", InputShape.LONG_SEQUENCES);
        input.put("feature_count", b.featureCount());
        try {
            // The feature store's own schema JSON (with its hash), as schema.json holds it.
            root.set("feature_schema", Json.MAPPER.readTree(b.schema().toJson()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("feature schema JSON", e);
        }
        ObjectNode scaler = root.putObject("scaler");
        scaler.put("fitted_on", "training split only");
        doubles(scaler.putArray("mean"), b.scaler().mean());
        doubles(scaler.putArray("std"), b.scaler().std());
        ObjectNode normalization = root.putObject("normalization");
        normalization.put("mode", b.normalization().mode().id());
        if (b.normalization().fallback() != null) {
            normalization.put("statistics", "each " + b.normalization().mode().id()
                    + "'s own utterances, before the scaler (transductive for unseen speakers)");
            ObjectNode fallback = normalization.putObject("fallback");
            fallback.put("fitted_on", "training split, raw features, all speakers pooled");
            doubles(fallback.putArray("mean"), b.normalization().fallback().mean());
            doubles(fallback.putArray("std"), b.normalization().fallback().std());
        }
        root.set("architecture", architecture(b.architecture()));
        ObjectNode training = training(b.training(), b.optimizer(), b.seed(), b.threads());
        try {
            training.set("backend_settings", Json.MAPPER.readTree(b.backendSettings()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("backend settings are not JSON", e);
        }
        root.set("training", training);
        BundleInfo.SplitInfo s = b.split();
        ObjectNode split = root.putObject("split");
        split.put("kind", s.kind());
        split.put("seed", s.seed());
        split.put("test_fraction", s.testFraction());
        split.put("validation_fraction", s.validationFraction());
        ObjectNode counts = split.putObject("counts");
        for (String part : List.of(Split.TRAIN, Split.VALIDATION, Split.TEST)) {
            counts.put(part, s.counts().getOrDefault(part, 0));
        }
        strings(split.putArray("train_speakers"), s.trainSpeakers());
        strings(split.putArray("validation_speakers"), s.validationSpeakers());
        strings(split.putArray("test_speakers"), s.testSpeakers());
        ObjectNode result = root.putObject("result");
        result.put("epochs_run", b.result().epochsRun());
        result.put("best_epoch", b.result().bestEpoch());
        result.put("stopped_early", b.result().stoppedEarly());
        result.put("seconds", b.result().seconds());
        ObjectNode weights = root.putObject("weights");
        weights.put("dir", ModelBundle.WEIGHTS);
        ObjectNode files = weights.putObject("files");
        new TreeMap<>(b.weights()).forEach((name, d) -> files.putObject(name).put("bytes", d.bytes()).put("sha256", d.sha256()));
        return root;
    }

    /** @param where the bundle.json file, for messages about the embedded feature schema */
    static BundleInfo read(JsonNode root, String where) {
        int version = integer(root, "format_version");
        String backend = text(root, "backend");
        String createdAt = root.path("created_at").asText("");
        Map<String, String> versions = new LinkedHashMap<>();
        root.path("versions").fields().forEachRemaining(e -> versions.put(e.getKey(), e.getValue().asText()));
        JsonNode labels = field(root, "labels");
        if (!labels.isArray() || labels.size() != Emotion.COUNT) {
            throw new Malformed("labels: expected " + Emotion.COUNT + " entries");
        }
        for (JsonNode l : labels) {
            Emotion e = Emotion.ofIndex(integer(l, "index"));
            if (e.label() != integer(l, "label") || !e.id().equals(text(l, "id"))) {
                throw new Malformed("labels: class " + e.index() + " is " + text(l, "id") + " in the bundle, " + e.id() + " here");
            }
        }
        JsonNode input = field(root, "input");
        int featureCount = integer(input, "feature_count");
        FeatureSchema schema = FeatureSchema.fromJson(field(root, "feature_schema").toString(), where + " feature_schema");
        InputShape shape;
        try {
            InputShape.Mode mode = InputShape.Mode.ofId(text(input, "mode"));
            if (input.has("max_duration_s")) {
                shape = new InputShape(mode, number(input, "frame_step_s"), number(input, "max_duration_s"));
            } else {
                // Bundles written before the input was set in seconds: a frame cap, one step per frame.
                shape = new InputShape(mode, 0, integer(input, "max_frames") * schema.grid().hopLength()
                        / (double) schema.grid().sampleRate());
            }
            shape.check(schema.grid());
        } catch (IllegalArgumentException | ser.pipeline.UsageException e) {
            throw new Malformed("input: " + e.getMessage());
        }
        JsonNode scalerNode = field(root, "scaler");
        Standardizer scaler;
        try {
            scaler = new Standardizer(doubles(scalerNode, "mean"), doubles(scalerNode, "std"));
        } catch (IllegalArgumentException e) {
            throw new Malformed("scaler: " + e.getMessage());
        }
        if (scaler.width() != featureCount) {
            throw new Malformed("scaler: " + scaler.width() + " columns for " + featureCount + " input features");
        }
        BundleInfo.NormalizationInfo normalization = normalization(root.path("normalization"), featureCount);
        ArchitectureSpec architecture = architecture(field(root, "architecture"));
        JsonNode trainingNode = field(root, "training");
        TrainingSpec training = training(trainingNode);
        OptimizerSpec optimizer = optimizer(trainingNode);
        String backendSettings = trainingNode.path("backend_settings").isObject()
                ? trainingNode.get("backend_settings").toString() : "{}";
        JsonNode s = field(root, "split");
        Map<String, Integer> counts = new LinkedHashMap<>();
        s.path("counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
        BundleInfo.SplitInfo split = new BundleInfo.SplitInfo(text(s, "kind"), field(s, "seed").asLong(),
                number(s, "test_fraction"), number(s, "validation_fraction"), counts, strings(s, "train_speakers"),
                strings(s, "validation_speakers"), strings(s, "test_speakers"));
        JsonNode r = field(root, "result");
        BundleInfo.Result result = new BundleInfo.Result(integer(r, "epochs_run"), integer(r, "best_epoch"),
                field(r, "stopped_early").asBoolean(), r.path("seconds").asDouble());
        Map<String, BundleInfo.FileDigest> weights = new LinkedHashMap<>();
        JsonNode files = field(field(root, "weights"), "files");
        files.fields().forEachRemaining(e -> weights.put(e.getKey(),
                new BundleInfo.FileDigest(field(e.getValue(), "bytes").asLong(), text(e.getValue(), "sha256"))));
        return new BundleInfo(version, backend, createdAt, versions, architecture, training, optimizer,
                field(trainingNode, "seed").asLong(), trainingNode.path("threads").asInt(1), backendSettings, shape, featureCount,
                schema, scaler, split, result, weights, normalization);
    }

    /** The normalization block; a bundle without one (written before it existed) was not normalized. */
    static BundleInfo.NormalizationInfo normalization(JsonNode n, int featureCount) {
        if (n.isMissingNode()) {
            return BundleInfo.NormalizationInfo.OFF;
        }
        Normalization mode;
        try {
            mode = Normalization.parse(text(n, "mode"), "normalization.mode");
        } catch (RuntimeException e) {
            throw new Malformed("normalization: mode must be off, speaker or corpus");
        }
        if (mode == Normalization.OFF) {
            return BundleInfo.NormalizationInfo.OFF;
        }
        JsonNode f = field(n, "fallback");
        Standardizer fallback;
        try {
            fallback = new Standardizer(doubles(f, "mean"), doubles(f, "std"));
        } catch (IllegalArgumentException e) {
            throw new Malformed("normalization.fallback: " + e.getMessage());
        }
        if (fallback.width() != featureCount) {
            throw new Malformed("normalization.fallback: " + fallback.width() + " columns for " + featureCount + " input features");
        }
        return new BundleInfo.NormalizationInfo(mode, fallback);
    }

    static ObjectNode architecture(ArchitectureSpec a) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("gru_units", a.gruUnits());
        n.put("gru_layers", a.gruLayers());
        n.put("bidirectional", a.bidirectional());
        n.put("gru_batch_norm", a.gruBatchNorm());
        ints(n.putArray("residual_layers"), a.residualLayers());
        ArrayNode dropout = n.putArray("gru_dropout");
        a.gruDropout().forEach(dropout::add);
        n.put("attention_heads", a.attentionHeads());
        n.put("attention_key_dim", a.attentionKeyDim());
        n.put("pooling_units", a.poolingUnits());
        ints(n.putArray("dense_units"), a.denseUnits());
        n.put("dense_l2", a.denseL2());
        n.put("dense_batch_norm", a.denseBatchNorm());
        n.put("dense_dropout", a.denseDropout());
        n.put("classes", a.classes());
        return n;
    }

    static ArchitectureSpec architecture(JsonNode n) {
        List<Double> dropout = new ArrayList<>();
        for (double d : doubles(n, "gru_dropout")) {
            dropout.add(d);
        }
        try {
            return new ArchitectureSpec(integer(n, "gru_units"), integer(n, "gru_layers"), field(n, "bidirectional").asBoolean(),
                    field(n, "gru_batch_norm").asBoolean(), intList(n, "residual_layers"), dropout, integer(n, "attention_heads"),
                    integer(n, "attention_key_dim"), integer(n, "pooling_units"), intList(n, "dense_units"), number(n, "dense_l2"),
                    field(n, "dense_batch_norm").asBoolean(), number(n, "dense_dropout"), integer(n, "classes"));
        } catch (IllegalArgumentException e) {
            throw new Malformed("architecture: " + e.getMessage());
        }
    }

    static ObjectNode training(TrainingSpec t, OptimizerSpec o, long seed, int threads) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("batch_size", t.batchSize());
        n.put("max_epochs", t.maxEpochs());
        n.put("learning_rate", t.learningRate());
        n.put("clip_norm", o.clipNorm());
        ObjectNode adam = n.putObject("adam");
        adam.put("beta1", o.beta1());
        adam.put("beta2", o.beta2());
        adam.put("epsilon", o.epsilon());
        n.put("patience", t.patience());
        n.put("lr_decay", t.lrDecay());
        n.put("lr_decay_start_epoch", t.lrDecayStartEpoch());
        n.put("noise_std", t.noiseStd());
        n.put("length_buckets", t.lengthBuckets());
        n.put("class_weights", t.classWeights().id());
        n.put("seed", seed);
        n.put("threads", threads);
        return n;
    }

    static TrainingSpec training(JsonNode n) {
        try {
            TrainingSpec.ClassWeights weights = switch (n.path("class_weights").asText("none")) {
                case "none" -> TrainingSpec.ClassWeights.NONE;
                case "balanced" -> TrainingSpec.ClassWeights.BALANCED;
                default -> throw new Malformed("training: unknown class_weights " + n.path("class_weights"));
            };
            return new TrainingSpec(integer(n, "batch_size"), integer(n, "max_epochs"), number(n, "learning_rate"),
                    integer(n, "patience"), number(n, "lr_decay"), integer(n, "lr_decay_start_epoch"), number(n, "noise_std"),
                    n.path("length_buckets").asBoolean(false), weights);
        } catch (IllegalArgumentException e) {
            throw new Malformed("training: " + e.getMessage());
        }
    }

    static OptimizerSpec optimizer(JsonNode n) {
        JsonNode adam = n.path("adam");
        try {
            return new OptimizerSpec(adam.path("beta1").asDouble(OptimizerSpec.DEFAULT.beta1()),
                    adam.path("beta2").asDouble(OptimizerSpec.DEFAULT.beta2()),
                    adam.path("epsilon").asDouble(OptimizerSpec.DEFAULT.epsilon()), number(n, "clip_norm"));
        } catch (IllegalArgumentException e) {
            throw new Malformed("training: " + e.getMessage());
        }
    }

    private static JsonNode field(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            throw new Malformed("missing field '" + name + "'");
        }
        return v;
    }

    private static String text(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isTextual()) {
            throw new Malformed("field '" + name + "' must be a string");
        }
        return v.asText();
    }

    private static int integer(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new Malformed("field '" + name + "' must be an integer");
        }
        return v.asInt();
    }

    private static double number(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isNumber()) {
            throw new Malformed("field '" + name + "' must be a number");
        }
        return v.asDouble();
    }

    private static double[] doubles(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isArray()) {
            throw new Malformed("field '" + name + "' must be an array");
        }
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            if (!v.get(i).isNumber()) {
                throw new Malformed("field '" + name + "' must hold numbers");
            }
            out[i] = v.get(i).asDouble();
        }
        return out;
    }

    private static List<Integer> intList(JsonNode n, String name) {
        JsonNode v = field(n, name);
        List<Integer> out = new ArrayList<>();
        for (JsonNode i : v) {
            out.add(i.asInt());
        }
        return out;
    }

    private static List<String> strings(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isArray()) {
            throw new Malformed("field '" + name + "' must be an array");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode s : v) {
            out.add(s.asText());
        }
        return out;
    }

    private static void doubles(ArrayNode a, double[] values) {
        for (double v : values) {
            a.add(v);
        }
    }

    private static void ints(ArrayNode a, List<Integer> values) {
        values.forEach(a::add);
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }
}
