package ser.pipeline.segment;

import ser.pipeline.predict.ClipScorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.api.AudioClip;
import ser.api.Emotion;
import ser.pipeline.audio.AudioLoader;
import ser.pipeline.audio.TestWav;

/**
 * Segments of generated recordings: tone bursts (the "speech") at known times in low noise, and a
 * scorer that names a segment by its pitch (zero crossings), so that every segment's audio can be
 * checked as well as its times.
 */
class SegmenterTest {

    static final int RATE = 16000;

    @TempDir
    Path tmp;

    static final SegmentSettings DEFAULTS = new SegmentSettings(SegmentSettings.Mode.VAD, 86400, 0.5, 20, 10, 15, 200, 0.3, 10,
            3, 3);

    /** Bursts {start, end, hz} in seconds, the rest noise at -60 dB, {@code total} seconds long. */
    static float[] recording(double total, double[]... bursts) {
        Random rng = new Random(11);
        float[] x = new float[(int) (total * RATE)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.001 * rng.nextGaussian());
        }
        for (double[] b : bursts) {
            for (int i = (int) (b[0] * RATE); i < (int) (b[1] * RATE); i++) {
                x[i] += (float) (0.3 * Math.sin(2 * Math.PI * b[2] * i / RATE));
            }
        }
        return x;
    }

    /** A source over samples in memory, in blocks of 1000, counting how often it is read. */
    static final class MemorySource implements AudioSource {
        final float[] x;
        int reads;

        MemorySource(float[] x) {
            this.x = x;
        }

        @Override
        public long stream(ser.pipeline.audio.SampleSink sink) {
            reads++;
            float[] block = new float[1000];
            for (int at = 0; at < x.length; at += block.length) {
                int n = Math.min(block.length, x.length - at);
                System.arraycopy(x, at, block, 0, n);
                sink.accept(block, n);
            }
            return x.length;
        }
    }

    /**
     * One-hot on the emotion whose index is the pitch of the clip's middle half in hundreds of Hz
     * (200 Hz: index 2); the edges may hold the noise of the hangover.
     */
    static final ClipScorer BY_PITCH = (clip, label) -> {
        float[] all = clip.samples();
        float[] s = java.util.Arrays.copyOfRange(all, all.length / 4, all.length * 3 / 4);
        int crossings = 0;
        for (int i = 1; i < s.length; i++) {
            if ((s[i - 1] < 0) != (s[i] < 0)) {
                crossings++;
            }
        }
        double hz = crossings / 2.0 / (s.length / (double) clip.sampleRate());
        float[] p = new float[Emotion.values().length];
        p[(int) Math.min(p.length - 1, Math.round(hz / 100))] = 1;
        return p;
    };

    static List<Segment> run(SegmentSettings settings, AudioSource source) {
        List<Segment> out = new ArrayList<>();
        new Segmenter(settings, RATE, BY_PITCH).run(source, "rec", out::add);
        return out;
    }

    @Test
    void voiceActivityFindsEachBurstWithItsAudio() {
        MemorySource source = new MemorySource(recording(12, new double[] {1, 3, 200}, new double[] {4.5, 5.5, 400},
                new double[] {8, 11, 700}));
        List<Segment> segments = run(DEFAULTS, source);
        assertThat(source.reads).isEqualTo(2);
        assertThat(segments).hasSize(3);
        double[][] expected = {{1, 3, 2}, {4.5, 5.5, 4}, {8, 11, 7}};
        for (int i = 0; i < 3; i++) {
            Segment s = segments.get(i);
            assertThat(s.start()).as("start %d", i).isCloseTo(expected[i][0], within(0.021));
            // ends after the hangover (0.2 s)
            assertThat(s.end()).as("end %d", i).isCloseTo(expected[i][1] + 0.2, within(0.021));
            assertThat(s.emotion().index()).isEqualTo((int) expected[i][2]);
        }
    }

    @Test
    void shortPausesAreBridgedAndShortBlipsDropped() {
        // 0.2 s pause < hangover + min silence: one segment; a 0.1 s blip (0.3 s with hangover) < 0.5 s: dropped.
        List<Segment> segments = run(DEFAULTS, new MemorySource(recording(8, new double[] {1, 2, 300},
                new double[] {2.2, 3, 300}, new double[] {5, 5.1, 600})));
        assertThat(segments).hasSize(1);
        assertThat(segments.get(0).start()).isCloseTo(1, within(0.021));
        assertThat(segments.get(0).end()).isCloseTo(3.2, within(0.021));
    }

    @Test
    void longSpeechIsCutAtTheMaximumSegmentLength() {
        List<Segment> segments = run(DEFAULTS, new MemorySource(recording(30, new double[] {2, 27, 500})));
        assertThat(segments).extracting(Segment::start).containsExactly(2.0, 12.0, 22.0);
        assertThat(segments.get(0).end()).isCloseTo(12, within(1e-9));
        assertThat(segments.get(2).end()).isCloseTo(27.2, within(0.021));
        assertThat(segments).allSatisfy(s -> assertThat(s.emotion().index()).isEqualTo(5));
    }

    @Test
    void silenceGivesNoSegments() {
        assertThat(run(DEFAULTS, new MemorySource(recording(5)))).isEmpty();
        assertThat(run(DEFAULTS, new MemorySource(new float[RATE * 3]))).isEmpty();
    }

    @Test
    void fixedWindowsCoverTheRecordingAndKeepALongEnoughTail() {
        SegmentSettings fixed = DEFAULTS.withMode(SegmentSettings.Mode.FIXED).withWindow(3, 3);
        MemorySource source = new MemorySource(recording(10.6, new double[] {0, 10.6, 300}));
        List<Segment> segments = run(fixed, source);
        assertThat(source.reads).isEqualTo(1);
        assertThat(segments).extracting(Segment::start).containsExactly(0.0, 3.0, 6.0, 9.0);
        assertThat(segments.get(3).end()).isCloseTo(10.6, within(1e-9));
        // overlapping windows: 2 s every 0.5 s over 4 s = 5 windows; the tail adds nothing new
        List<Segment> overlapping = run(DEFAULTS.withMode(SegmentSettings.Mode.FIXED).withWindow(2, 0.5),
                new MemorySource(recording(4, new double[] {0, 4, 300})));
        assertThat(overlapping).extracting(Segment::start).containsExactly(0.0, 0.5, 1.0, 1.5, 2.0);
    }

    @Test
    void aFileIsStreamedThroughTheLoader() throws Exception {
        float[] x = recording(6, new double[] {1, 2.5, 400});
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        Path wav = tmp.resolve("rec.wav");
        Files.write(wav, TestWav.pcm(16, RATE, d).bytes());
        AudioLoader loader = new AudioLoader(RATE, 1, 10); // whole clips limited to 1 s: streaming is not
        List<Segment> segments = new ArrayList<>();
        double seconds = new Segmenter(DEFAULTS, RATE, BY_PITCH).run(AudioSource.of(loader, wav.toString(), 60), wav.toString(),
                segments::add);
        assertThat(seconds).isCloseTo(6, within(1e-9));
        assertThat(segments).singleElement().satisfies(s -> {
            assertThat(s.start()).isCloseTo(1, within(0.021));
            assertThat(s.emotion().index()).isEqualTo(4);
        });
    }

    @Test
    void slidingWindowSkipsWhenTheHopExceedsTheWindow() {
        List<long[]> windows = new ArrayList<>();
        SlidingWindow w = new SlidingWindow(3, 5, (x, n, start) -> windows.add(new long[] {start, n, (long) x[0]}));
        float[] ramp = new float[17];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = i;
        }
        w.accept(ramp, 7);
        float[] rest = java.util.Arrays.copyOfRange(ramp, 7, 17);
        w.accept(rest, rest.length);
        w.finish(1);
        assertThat(windows).extracting(a -> a[0]).containsExactly(0L, 5L, 10L, 15L);
        assertThat(windows).extracting(a -> a[2]).containsExactly(0L, 5L, 10L, 15L);
        assertThat(windows.get(3)[1]).isEqualTo(2);
    }

    @Test
    void scorerGetsTheSegmentAudioAndItsLabel() {
        List<String> labels = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        ClipScorer recording = (AudioClip clip, String label) -> {
            labels.add(label);
            lengths.add(clip.length());
            return new float[8];
        };
        new Segmenter(DEFAULTS.withMode(SegmentSettings.Mode.FIXED), RATE, recording).run(new MemorySource(new float[RATE * 4]),
                "talk.mp3", s -> { });
        assertThat(labels).containsExactly("talk.mp3 [0.00-3.00 s]", "talk.mp3 [3.00-4.00 s]");
        assertThat(lengths).containsExactly(3 * RATE, RATE);
    }

    @Test
    void commandOptionsBecomeTheSegmentSettingsTheyStandFor() {
        com.typesafe.config.Config reference = com.typesafe.config.ConfigFactory.defaultReference();
        java.util.function.Function<List<String>, SegmentSettings> apply = o -> SegmentSettings.from(
                com.typesafe.config.ConfigFactory.parseString(String.join("\n", o)).withFallback(reference).resolve());
        assertThat(SegmentSettings.overrides(null, null, null)).isEmpty();
        assertThat(apply.apply(SegmentSettings.overrides(" FIXED ", null, null)).mode()).isEqualTo(SegmentSettings.Mode.FIXED);
        // A window alone means fixed windows hopping by themselves; a hop alone keeps the window setting.
        SegmentSettings window = apply.apply(SegmentSettings.overrides("vad", 2.5, null));
        assertThat(window.mode()).isEqualTo(SegmentSettings.Mode.FIXED);
        assertThat(window.windowS()).isEqualTo(2.5);
        assertThat(window.hopS()).isEqualTo(2.5);
        SegmentSettings hop = apply.apply(SegmentSettings.overrides(null, null, 0.25));
        assertThat(hop.mode()).isEqualTo(SegmentSettings.Mode.FIXED);
        assertThat(hop.windowS()).isEqualTo(reference.getDouble(SegmentSettings.PATH + ".fixed.window-s"));
        assertThat(hop.hopS()).isEqualTo(0.25);
    }
}
