package ser.pipeline.train;

import java.util.Arrays;
import java.util.Locale;
import ser.api.AudioClip;
import ser.api.FrameGrid;
import ser.pipeline.BadInputException;
import ser.pipeline.UsageException;
import ser.pipeline.extract.Extraction;
import ser.pipeline.extract.FeaturePipeline;
import ser.pipeline.store.FeatureSchema;
import ser.pipeline.store.FeatureSet;

/**
 * What a model sees of an utterance, the same in train, evaluate and predict; recorded in the
 * bundle. Durations are in seconds, so they mean the same whatever the frame grid's hop.
 *
 * <p>{@link Mode#SEQUENCE}: the frame tracks, {@code [T][frame columns]}. {@link Mode#UTTERANCE}:
 * the nppdp.csv row (functionals and utterance-level values) as a one-frame sequence
 * {@code [1][utterance columns]}, as the original pipeline fed its network.
 *
 * <p>Input rate ({@code frameStepSeconds}, {@code ser.train.frame-step-s}): consecutive grid
 * frames are averaged in non-overlapping blocks of {@code k = frameStep / hop} frames, one model
 * step per block (0 = one step per grid frame). Averaging rather than stacking: the model's input
 * width, its scaler and its first layer stay those of the features (stacking multiplies the width
 * and the first layer's weights by {@code k}), averaging smooths frame-level noise, and 40-80 ms
 * steps still resolve syllables, which is finer than emotion varies. A last, shorter block is
 * averaged over the frames it has: the end of an utterance is not dropped, so a sequence of
 * {@code T} frames gives {@code ceil(T / k)} steps.
 *
 * <p>Long sequences ({@code maxDurationSeconds}, {@code ser.train.max-duration-s}): a sequence of
 * more than {@code maxDuration / step} steps is cut to its middle steps
 * ({@code start = (steps - max) / 2}), after pooling. Cropping keeps the input rate the recurrent
 * layers were trained on (striding would change it per utterance), and the middle of a clip is
 * where the speech is; the cost is that only the middle of a long file is heard. 0 disables the
 * cap.
 */
public record InputShape(Mode mode, double frameStepSeconds, double maxDurationSeconds) {

    /** Long sequences are centre-cropped; recorded in the bundle. */
    public static final String LONG_SEQUENCES = "center-crop";

    /** How blocks of frames become one step; recorded in the bundle. */
    public static final String POOLING = "mean";

