package ser.pipeline.audio;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeAll;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import ser.api.AudioClip;
import ser.pipeline.BadInputException;

/**
 * Arbitrary bytes as a WAV file: the decoder may only ever answer with a clip or a
 * {@link BadInputException}; any other exception or error is a finding. In a normal test run the
 * seeds in {@code WavDecoderFuzzTestInputs/decode/} run as regression tests; see FUZZING.md to fuzz.
 */
class WavDecoderFuzzTest {

    private static final AudioLoader LOADER = new AudioLoader(16000);

    @BeforeAll
    static void configureJazzer() {
        ser.pipeline.fuzz.JazzerModes.configure();
    }

    @FuzzTest(maxDuration = "5m")
    void decode(byte[] data) throws IOException {
        // Size known (a file), then unknown (a zip entry without sizes): different code paths.
        for (long size : new long[] {data.length, -1}) {
            try {
                AudioClip clip = LOADER.decode(new ByteArrayInputStream(data), size, "fuzz.wav");
                check(clip);
            } catch (BadInputException expected) {
                // a precise refusal is the right answer to garbage
            }
            try {
                AudioInfo info = WavDecoder.probe(new ByteArrayInputStream(data), size, "fuzz.wav");
                if (info.frames() <= 0 || info.channels() <= 0 || info.sampleRate() < WavDecoder.MIN_SAMPLE_RATE) {
                    throw new IllegalStateException("probe accepted a file without audio: " + info);
                }
            } catch (BadInputException expected) {
                // as above
            }
        }
    }

    private static void check(AudioClip clip) {
        if (clip.length() == 0) {
            throw new IllegalStateException("decoded an empty clip");
        }
        for (float v : clip.samples()) {
            if (!(v >= -1f && v <= 1f)) {
                throw new IllegalStateException("sample out of [-1, 1]: " + v);
            }
        }
    }
}
