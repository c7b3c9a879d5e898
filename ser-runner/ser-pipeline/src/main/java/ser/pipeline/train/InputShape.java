package ser.pipeline.train;

import java.util.Arrays;
import java.util.Locale;
import ser.pipeline.BadInputException;
import ser.pipeline.extract.Extraction;
import ser.pipeline.store.FeatureSchema;
import ser.pipeline.store.FeatureSet;

/**
 * What a model sees of an utterance, the same in train, evaluate and predict.
 *
 * <p>{@link Mode#SEQUENCE}: the frame tracks, {@code [T][frame columns]}. {@link Mode#UTTERANCE}:
 * the nppdp.csv row (functionals and utterance-level values) as a one-frame sequence
 * {@code [1][utterance columns]}, as the original pipeline fed its network.
 *
 * <p>Long sequences: a sequence of more than {@code maxFrames} frames is cut to its middle
 * {@code maxFrames} frames ({@code start = (T - maxFrames) / 2}). Cropping keeps the frame rate the
 * recurrent layers were trained on (striding would change it per utterance), and the middle of a
 * clip is where the speech is; the cost is that only the middle of a long file is heard.
 * {@code maxFrames = 0} disables the cap.
 */
public record InputShape(Mode mode, int maxFrames) {

    /** Long sequences are centre-cropped; recorded in the bundle. */
    public static final String LONG_SEQUENCES = "center-crop";

    public enum Mode {
        SEQUENCE, UTTERANCE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Mode ofId(String id) {
            return valueOf(id.trim().toUpperCase(Locale.ROOT));
        }
    }

    public InputShape {
        if (maxFrames < 0) {
            throw new IllegalArgumentException("max frames must be >= 0, got " + maxFrames);
        }
    }

    /** Width F of every frame the model sees. */
    public int featureCount(FeatureSchema schema) {
        return mode == Mode.SEQUENCE ? schema.frameColumns().size() : schema.utteranceColumns().size();
    }

    /** Utterance {@code index} of a feature set, shaped (not standardized). */
    public float[][] of(FeatureSet features, int index) {
        if (mode == Mode.UTTERANCE) {
            return new float[][] {features.utteranceVector(index)};
        }
        return shape(features.sequence(index), features.utterances().get(index).id());
    }

    /** A fresh extraction, shaped (not standardized). */
    public float[][] of(Extraction extraction, String location) {
        if (mode == Mode.UTTERANCE) {
            return new float[][] {extraction.utteranceVector()};
        }
        return shape(extraction.frames(), location);
    }

    private float[][] shape(float[][] frames, String where) {
        if (frames.length == 0) {
            throw new BadInputException(where, "no feature frames (audio shorter than one frame?)");
        }
        return cap(frames, maxFrames);
    }

    /** The middle {@code maxFrames} frames of {@code frames} (all of them when shorter or max is 0). */
    public static float[][] cap(float[][] frames, int maxFrames) {
        if (maxFrames <= 0 || frames.length <= maxFrames) {
            return frames;
        }
        int start = (frames.length - maxFrames) / 2;
        return Arrays.copyOfRange(frames, start, start + maxFrames);
    }
}
