package ser.pipeline.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import ser.api.AudioClip;
import ser.api.ExtractorContext;
import ser.api.FeatureExtractor;
import ser.api.FeatureExtractorProvider;
import ser.api.FeatureTrack;
import ser.api.FrameGrid;

/** Test-only extractor providers, registered in src/test/resources/META-INF/services. */
public final class TestExtractors {

    /** A clip of exactly this many samples makes test-zcr return NaN. */
    public static final int NAN_LENGTH = 12_345;
    /** A clip of exactly this many samples makes test-zcr throw. */
    public static final int CRASH_LENGTH = 12_347;

    /** Extractions left before test-zcr "kills the JVM" (throws {@link SimulatedKill}); negative = never. */
    public static final AtomicInteger KILL_AFTER = new AtomicInteger(-1);
    /** test-zcr calls so far. */
    public static final AtomicInteger CALLS = new AtomicInteger();

    private TestExtractors() {
    }

    /** Stands for a SIGKILL: an Error, so the run stops without any orderly clean-up of its work. */
    public static final class SimulatedKill extends Error {
        private static final long serialVersionUID = 1L;

        public SimulatedKill() {
            super("simulated kill");
        }
    }

    public static void reset() {
        KILL_AFTER.set(-1);
        CALLS.set(0);
    }

    /** Frame RMS and peak (times setting {@code gain}, default 1) and the clip duration. */
    public static final class Level implements FeatureExtractorProvider {
        @Override
        public String name() {
            return "test-level";
        }

        @Override
        public String description() {
            return "test: frame RMS and peak";
        }

        @Override
        public FeatureExtractor create(ExtractorContext context) {
            double gain = context.settings().hasPath("gain") ? context.settings().getDouble("gain") : 1.0;
            if (gain <= 0) {
                throw new IllegalArgumentException("gain: must be positive, got " + gain);
            }
            FrameGrid grid = context.grid();
            return new FeatureExtractor() {
                final float[] buf = new float[grid.frameLength()];

                @Override
                public List<String> columns() {
                    return List.of("rms", "peak");
                }

                @Override
                public List<String> utteranceColumns() {
                    return List.of("duration");
                }

                @Override
                public FeatureTrack extract(AudioClip clip) {
                    int n = grid.frameCount(clip.length());
                    float[][] out = new float[n][2];
                    for (int t = 0; t < n; t++) {
                        grid.copyFrame(clip.samples(), t, buf);
                        double sum = 0;
                        double peak = 0;
                        for (float v : buf) {
                            sum += v * v;
                            peak = Math.max(peak, Math.abs(v));
                        }
                        out[t][0] = (float) (gain * Math.sqrt(sum / buf.length));
                        out[t][1] = (float) (gain * peak);
                    }
                    return new FeatureTrack(columns(), out, Map.of("duration", clip.durationSeconds()));
                }
            };
        }
    }

    /** Zero-crossing rate per frame; NaN, a crash or a simulated kill on demand. */
    public static final class Zcr implements FeatureExtractorProvider {
        @Override
        public String name() {
            return "test-zcr";
        }

        @Override
        public String description() {
            return "test: zero-crossing rate";
        }

        @Override
        public FeatureExtractor create(ExtractorContext context) {
            FrameGrid grid = context.grid();
            return new FeatureExtractor() {
                final float[] buf = new float[grid.frameLength()];

                @Override
                public List<String> columns() {
                    return List.of("zcr");
                }

                @Override
                public FeatureTrack extract(AudioClip clip) {
                    CALLS.incrementAndGet();
                    if (KILL_AFTER.get() >= 0 && KILL_AFTER.getAndDecrement() == 0) {
                        throw new SimulatedKill();
                    }
                    if (clip.length() == CRASH_LENGTH) {
                        throw new IllegalStateException("index out of range in a test extractor");
                    }
                    int n = grid.frameCount(clip.length());
                    float[][] out = new float[n][1];
                    for (int t = 0; t < n; t++) {
                        grid.copyFrame(clip.samples(), t, buf);
                        int z = 0;
                        for (int i = 1; i < buf.length; i++) {
                            if ((buf[i - 1] >= 0) != (buf[i] >= 0)) {
                                z++;
                            }
                        }
                        out[t][0] = z / (float) buf.length;
                    }
                    if (clip.length() == NAN_LENGTH) {
                        out[n / 2][0] = Float.NaN;
                    }
                    return new FeatureTrack(columns(), out);
                }
            };
        }
    }

    /** Returns one frame too few: a broken extractor. */
    public static final class Broken implements FeatureExtractorProvider {
        @Override
        public String name() {
            return "test-broken";
        }

        @Override
        public String description() {
            return "test: returns too few frames";
        }

        @Override
        public FeatureExtractor create(ExtractorContext context) {
            return new FeatureExtractor() {
                @Override
                public List<String> columns() {
                    return List.of("x");
                }

                @Override
                public FeatureTrack extract(AudioClip clip) {
                    int n = context.grid().frameCount(clip.length()) - 1;
                    List<float[]> rows = new ArrayList<>();
                    for (int t = 0; t < n; t++) {
                        rows.add(new float[] {t});
                    }
                    return new FeatureTrack(columns(), rows.toArray(float[][]::new));
                }
            };
        }
    }
}
