package ser.pipeline.predict;

import java.util.ArrayList;
import java.util.List;
import ser.api.AudioClip;

/**
 * Windows of {@code window} seconds every {@code hop} seconds from the start. A clip shorter
 * than one window is one segment. Audio after the last window is covered by one more full-length
 * window ending at the clip's end (so every segment is predicted on as much audio as the others)
 * when it is at least half a hop: a few stray samples do not earn a segment of their own.
 */
public record FixedWindowSegmenter(double windowSeconds, double hopSeconds) implements Segmenter {

    public FixedWindowSegmenter {
        if (!(windowSeconds > 0) || !(hopSeconds > 0) || hopSeconds > windowSeconds) {
            throw new IllegalArgumentException("windows: need 0 < hop <= window, got window " + windowSeconds + " s, hop "
                    + hopSeconds + " s");
        }
    }

    @Override
    public List<Segment> segments(AudioClip clip) {
        int n = clip.length();
        if (n == 0) {
            return List.of();
        }
        int window = Math.max(1, (int) Math.round(windowSeconds * clip.sampleRate()));
        int hop = Math.max(1, (int) Math.round(hopSeconds * clip.sampleRate()));
        if (n <= window) {
            return List.of(new Segment(0, n));
        }
        List<Segment> out = new ArrayList<>();
        int start = 0;
        for (; start + window <= n; start += hop) {
            out.add(new Segment(start, start + window));
        }
        int covered = out.get(out.size() - 1).end();
        if (n - covered >= hop / 2) {
            out.add(new Segment(Math.max(0, n - window), n));
        }
        return out;
    }
}
