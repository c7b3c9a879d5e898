package ser.pipeline.segment;

import java.util.Arrays;

/**
 * Energy-based voice activity on a stream, in two passes over the same recording: the first
 * ({@link Levels}) collects a histogram of frame levels, whose percentile is the recording's
 * noise floor; the second ({@link Cutter}) marks frames louder than floor + threshold as speech,
 * extends speech by a hangover, bridges pauses shorter than the minimum silence, cuts speech
 * longer than the maximum segment, and hands each segment's samples on. Memory: one frame, a
 * fixed histogram and the current segment (at most the maximum segment length).
 */
final class VoiceActivity {

    /** Levels below this are digital silence (dB relative to full scale). */
    static final double FLOOR_DB = -120;
    private static final double BIN_DB = 0.25;

    private VoiceActivity() {
    }

    /** A frame's RMS level in dB full scale, at least {@link #FLOOR_DB}. */
    static double levelDb(float[] x, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += x[i] * (double) x[i];
        }
        return Math.max(FLOOR_DB, 10 * Math.log10(sum / Math.max(1, n) + 1e-30));
    }

    /** Groups a stream into frames of {@code size} samples (the last one may be shorter). */
    abstract static class Framer {
        final int size;
        private final float[] frame;
        private int filled;

        Framer(int size) {
            this.size = size;
            this.frame = new float[size];
        }

        final void accept(float[] x, int n) {
            int i = 0;
            while (i < n) {
                int k = Math.min(size - filled, n - i);
                System.arraycopy(x, i, frame, filled, k);
                filled += k;
                i += k;
                if (filled == size) {
                    frame(frame, size);
                    filled = 0;
                }
            }
        }

        final void finish() {
            if (filled > 0) {
                frame(frame, filled);
                filled = 0;
            }
            end();
        }

        abstract void frame(float[] x, int n);

        abstract void end();
    }

    /** First pass: the histogram of frame levels. */
    static final class Levels extends Framer {
        private final long[] bins = new long[(int) Math.ceil(-FLOOR_DB / BIN_DB) + 1];
        private long frames;

        Levels(int frameSize) {
            super(frameSize);
        }

        @Override
        void frame(float[] x, int n) {
            int bin = (int) Math.round((levelDb(x, n) - FLOOR_DB) / BIN_DB);
            bins[Math.min(bins.length - 1, Math.max(0, bin))]++;
            frames++;
        }

        @Override
        void end() {
        }

        /** The level below which {@code percent} % of the frames lie (dB). */
        double percentile(double percent) {
            if (frames == 0) {
                return FLOOR_DB;
            }
            long rank = (long) Math.ceil(percent / 100.0 * frames);
            long seen = 0;
            for (int b = 0; b < bins.length; b++) {
                seen += bins[b];
                if (seen >= Math.max(1, rank)) {
                    return FLOOR_DB + b * BIN_DB;
                }
            }
            return 0;
        }
    }

    /** Receives one segment: its samples and its first sample's index in the stream. */
    interface SegmentSink {
        void segment(float[] samples, int count, long start);
    }

    /** Second pass: speech frames grouped into segments. */
    static final class Cutter extends Framer {
        private final double threshold;
        private final int hangoverFrames;
        private final int silenceFrames;
        private final int maxFrames;
        private final SegmentSink sink;
        private float[] audio;
        private int audioLength;
        private long frameIndex;
        /** Frame index of the segment's first frame, -1 outside a segment. */
        private long segmentStart = -1;
        private long lastLoud;

        Cutter(int frameSize, double thresholdDbFs, int hangoverFrames, int silenceFrames, int maxFrames, SegmentSink sink) {
            super(frameSize);
            this.threshold = thresholdDbFs;
            this.hangoverFrames = hangoverFrames;
            this.silenceFrames = silenceFrames;
            this.maxFrames = Math.max(1, maxFrames);
            this.sink = sink;
            this.audio = new float[frameSize * 16];
        }

        @Override
        void frame(float[] x, int n) {
            boolean loud = levelDb(x, n) >= threshold;
            if (loud) {
                lastLoud = frameIndex;
                if (segmentStart < 0) {
                    segmentStart = frameIndex;
                    audioLength = 0;
                }
            }
            if (segmentStart >= 0) {
                append(x, n);
                long quiet = frameIndex - lastLoud;
                if (quiet >= hangoverFrames + silenceFrames) {
                    // The pause is long enough: the segment ends after the hangover.
                    emit((int) Math.min(audioLength, (lastLoud - segmentStart + 1 + hangoverFrames) * size));
                } else if (frameIndex - segmentStart + 1 >= maxFrames) {
                    emit(audioLength);
                }
            }
            frameIndex++;
        }

        @Override
        void end() {
            if (segmentStart >= 0) {
                emit((int) Math.min(audioLength, (lastLoud - segmentStart + 1 + hangoverFrames) * size));
            }
        }

        private void append(float[] x, int n) {
            if (audioLength + n > audio.length) {
                audio = Arrays.copyOf(audio, Math.max(audio.length * 2, audioLength + n));
            }
            System.arraycopy(x, 0, audio, audioLength, n);
            audioLength += n;
        }

        private void emit(int count) {
            sink.segment(audio, count, segmentStart * size);
            segmentStart = -1;
            audioLength = 0;
        }
    }
}
