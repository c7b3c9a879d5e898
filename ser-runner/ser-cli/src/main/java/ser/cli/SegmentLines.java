package ser.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import ser.api.Emotion;
import ser.pipeline.predict.Predictor;
import ser.pipeline.report.Json;
import ser.pipeline.segment.Segment;

/**
 * One line per segment ({@code ser predict --segments}, {@code ser listen}) in the predict
 * formats: table (fixed-width columns, the file last), JSON (one object per line) or CSV.
 */
final class SegmentLines {

    private SegmentLines() {
    }

    /** The header line, or null (JSON has none). */
    static String header(PredictionFormat format) {
        return switch (format) {
            case JSON -> null;
            case CSV -> {
                List<String> h = new ArrayList<>(List.of("file", "start", "end", "emotion", "emotion_label"));
                for (Emotion e : Emotion.values()) {
                    h.add(e.id());
                }
                yield CSVFormat.DEFAULT.format(h.toArray());
            }
            case TABLE -> {
                StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%9s %9s  %-9s", "start", "end", "emotion"));
                for (Emotion e : Emotion.values()) {
                    b.append(String.format(Locale.ROOT, " %8s", e.id()));
                }
                yield b.append("  file").toString();
            }
        };
    }

    static String line(PredictionFormat format, String file, Segment s) {
        Emotion emotion = s.emotion();
        float[] p = s.probabilities();
        return switch (format) {
            case JSON -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("file", file);
                o.put("start", round(s.start(), 1e3));
                o.put("end", round(s.end(), 1e3));
                o.put("emotion", emotion.id());
                o.put("emotion_label", emotion.label());
                o.put("probabilities", Json.probabilities(p));
                yield PredictionFormat.json(o);
            }
            case CSV -> {
                List<Object> values = new ArrayList<>(List.of(file, String.format(Locale.ROOT, "%.3f", s.start()),
                        String.format(Locale.ROOT, "%.3f", s.end()), emotion.id(), emotion.label()));
                for (float v : p) {
                    values.add(String.format(Locale.ROOT, "%.6f", v));
                }
                yield CSVFormat.DEFAULT.format(values.toArray());
            }
            case TABLE -> {
                StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%9.2f %9.2f  %-9s", s.start(), s.end(), emotion.id()));
                for (float v : p) {
                    b.append(String.format(Locale.ROOT, " %8.4f", v));
                }
                yield b.append("  ").append(file).toString();
            }
        };
    }

    private static double round(double v, double scale) {
        return Math.round(v * scale) / scale;
    }
}
