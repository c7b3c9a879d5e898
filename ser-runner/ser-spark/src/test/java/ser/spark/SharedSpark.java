package ser.spark;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@code local[2,2]} session for all test classes of the module (started on first use, stopped
 * when the test run ends): a session costs seconds to start. Two threads, and a task may fail
 * once and be retried (local mode's default is no retry), as on a cluster.
 */
public final class SharedSpark implements ParameterResolver {

    private record Session(SparkSession spark) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            spark.stop();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SparkSession.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Session.class, k -> new Session(start()), Session.class).spark();
    }

    private static SparkSession start() {
        SparkSession.Builder b = SparkSession.builder().master("local[2,2]").appName("ser-spark tests")
                .config("spark.sql.shuffle.partitions", "2");
        return SparkMain.loopbackOnly(b).getOrCreate();
    }
}
