package ser.pipeline.linear;

import ser.api.StrictNumbers;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import ser.pipeline.UsageException;

/**
 * {@code ser.backends.linear}: the logistic regression's regularization and solver limits, read
 * once (for the {@code linear} backend and for the baseline beside every trained model).
 *
 * @param c             inverse L2 strength, scikit-learn's {@code C}
 * @param maxIterations L-BFGS iteration cap
 * @param tolerance     L-BFGS stops when no gradient component of the mean loss exceeds this
 */
public record LinearSettings(double c, int maxIterations, double tolerance) {

    public static final String PATH = "ser.backends.linear";

    /** L-BFGS memory: scikit-learn's (scipy's) default. */
    static final int MEMORY = 10;

    public LinearSettings {
        if (!(c > 0) || Double.isInfinite(c)) {
            throw new UsageException(PATH + ".c: must be positive, got " + c);
        }
        if (maxIterations <= 0) {
            throw new UsageException(PATH + ".max-iterations: must be positive, got " + maxIterations);
        }
        if (!(tolerance > 0)) {
            throw new UsageException(PATH + ".tolerance: must be positive, got " + tolerance);
        }
    }

    /** From the backend's own block (the contents of {@code ser.backends.linear}). */
    public static LinearSettings of(Config block) {
        try {
            return new LinearSettings(block.getDouble("c"), StrictNumbers.getInt(block, "max-iterations"), block.getDouble("tolerance"));
        } catch (ConfigException e) {
            throw new UsageException(PATH + ": " + e.getMessage(), e);
        }
    }

    /** From the whole configuration. */
    public static LinearSettings from(Config config) {
        return of(config.getConfig(PATH));
    }

    public Lbfgs.Options options() {
        return new Lbfgs.Options(MEMORY, maxIterations, tolerance);
    }
}
