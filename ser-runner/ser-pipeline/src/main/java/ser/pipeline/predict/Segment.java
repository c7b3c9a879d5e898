package ser.pipeline.predict;

/**
 * A stretch of a clip, in samples: {@code [start, end)}.
 */
public record Segment(int start, int end) {

    public Segment {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("bad segment [" + start + ", " + end + ")");
        }
    }

    public int length() {
        return end - start;
    }

    public double startSeconds(int sampleRate) {
        return start / (double) sampleRate;
    }

    public double endSeconds(int sampleRate) {
        return end / (double) sampleRate;
    }
}
