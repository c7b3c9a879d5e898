package ser.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ser.api.Emotion;
import ser.pipeline.model.BundleInfo;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.report.Json;
import ser.pipeline.report.Reports;
import ser.pipeline.store.ExtractorSetting;

/**
 * {@code GET /v1/model}: what a client needs to know about the model behind the server. Read
 * once at start-up; names no server path.
 */
public final class ModelCard {

    /** Keys of the bundle's reports/metrics.json passed on (the confusion matrix and prose stay out). */
    static final List<String> METRIC_KEYS = List.of("accuracy", "uar", "macro_f1", "count", "split", "macro_over", "per_class");

    private ModelCard() {
    }

    /** Backend and the first 12 hex digits of the weights' SHA-256: changes exactly when the model does. */
    public static String modelId(BundleInfo info) {
        String sha = info.weights().values().stream().map(BundleInfo.FileDigest::sha256).sorted().findFirst().orElse("unknown");
        return info.backend() + "-" + sha.substring(0, Math.min(12, sha.length()));
    }

    public static Map<String, Object> of(Path bundleDir, BundleInfo info) {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("id", modelId(info));
        card.put("backend", info.backend());
        List<String> classes = new ArrayList<>();
        for (Emotion e : Emotion.values()) {
            classes.add(e.id());
        }
        card.put("classes", classes);
        card.put("created_at", info.createdAt());
        card.put("sample_rate", info.schema().grid().sampleRate());
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("hash", info.schema().hash());
        schema.put("extractors", info.schema().extractors().stream().map(ExtractorSetting::name).toList());
        schema.put("frame_columns", info.schema().frameColumns().size());
        card.put("feature_schema", schema);
        card.put("input", Map.of("mode", info.input().mode().id(), "frame_step_s", info.input().frameStepSeconds(),
                "max_duration_s", info.input().maxDurationSeconds(), "normalization", info.normalization().mode().id()));
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("epochs_run", info.result().epochsRun());
        training.put("best_epoch", info.result().bestEpoch());
        training.put("split", info.split().kind());
        training.put("counts", info.split().counts());
        training.put("test_metrics", testMetrics(bundleDir));
        card.put("training", training);
        return card;
    }

    private static Map<String, Object> testMetrics(Path bundleDir) {
        Path file = bundleDir.resolve(ModelBundle.REPORTS).resolve(Reports.METRICS_JSON);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode root = Json.MAPPER.readTree(file.toFile());
            Map<String, Object> m = new LinkedHashMap<>();
            for (String k : METRIC_KEYS) {
                if (root.has(k)) {
                    m.put(k, root.get(k));
                }
            }
            return m;
        } catch (IOException e) {
            return null; // the model serves without its report; /v1/model then says null
        }
    }
}
