package ser.dl4j;

import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Configures the ND4J runtime (process-wide, owned by ND4J, not by this class): thread counts,
 * the size below which element-wise ops stay on one thread, and no per-op debug/verbose output.
 */
final class NativeRuntime {

    private NativeRuntime() {
    }

    static void configure(int threads, Dl4jSettings settings) {
        // Before the first use of ND4J, which loads OpenBLAS.
        BlasKernels.preferAvx512();
        Environment env = Nd4j.getEnvironment();
        env.setMaxThreads(threads);
        env.setMaxMasterThreads(threads);
        env.setElementwiseThreshold(settings.elementwiseThreshold());
        env.setVerbose(settings.verbose());
        env.setDebug(false);
        env.setProfiling(false);
        OpExecutioner ex = Nd4j.getExecutioner();
        ex.enableVerboseMode(settings.verbose());
        ex.enableDebugMode(false);
        ex.setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
        Nd4j.factory().blas().setMaxThreads(threads);
    }
}
