package ser.djl;

import ser.api.StrictNumbers;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * The block {@code ser.backends.djl} (see {@code reference.conf} for every key), missing keys
 * taken from this module's reference.
 *
 * @param engine           DJL engine name; only {@code PyTorch} is supported
 * @param intraOpThreads   libtorch compute threads, 0 = derive from the context / training spec
 * @param interOpThreads   libtorch inter-op threads, 0 = leave libtorch's setting
 * @param predictBatchSize sequences per forward pass in predict and validation
 */
record DjlSettings(String engine, int intraOpThreads, int interOpThreads, int predictBatchSize) {

    static final String PATH = "ser.backends.djl";

    DjlSettings {
        if (!"PyTorch".equals(engine)) {
            throw new IllegalArgumentException(PATH + ".engine = " + engine
                    + ": only PyTorch is supported (the GRU runs on libtorch's fused kernel)");
        }
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException(PATH + ": thread counts must be >= 0 (0 = default)");
        }
        if (predictBatchSize <= 0) {
            throw new IllegalArgumentException(PATH + ".predict-batch-size must be positive");
        }
    }

    /** Reads {@code settings} (the backend's block, or a whole config holding it; null = defaults). */
    static DjlSettings from(Config settings) {
        Config reference = ConfigFactory.defaultReference(DjlSettings.class.getClassLoader()).getConfig(PATH);
        Config block = settings == null ? ConfigFactory.empty() : settings;
        if (block.hasPath(PATH)) {
            block = block.getConfig(PATH);
        }
        Config c = block.withFallback(reference);
        return new DjlSettings(c.getString("engine"), StrictNumbers.getInt(c, "intra-op-threads"), StrictNumbers.getInt(c, "inter-op-threads"),
                StrictNumbers.getInt(c, "predict-batch-size"));
    }
}
