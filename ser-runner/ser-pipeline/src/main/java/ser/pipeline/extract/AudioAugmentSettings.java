package ser.pipeline.extract;

import static ser.pipeline.config.Setting.read;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ser.pipeline.UsageException;

/**
 * {@code ser.extract.augment}, read and checked once: how many augmented copies of each utterance
 * {@code ser extract} writes beside the original (Kaldi-style: extracted once, used for training
 * only), and how each copy is perturbed (see {@link AudioAugmenter}).
 *
 * @param copies copies per utterance; 0 = off
 * @param speeds speed factors, one drawn uniformly per copy (1.0 = no speed change)
 * @param noise  the noise added ({@link Noise#NONE} = speed perturbation only)
 * @param snrDbMin lowest SNR drawn (dB, uniform between min and max)
 * @param snrDbMax highest SNR drawn
 * @param seed   with the utterance id and the copy number, determines every copy
 */
public record AudioAugmentSettings(int copies, List<Double> speeds, Noise noise, double snrDbMin, double snrDbMax, long seed) {

    public static final String PATH = ExtractSettings.PATH + ".augment";
    public static final String COPIES = PATH + ".copies";
    public static final String SPEED = PATH + ".speed";
    public static final String NOISE = PATH + ".noise";
    public static final String SNR_DB = PATH + ".snr-db";
    public static final String SEED = PATH + ".seed";

    /** No augmentation: stores as before this setting existed. */
    public static final AudioAugmentSettings OFF = new AudioAugmentSettings(0, List.of(1.0), Noise.NONE, 0, 0, 0);

    /** Speed factors outside this range are refused: beyond it the voice is no longer plausible. */
    static final double MIN_SPEED = 0.5;
    static final double MAX_SPEED = 2.0;

    /** The noise added to a copy. */
    public enum Noise {
        /** none: speed perturbation only. */
        NONE,
        /** white Gaussian noise (flat spectrum). */
        WHITE,
        /** pink noise (-3 dB per octave), closer to the long-term spectrum of speech and babble. */
        PINK;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Noise parse(String text) {
            for (Noise n : values()) {
                if (n.id().equals(text)) {
                    return n;
                }
            }
            throw new UsageException(NOISE + ": unknown noise '" + text + "' (known: none, white, pink)");
        }
    }

    public AudioAugmentSettings {
        speeds = List.copyOf(speeds);
    }

    public boolean enabled() {
        return copies > 0;
    }

    /** {@value #PATH}; {@link #OFF} when {@code config} has no such block. */
    public static AudioAugmentSettings from(Config config) {
        if (!config.hasPath(PATH)) {
            return OFF;
        }
        int copies = read(COPIES, () -> config.getInt(COPIES));
        if (copies < 0 || copies > 100) {
            throw new UsageException(COPIES + ": must be 0 (off) to 100, got " + copies);
        }
        List<Double> speeds = read(SPEED, () -> config.getDoubleList(SPEED));
        if (speeds.isEmpty()) {
            throw new UsageException(SPEED + ": needs at least one factor (use [1.0] for no speed change)");
        }
        for (double s : speeds) {
            if (!(s >= MIN_SPEED && s <= MAX_SPEED)) {
                throw new UsageException(SPEED + ": factors must be between " + MIN_SPEED + " and " + MAX_SPEED + ", got " + s);
            }
        }
        Noise noise = Noise.parse(read(NOISE, () -> config.getString(NOISE)));
        List<Double> snr = read(SNR_DB, () -> config.getDoubleList(SNR_DB));
        if (snr.size() != 2 || !Double.isFinite(snr.get(0)) || !Double.isFinite(snr.get(1)) || snr.get(0) > snr.get(1)) {
            throw new UsageException(SNR_DB + ": must be [min, max] in dB with min <= max, got " + snr);
        }
        long seed = read(SEED, () -> config.getLong(SEED));
        return new AudioAugmentSettings(copies, speeds, noise, snr.get(0), snr.get(1), seed);
    }

    /** The settings as schema.json records them (under {@code store.augment}), so that a store says how it was made. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("copies", copies);
        m.put("speed", speeds);
        m.put("noise", noise.id());
        m.put("snr_db", List.of(snrDbMin, snrDbMax));
        m.put("snr_reference", "whole-clip power of the speed-perturbed copy");
        m.put("seed", seed);
        return m;
    }
}
