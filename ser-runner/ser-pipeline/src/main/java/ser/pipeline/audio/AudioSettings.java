package ser.pipeline.audio;

import static ser.pipeline.config.Setting.read;

import com.typesafe.config.Config;
import ser.api.StrictNumbers;

/**
 * {@code ser.audio}, read once: the rate every file is resampled to (and so the frame grid's
 * rate), and the per-file limits. The injector provides one instance; {@link AudioLoader} and
 * the frame grid ({@code ExtractSettings.grid}) take it instead of reading the keys themselves.
 */
public record AudioSettings(int sampleRate, double maxDurationSeconds, long maxFileMb) {

    public static final String SAMPLE_RATE = "ser.audio.sample-rate";
    public static final String MAX_DURATION = "ser.audio.max-duration-s";
    public static final String MAX_FILE_MB = "ser.audio.max-file-mb";

    public static AudioSettings from(Config config) {
        return new AudioSettings(read(SAMPLE_RATE, () -> StrictNumbers.getInt(config, SAMPLE_RATE)),
                read(MAX_DURATION, () -> config.getDouble(MAX_DURATION)),
                read(MAX_FILE_MB, () -> StrictNumbers.getLong(config, MAX_FILE_MB)));
    }

}