    /** Tolerance when checking that the step is a whole number of hops (seconds are decimals). */
    private static final double WHOLE = 1e-6;

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
        if (mode == null) {
            throw new IllegalArgumentException("input mode must not be null");
        }
        if (!(frameStepSeconds >= 0) || Double.isInfinite(frameStepSeconds)) {
            throw new IllegalArgumentException("frame step must be >= 0 s, got " + frameStepSeconds);
        }
        if (!(maxDurationSeconds >= 0) || Double.isInfinite(maxDurationSeconds)) {
            throw new IllegalArgumentException("max duration must be >= 0 s, got " + maxDurationSeconds);
        }
    }

    /** One step per grid frame, sequences of at most {@code maxDurationSeconds}. */
    public static InputShape sequence(double maxDurationSeconds) {
        return new InputShape(Mode.SEQUENCE, 0, maxDurationSeconds);
    }

    /**
     * Grid frames per model step on {@code grid}: 1 when the step is 0 or the hop.
     *
     * @throws UsageException when the step is not a whole number of hops
     */
    public int poolFrames(FrameGrid grid) {
        if (mode == Mode.UTTERANCE || frameStepSeconds == 0) {
            return 1;
        }
        double hop = hopSeconds(grid);
        double ratio = frameStepSeconds / hop;
        long k = Math.round(ratio);
        if (k < 1 || Math.abs(ratio - k) > WHOLE * Math.max(1, ratio)) {
            throw new UsageException(String.format(Locale.ROOT, "%s.frame-step-s: %s s is not a whole number of the grid's "
                    + "hop (%s s = %d samples at %d Hz); use a multiple such as %s s", TrainSettings.TRAIN, frameStepSeconds, hop,
                    grid.hopLength(), grid.sampleRate(), Math.max(1, k) * hop));
        }
        return (int) k;
    }

    /** Seconds per model step on {@code grid}. */
    public double stepSeconds(FrameGrid grid) {
        return poolFrames(grid) * hopSeconds(grid);
    }

    /** Most steps a sequence keeps on {@code grid} (0 = no cap). */
    public int maxSteps(FrameGrid grid) {
        if (mode == Mode.UTTERANCE || maxDurationSeconds == 0) {
            return 0;
        }
        // The small tolerance keeps 3.0 s / 0.01 s at 300 steps despite decimal fractions.
        return Math.max(1, (int) Math.floor(maxDurationSeconds / stepSeconds(grid) + WHOLE));
    }

    /** Checks the settings against {@code grid} (a step that is not a whole number of hops fails). */
    public void check(FrameGrid grid) {
        poolFrames(grid);
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
        return shape(features.sequence(index), features.schema().grid(), features.utterances().get(index).id());
    }

    /**
     * The features of {@code clip} that this shape reads: the frames alone for
     * {@link Mode#SEQUENCE} ({@link FeaturePipeline#extractFrames}: no functionals or
     * utterance-level values are computed), everything for {@link Mode#UTTERANCE}.
     *
     * @param where named in error messages
     */
    public Extraction features(FeaturePipeline pipeline, AudioClip clip, String where) {
        return mode == Mode.SEQUENCE ? pipeline.extractFrames(clip, where) : pipeline.extract(clip, where);
    }

    /** A fresh extraction on {@code grid}, shaped (not standardized). */
    public float[][] of(Extraction extraction, FrameGrid grid, String location) {
        if (mode == Mode.UTTERANCE) {
            return new float[][] {extraction.utteranceVector()};
        }
        return shape(extraction.frames(), grid, location);
    }

    private float[][] shape(float[][] frames, FrameGrid grid, String where) {
        if (frames.length == 0) {
            throw new BadInputException(where, "no feature frames (audio shorter than one frame?)");
        }
        return cap(pool(frames, poolFrames(grid)), maxSteps(grid));
    }

    /**
     * {@code frames} averaged in consecutive blocks of {@code k} (the last block over the frames
     * it has); {@code frames} itself when {@code k} is 1.
     */
    public static float[][] pool(float[][] frames, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("pool size must be >= 1, got " + k);
        }
        if (k == 1) {
            return frames;
        }
        int steps = (frames.length + k - 1) / k;
        float[][] out = new float[steps][];
        for (int s = 0; s < steps; s++) {
            int from = s * k;
            int to = Math.min(frames.length, from + k);
            int width = frames[from].length;
            // Sum in double: blocks are short, but the result should not depend on summation order.
            double[] sum = new double[width];
            for (int t = from; t < to; t++) {
                float[] frame = frames[t];
                for (int f = 0; f < width; f++) {
                    sum[f] += frame[f];
                }
            }
            float[] mean = new float[width];
            int n = to - from;
            for (int f = 0; f < width; f++) {
                mean[f] = (float) (sum[f] / n);
            }
            out[s] = mean;
        }
        return out;
    }

    /** The middle {@code maxSteps} steps of {@code steps} (all of them when shorter or max is 0). */
    public static float[][] cap(float[][] steps, int maxSteps) {
        if (maxSteps <= 0 || steps.length <= maxSteps) {
            return steps;
        }
        int start = (steps.length - maxSteps) / 2;
        return Arrays.copyOfRange(steps, start, start + maxSteps);
    }

    private static double hopSeconds(FrameGrid grid) {
        return grid.hopLength() / (double) grid.sampleRate();
    }

    /** For logs: "every 10 ms frame" or "40 ms steps (4 frames averaged)", and the cap. */
    public String describe(FrameGrid grid) {
        if (mode == Mode.UTTERANCE) {
            return mode.id();
        }
        int k = poolFrames(grid);
        String rate = k == 1 ? String.format(Locale.ROOT, "one step per %.0f ms frame", 1000 * hopSeconds(grid))
                : String.format(Locale.ROOT, "%.0f ms steps (%d frames averaged)", 1000 * stepSeconds(grid), k);
        return mode.id() + ", " + rate + (maxDurationSeconds > 0
                ? String.format(Locale.ROOT, ", at most %s s (%d steps)", maxDurationSeconds, maxSteps(grid)) : "");
    }
}
