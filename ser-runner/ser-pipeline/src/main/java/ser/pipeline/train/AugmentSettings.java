package ser.pipeline.train;

import ser.api.StrictNumbers;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import ser.pipeline.UsageException;

/**
 * {@code ser.train.augment}: the training-batch augmentations beyond Gaussian noise
 * ({@code ser.train.noise-std}, which the loop's {@link ser.api.TrainingSpec} carries). All off by
 * default.
 *
 * @param timeMasks          time masks per sequence (0 = none), see {@link TimeMask}
 * @param timeMaskMaxSeconds widest time mask, in seconds of input
 * @param featureMasks       feature-column masks per sequence (0 = none), see {@link FeatureMask}
 * @param featureMaskMax     widest feature mask, in columns
 * @param mixupAlpha         Beta(alpha, alpha) of {@link Mixup}'s mixing weight (0 = no mixup)
 */
public record AugmentSettings(int timeMasks, double timeMaskMaxSeconds, int featureMasks, int featureMaskMax, double mixupAlpha) {

    public static final String AUGMENT = TrainSettings.TRAIN + ".augment";

    /** No augmentation beyond noise. */
    public static final AugmentSettings NONE = new AugmentSettings(0, 0, 0, 0, 0);

    public static AugmentSettings from(Config config) {
        try {
            Config a = config.getConfig(AUGMENT);
            int timeMasks = atLeastZero("time-masks", StrictNumbers.getInt(a, "time-masks"));
            double timeMax = a.getDouble("time-mask-max-s");
            if (timeMasks > 0 && !(timeMax > 0 && timeMax < Double.POSITIVE_INFINITY)) {
                throw new UsageException(AUGMENT + ".time-mask-max-s: must be positive when time-masks > 0, got " + timeMax);
            }
            int featureMasks = atLeastZero("feature-masks", StrictNumbers.getInt(a, "feature-masks"));
            int featureMax = StrictNumbers.getInt(a, "feature-mask-max");
            if (featureMasks > 0 && featureMax <= 0) {
                throw new UsageException(AUGMENT + ".feature-mask-max: must be positive when feature-masks > 0, got " + featureMax);
            }
            double alpha = a.getDouble("mixup-alpha");
            if (!(alpha >= 0) || Double.isInfinite(alpha)) {
                throw new UsageException(AUGMENT + ".mixup-alpha: must be >= 0 (0 = no mixup), got " + alpha);
            }
            return new AugmentSettings(timeMasks, timeMax, featureMasks, featureMax, alpha);
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    private static int atLeastZero(String key, int v) {
        if (v < 0) {
            throw new UsageException(AUGMENT + "." + key + ": must be >= 0 (0 = none), got " + v);
        }
        return v;
    }

    /**
     * The augmentations in the order the loop applies them: mixup (on clean inputs), Gaussian
     * noise, time masks, feature masks (last, so masked values really are the mean).
     *
     * @param noiseStd    {@code ser.train.noise-std} (0 = none)
     * @param stepSeconds seconds per model step, to turn the time-mask width into steps
     */
    public List<Augmentation> augmentations(double noiseStd, double stepSeconds) {
        List<Augmentation> list = new ArrayList<>();
        if (mixupAlpha > 0) {
            list.add(new Mixup(mixupAlpha));
        }
        if (noiseStd > 0) {
            list.add(new GaussianNoise(noiseStd));
        }
        if (timeMasks > 0) {
            list.add(new TimeMask(timeMasks, Math.max(1, (int) Math.round(timeMaskMaxSeconds / stepSeconds))));
        }
        if (featureMasks > 0) {
            list.add(new FeatureMask(featureMasks, featureMaskMax));
        }
        return List.copyOf(list);
    }
}
