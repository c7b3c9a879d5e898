package ser.server;

import ser.api.StrictNumbers;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import ser.pipeline.UsageException;
import ser.pipeline.model.Inference;

/**
 * The {@code ser.serve} settings, read and checked once (see the module's reference.conf).
 *
 * @param poolSize     model instances, at least 1 (0 in the settings means one per core)
 * @param modelThreads compute threads of each instance, at least 1 (0 in the settings means the
 *                     cores shared among the instances: cores / pool size, at least 1)
 * @param maxBatch     requests one model call may serve (micro-batching, see {@link ModelPool}); 0 in the
 *                     settings means 1 under java inference, 8 when a backend predicts
 * @param token        bearer token, empty for none
 */
public record ServeSettings(String host, int port, int poolSize, int modelThreads, int queueSize, int maxBatch, double requestTimeoutSeconds,
        int retryAfterSeconds, long maxBodyBytes, double maxDurationSeconds, double shutdownTimeoutSeconds, String token,
        double segmentWindowSeconds, double segmentHopSeconds, double streamWindowSeconds, double streamHopSeconds,
        double streamMaxSeconds, int streamMaxMessageBytes) {

    public static final String ROOT = "ser.serve";

    /** {@code max-batch = 0} when a backend predicts: its call costs 6.1 ms for one sequence, 10.3 ms for eight (demo model, DJL). */
    static final int BACKEND_BATCH = 8;

    public ServeSettings {
        require(port >= 0 && port <= 65535, "port", "must be 0..65535, got " + port);
        require(poolSize >= 1, "pool-size", "must be at least 1, got " + poolSize);
        require(modelThreads >= 1, "model-threads", "must be at least 1, got " + modelThreads);
        require(queueSize >= 0, "queue-size", "must not be negative, got " + queueSize);
        require(maxBatch >= 1, "max-batch", "must be at least 1, got " + maxBatch);
        require(requestTimeoutSeconds > 0, "request-timeout-s", "must be positive");
        require(retryAfterSeconds >= 0, "retry-after-s", "must not be negative");
        require(maxBodyBytes > 0, "max-body-mb", "must be positive");
        require(maxDurationSeconds > 0, "max-duration-s", "must be positive");
        require(shutdownTimeoutSeconds >= 0, "shutdown-timeout-s", "must not be negative");
        require(segmentHopSeconds > 0 && segmentWindowSeconds >= segmentHopSeconds, "segments", "need 0 < hop-s <= window-s");
        require(streamHopSeconds > 0 && streamWindowSeconds >= streamHopSeconds, "stream", "need 0 < hop-s <= window-s");
        require(streamMaxSeconds > 0, "stream.max-seconds", "must be positive");
        require(streamMaxMessageBytes > 0, "stream.max-message-kb", "must be positive");
    }

    public static ServeSettings from(Config config) {
        try {
            Config s = config.getConfig(ROOT);
            int cores = Runtime.getRuntime().availableProcessors();
            int configuredPool = StrictNumbers.getInt(s, "pool-size");
            int pool = configuredPool == 0 ? cores : configuredPool;
            int threads = StrictNumbers.getInt(s, "model-threads");
            int configuredBatch = StrictNumbers.getInt(s, "max-batch");
            require(configuredBatch >= 0, "max-batch", "must be 0 (by ser.inference) or positive, got " + configuredBatch);
            int batch = configuredBatch != 0 ? configuredBatch : Inference.from(config) == Inference.JAVA ? 1 : BACKEND_BATCH;
            return new ServeSettings(s.getString("host"), StrictNumbers.getInt(s, "port"), pool,
                    threads == 0 && pool >= 1 ? Math.max(1, cores / pool) : threads, StrictNumbers.getInt(s, "queue-size"),
                    batch,
                    s.getDouble("request-timeout-s"), StrictNumbers.getInt(s, "retry-after-s"), (long) (s.getDouble("max-body-mb") * (1 << 20)),
                    s.getDouble("max-duration-s"), s.getDouble("shutdown-timeout-s"), s.getString("token").trim(),
                    s.getDouble("segments.window-s"), s.getDouble("segments.hop-s"), s.getDouble("stream.window-s"),
                    s.getDouble("stream.hop-s"), s.getDouble("stream.max-seconds"), StrictNumbers.getInt(s, "stream.max-message-kb") * 1024);
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    public boolean tokenRequired() {
        return !token.isEmpty();
    }

    public ServeSettings withAddress(String newHost, int newPort) {
        return new ServeSettings(newHost, newPort, poolSize, modelThreads, queueSize, maxBatch, requestTimeoutSeconds, retryAfterSeconds, maxBodyBytes,
                maxDurationSeconds, shutdownTimeoutSeconds, token, segmentWindowSeconds, segmentHopSeconds, streamWindowSeconds,
                streamHopSeconds, streamMaxSeconds, streamMaxMessageBytes);
    }

    private static void require(boolean ok, String key, String problem) {
        if (!ok) {
            throw new UsageException(ROOT + "." + key + ": " + problem);
        }
    }
}
