package ser.api;

/**
 * The optimizer every backend runs in {@link SequenceModel#trainStep}: Adam in Keras's form
 * ({@code lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)}, {@code w -= lr_t * m / (sqrt(v) + epsilon)})
 * after global gradient-norm clipping. Read once from {@code ser.train} ({@code clip-norm},
 * {@code adam.*}) for all backends.
 *
 * @param clipNorm global gradient-norm threshold: gradients are scaled by
 *                 {@code clip / max(norm, clip)}; 0 disables
 */
public record OptimizerSpec(double beta1, double beta2, double epsilon, double clipNorm) {

    /** Keras's Adam defaults with clipping at norm 1, as the original model trained. */
    public static final OptimizerSpec DEFAULT = new OptimizerSpec(0.9, 0.999, 1e-7, 1.0);

    public OptimizerSpec {
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("adam betas must be in [0, 1), got " + beta1 + " and " + beta2);
        }
        if (!(epsilon > 0) || !(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("adam epsilon must be > 0 and clip norm >= 0");
        }
    }
}
