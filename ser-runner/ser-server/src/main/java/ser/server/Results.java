package ser.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ser.api.Emotion;
import ser.pipeline.report.Json;
import ser.pipeline.report.Metrics;

/** The JSON shapes of predictions, written in one place for every endpoint and the stream. */
final class Results {

    private Results() {
    }

    /** {@code emotion} and all eight {@code probabilities}, in label order. */
    static Map<String, Object> probabilities(float[] p) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("emotion", Emotion.ofIndex(Metrics.argmax(p)).id());
        o.put("probabilities", Json.probabilities(p));
        return o;
    }

    static Map<String, Object> prediction(float[] p, double durationSeconds, String modelId) {
        Map<String, Object> o = probabilities(p);
        o.put("duration_s", round(durationSeconds));
        o.put("model", modelId);
        return o;
    }

    static Map<String, Object> window(double start, double end, float[] p) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("start_s", round(start));
        o.put("end_s", round(end));
        o.putAll(probabilities(p));
        return o;
    }

    static Map<String, Object> segments(List<Map<String, Object>> segments, double durationSeconds, String modelId) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("duration_s", round(durationSeconds));
        o.put("model", modelId);
        o.put("segments", segments);
        return o;
    }

    static Map<String, Object> error(String message) {
        return Map.of("error", message);
    }

    static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
