package ser.api;

/**
 * The one frame grid every extractor reports on, so that all frame tracks of an utterance line
 * up row for row. {@code centered} follows librosa's {@code center=True}: frame {@code i} is
 * centred on sample {@code i * hop}, and samples outside the signal read as zero.
 *
 * @param sampleRate  samples per second of the decoded audio
 * @param frameLength analysis window in samples (librosa's {@code n_fft})
 * @param hopLength   samples between frame starts
 * @param centered    whether frames are centred on {@code i * hop} (zero padded) or start there
 */
public record FrameGrid(int sampleRate, int frameLength, int hopLength, boolean centered) {

    public FrameGrid {
        if (sampleRate <= 0 || frameLength <= 0 || hopLength <= 0) {
            throw new IllegalArgumentException("frame grid sizes must be positive: rate=" + sampleRate
                    + " frame=" + frameLength + " hop=" + hopLength);
        }
    }

    /** Number of frames for a signal of {@code numSamples} samples. */
    public int frameCount(int numSamples) {
        if (centered) {
            return numSamples <= 0 ? 0 : 1 + numSamples / hopLength;
        }
        return numSamples < frameLength ? 0 : 1 + (numSamples - frameLength) / hopLength;
    }

    /** Index in the signal of the first sample of frame {@code frame} (negative when centred). */
    public int frameStart(int frame) {
        return frame * hopLength - (centered ? frameLength / 2 : 0);
    }

    /** Index in the signal of the sample frame {@code frame} is centred on. */
    public int frameCenter(int frame) {
        return frameStart(frame) + frameLength / 2;
    }

    /** Time in seconds of the centre of frame {@code frame}. */
    public double frameTimeSeconds(int frame) {
        return frameCenter(frame) / (double) sampleRate;
    }

    /**
     * Copies {@code dest.length} samples starting at {@code start} into {@code dest}, reading
     * zeros outside the signal. Extractors with a longer analysis window than the grid's use
     * this with {@code start = frameCenter(i) - window / 2}.
     */
    public static void copyWindow(float[] signal, int start, float[] dest) {
        int n = dest.length;
        int from = Math.max(0, start);
        int to = Math.min(signal.length, start + n);
        java.util.Arrays.fill(dest, 0f);
        if (to > from) {
            System.arraycopy(signal, from, dest, from - start, to - from);
        }
    }

    /** Copies frame {@code frame} (frameLength samples, zero padded) into {@code dest}. */
    public void copyFrame(float[] signal, int frame, float[] dest) {
        if (dest.length != frameLength) {
            throw new IllegalArgumentException("frame buffer must hold " + frameLength + " samples");
        }
        copyWindow(signal, frameStart(frame), dest);
    }
}
