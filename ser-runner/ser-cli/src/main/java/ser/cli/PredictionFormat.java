package ser.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import ser.api.Emotion;
import ser.pipeline.UsageException;
import ser.pipeline.predict.Prediction;
import ser.pipeline.report.Json;

/** How {@code ser predict} prints a prediction: a fixed-width table, JSON lines or CSV. */
enum PredictionFormat {
    TABLE, JSON, CSV;

    static PredictionFormat parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "table" -> TABLE;
            case "json" -> JSON;
            case "csv" -> CSV;
            default -> throw new UsageException("--format: must be table, json or csv, got '" + name + "'");
        };
    }

    /** The line printed before the first prediction, or null (JSON lines have none). */
    String header() {
        return switch (this) {
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

    String line(Prediction prediction) {
        Emotion emotion = prediction.emotion();
        float[] p = prediction.probabilities();
        return switch (this) {
            case JSON -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("file", prediction.file());
                o.put("emotion", emotion.id());
                o.put("emotion_label", emotion.label());
                o.put("probabilities", Json.probabilities(p));
                yield json(o);
            }
            case CSV -> {
                List<Object> values = new ArrayList<>(List.of(prediction.file(), emotion.id(), emotion.label()));
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
                yield b.append("  ").append(prediction.file()).toString();
            }
        };
    }

    /** One JSON line. */
    static String json(Map<String, Object> object) {
        try {
            return Json.COMPACT.writeValueAsString(object);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
