package ser.extractors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The librosa 0.10.2 golden values of /golden/<name>.json (copied from the project's golden reference set). */
final class Golden {

    static final String[] WAVS = {"speech_m_22050", "speech_m_16000", "speech_f_22050",
        "speech_f_48000_stereo24", "chirp_16000", "noise_16000", "silence_16000"};

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Golden() {
    }

    static JsonNode json(String resource) {
        try (InputStream in = Golden.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Feature {@code key} of golden file {@code name} as {@code [row][frame]}. */
    static double[][] feature(JsonNode root, String key) {
        JsonNode f = root.get("features").get(key);
        if (f == null) {
            throw new IllegalArgumentException("no golden feature " + key);
        }
        if (!f.get(0).isArray()) { // 1-D (yin_f0, pyin_f0)
            double[][] out = new double[1][f.size()];
            for (int i = 0; i < f.size(); i++) {
                out[0][i] = f.get(i).asDouble();
            }
            return out;
        }
        double[][] out = new double[f.size()][];
        for (int r = 0; r < f.size(); r++) {
            JsonNode row = f.get(r);
            out[r] = new double[row.size()];
            for (int i = 0; i < row.size(); i++) {
                out[r][i] = row.get(i).asDouble();
            }
        }
        return out;
    }
}
