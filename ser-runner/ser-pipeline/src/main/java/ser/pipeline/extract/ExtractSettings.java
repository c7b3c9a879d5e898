package ser.pipeline.extract;

import static ser.pipeline.config.Setting.read;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import ser.api.FrameGrid;
import ser.api.StrictNumbers;
import ser.pipeline.UsageException;
import ser.pipeline.audio.AudioSettings;
import ser.pipeline.store.VoicedSetting;

/**
 * {@code ser.extract}, read and checked once: which extractors run (in order), the functionals
 * that turn frames into the utterance vector, the voiced-only functionals ({@link VoicedFunctionals}),
 * the shortest clip accepted, the frame grid (at {@code ser.audio.sample-rate}) and the worker threads.
 *
 * @param voiced  {@code ser.extract.voiced}; {@link VoicedSetting#OFF} when it lists no columns
 * @param threads as configured: 0 means all cores (see {@link ExtractJob#workerThreads})
 */
public record ExtractSettings(List<String> extractors, Functionals functionals, VoicedSetting voiced, double minDurationS,
        FrameGrid grid, int threads) {

    public static final String PATH = "ser.extract";
    public static final String EXTRACTORS = PATH + ".extractors";
    public static final String FUNCTIONALS = PATH + ".functionals";
    public static final String MIN_DURATION = PATH + ".min-duration-s";
    public static final String THREADS = PATH + ".threads";
    public static final String GRID = PATH + ".grid";
    public static final String VOICED = PATH + ".voiced";
    public static final String VOICED_COLUMNS = VOICED + ".columns";
    public static final String VOICED_SEMITONES = VOICED + ".semitones";
    public static final String VOICED_VOICING_COLUMN = VOICED + ".voicing-column";

    public ExtractSettings {
        extractors = List.copyOf(extractors);
    }

    public static ExtractSettings from(Config config) {
        List<String> names = read(EXTRACTORS, () -> config.getStringList(EXTRACTORS));
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                throw new UsageException(EXTRACTORS + ": '" + name + "' is listed twice");
            }
        }
        Functionals functionals = Functionals.parse(read(FUNCTIONALS, () -> config.getStringList(FUNCTIONALS)));
        int threads = read(THREADS, () -> StrictNumbers.getInt(config, THREADS));
        if (threads < 0) {
            throw new UsageException(THREADS + ": must be 0 (all cores) or more, got " + threads);
        }
        return new ExtractSettings(names, functionals, voiced(config), minDuration(config), grid(config), threads);
    }

    /** {@value #VOICED}: off unless it lists columns; whether they exist is checked against the extractors' columns. */
    static VoicedSetting voiced(Config config) {
        if (!config.hasPath(VOICED)) {
            return VoicedSetting.OFF;
        }
        List<String> columns = config.hasPath(VOICED_COLUMNS)
                ? read(VOICED_COLUMNS, () -> config.getStringList(VOICED_COLUMNS)) : List.of();
        List<String> semitones = config.hasPath(VOICED_SEMITONES)
                ? read(VOICED_SEMITONES, () -> config.getStringList(VOICED_SEMITONES)) : List.of();
        if (columns.isEmpty() && semitones.isEmpty()) {
            return VoicedSetting.OFF;
        }
        String voicing = read(VOICED_VOICING_COLUMN, () -> config.getString(VOICED_VOICING_COLUMN));
        return new VoicedSetting(voicing, columns, semitones);
    }

    /**
     * {@value #MIN_DURATION}, or {@link FeaturePipeline#DEFAULT_MIN_DURATION_S} when {@code config}
     * does not set it (predicting with a bundle needs only this of the extract settings).
     */
    public static double minDuration(Config config) {
        if (!config.hasPath(MIN_DURATION)) {
            return FeaturePipeline.DEFAULT_MIN_DURATION_S;
        }
        double minDuration = read(MIN_DURATION, () -> config.getDouble(MIN_DURATION));
        if (!(minDuration >= 0) || Double.isInfinite(minDuration)) {
            throw new UsageException(MIN_DURATION + ": must be a finite number >= 0, got " + minDuration);
        }
        return minDuration;
    }

    /** The frame grid of {@value #GRID} at {@code ser.audio.sample-rate} (the grid's rate is the audio's: one home). */
    public static FrameGrid grid(Config config) {
        try {
            return new FrameGrid(AudioSettings.from(config).sampleRate(), StrictNumbers.getInt(config, GRID + ".frame-length"),
                    StrictNumbers.getInt(config, GRID + ".hop-length"), config.getBoolean(GRID + ".centered"));
        } catch (IllegalArgumentException | ConfigException e) {
            throw new UsageException(GRID + ": " + e.getMessage(), e);
        }
    }

}
