package ser.pipeline.segment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import ser.pipeline.UsageException;

/**
 * How a long recording is cut ({@code ser.segments}): energy-based voice activity ({@code vad})
 * or fixed windows ({@code fixed}).
 *
 * @param mode            VAD or FIXED
 * @param maxDurationS    longest recording accepted (s); memory does not depend on it
 * @param minSegmentS     shorter segments are not predicted (s)
 * @param frameMs         VAD analysis frame (ms)
 * @param floorPercentile the recording's noise floor: this percentile of its frame levels
 * @param thresholdDb     a frame is speech when this many dB above the floor
 * @param hangoverMs      speech is extended this long after its last loud frame (ms)
 * @param minSilenceS     a pause shorter than this (after the hangover) does not end a segment (s)
 * @param maxSegmentS     longer speech is cut into segments of at most this length (s)
 * @param windowS         fixed mode: window length (s)
 * @param hopS            fixed mode: window start every hopS seconds
 */
public record SegmentSettings(Mode mode, double maxDurationS, double minSegmentS, double frameMs, double floorPercentile,
        double thresholdDb, double hangoverMs, double minSilenceS, double maxSegmentS, double windowS, double hopS) {

    public static final String PATH = "ser.segments";

    public enum Mode { VAD, FIXED }

    public SegmentSettings {
        positive("max-duration-s", maxDurationS);
        positive("min-segment-s", minSegmentS);
        positive("vad.frame-ms", frameMs);
        if (!(floorPercentile >= 0 && floorPercentile <= 100)) {
            throw new UsageException(PATH + ".vad.floor-percentile: must be 0..100, got " + floorPercentile);
        }
        if (!(thresholdDb >= 0) || !(hangoverMs >= 0) || !(minSilenceS >= 0)) {
            throw new UsageException(PATH + ".vad: threshold-db, hangover-ms and min-silence-s must be >= 0");
        }
        positive("vad.max-segment-s", maxSegmentS);
        positive("fixed.window-s", windowS);
        positive("fixed.hop-s", hopS);
        if (maxSegmentS < minSegmentS) {
            throw new UsageException(PATH + ".vad.max-segment-s (" + maxSegmentS + ") is below min-segment-s (" + minSegmentS + ")");
        }
    }

    private static void positive(String key, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new UsageException(PATH + "." + key + ": must be > 0, got " + v);
        }
    }

    public static SegmentSettings from(Config config) {
        Config c = config.getConfig(PATH);
        String mode = c.getString("mode").trim().toLowerCase(Locale.ROOT);
        Mode m = switch (mode) {
            case "vad" -> Mode.VAD;
            case "fixed" -> Mode.FIXED;
            default -> throw new UsageException(PATH + ".mode: must be vad or fixed, got '" + mode + "'");
        };
        return new SegmentSettings(m, c.getDouble("max-duration-s"), c.getDouble("min-segment-s"), c.getDouble("vad.frame-ms"),
                c.getDouble("vad.floor-percentile"), c.getDouble("vad.threshold-db"), c.getDouble("vad.hangover-ms"),
                c.getDouble("vad.min-silence-s"), c.getDouble("vad.max-segment-s"), c.getDouble("fixed.window-s"),
                c.getDouble("fixed.hop-s"));
    }

    /**
     * The command options {@code --segment-mode}, {@code --window} and {@code --hop} (null when not
     * given) as the {@code key=value} overrides they stand for, in {@code --set}'s syntax: the one
     * mapping {@code ser predict --segments} and {@code ser spark predict --segments} share.
     */
    public static List<String> overrides(String mode, Double window, Double hop) {
        List<String> o = new ArrayList<>();
        if (window != null || hop != null) {
            // A window or hop alone means fixed windows; a window alone also hops by itself.
            o.add(PATH + ".mode=fixed");
            if (window != null) {
                o.add(PATH + ".fixed.window-s=" + window);
            }
            Double h = hop != null ? hop : window;
            if (h != null) {
                o.add(PATH + ".fixed.hop-s=" + h);
            }
        } else if (mode != null) {
            o.add(PATH + ".mode=" + ConfigUtil.quoteString(mode.trim()));
        }
        return o;
    }

    public SegmentSettings withMode(Mode m) {
        return new SegmentSettings(m, maxDurationS, minSegmentS, frameMs, floorPercentile, thresholdDb, hangoverMs, minSilenceS,
                maxSegmentS, windowS, hopS);
    }

    public SegmentSettings withWindow(double window, double hop) {
        return new SegmentSettings(mode, maxDurationS, minSegmentS, frameMs, floorPercentile, thresholdDb, hangoverMs, minSilenceS,
                maxSegmentS, window, hop);
    }
}
