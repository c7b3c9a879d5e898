package ser.pipeline.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import ser.api.Emotion;
import ser.pipeline.util.AtomicFiles;

/** The one Jackson configuration for every JSON file ser writes. */
public final class Json {

    /** Pretty-printing mapper; unknown properties are tolerated when reading. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Single-line output, for JSON lines. */
    public static final ObjectMapper COMPACT = JsonMapper.builder().build();

    private Json() {
    }

    /**
     * The eight class probabilities by emotion id, in label order, rounded to 6 decimals: the
     * {@code probabilities} object of every JSON prediction (ser predict, segments, the server).
     */
    public static Map<String, Double> probabilities(float[] p) {
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (Emotion e : Emotion.values()) {
            probabilities.put(e.id(), Math.round(p[e.index()] * 1e6) / 1e6);
        }
        return probabilities;
    }

    public static void write(Path file, Object value) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(value);
        AtomicFiles.write(file, out -> {
            out.write(bytes);
            out.write('\n');
        });
    }
}
