package ser.pipeline.segment;

import ser.pipeline.predict.ClipScorer;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import ser.api.AudioClip;

/**
 * Long recordings in, one prediction per segment out, in order, as each segment is done:
 * segments are cut by energy-based voice activity ({@link VoiceActivity}) or as fixed windows
 * ({@link SlidingWindow}), per {@link SegmentSettings}, and each is scored on its own
 * ({@link ClipScorer}). The recording is streamed ({@link AudioSource}) and never held whole:
 * memory is the current segment, whatever the recording's length. Voice activity reads the
 * source twice (its noise floor is a percentile of the whole recording's frame levels).
 *
 * <p>Use: {@code new Segmenter(settings, loader.sampleRate(), scorer).run(source, "talk.mp3",
 * segment -> ...)}. Not thread-safe (the scorer is not); one instance per thread.
 */
public final class Segmenter {

    private final SegmentSettings settings;
    private final int sampleRate;
    private final ClipScorer scorer;

    public Segmenter(SegmentSettings settings, int sampleRate, ClipScorer scorer) {
        this.settings = settings;
        this.sampleRate = sampleRate;
        this.scorer = scorer;
    }

    public SegmentSettings settings() {
        return settings;
    }

    /**
     * Segments a recording and scores every segment; {@code out} gets them in time order.
     *
     * @param label names the recording in errors (a segment's error names its time span too)
     * @return the recording's duration in seconds
     */
    public double run(AudioSource source, String label, Consumer<Segment> out) {
        int minCount = (int) Math.ceil(settings.minSegmentS() * sampleRate);
        long total;
        if (settings.mode() == SegmentSettings.Mode.FIXED) {
            int window = samples(settings.windowS());
            int hop = samples(settings.hopS());
            SlidingWindow windows = new SlidingWindow(window, hop, (x, n, start) -> score(x, n, start, label, out));
            total = source.stream(windows::accept);
            windows.finish(minCount);
        } else {
            int frame = Math.max(1, samples(settings.frameMs() / 1000));
            VoiceActivity.Levels levels = new VoiceActivity.Levels(frame);
            source.stream(levels::accept);
            levels.finish();
            double threshold = levels.percentile(settings.floorPercentile()) + settings.thresholdDb();
            VoiceActivity.Cutter cutter = new VoiceActivity.Cutter(frame, threshold,
                    (int) Math.round(settings.hangoverMs() / settings.frameMs()),
                    (int) Math.round(settings.minSilenceS() * 1000 / settings.frameMs()),
                    (int) Math.floor(settings.maxSegmentS() * 1000 / settings.frameMs()), (x, n, start) -> {
                        if (n >= minCount) {
                            score(x, n, start, label, out);
                        }
                    });
            total = source.stream(cutter::accept);
            cutter.finish();
        }
        return total / (double) sampleRate;
    }

    private void score(float[] x, int n, long start, String label, Consumer<Segment> out) {
        double from = start / (double) sampleRate;
        double to = (start + n) / (double) sampleRate;
        String where = String.format(Locale.ROOT, "%s [%.2f-%.2f s]", label, from, to);
        float[] p = scorer.probabilities(new AudioClip(Arrays.copyOf(x, n), sampleRate), where);
        out.accept(new Segment(from, to, p));
    }

    private int samples(double seconds) {
        return (int) Math.max(1, Math.round(seconds * sampleRate));
    }
}
