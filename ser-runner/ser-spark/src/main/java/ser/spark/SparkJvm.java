package ser.spark;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * How to start a JVM that runs the Spark jobs in {@code local[*]} (what {@code ser spark} does):
 * the class path of this module's build and the module options Spark needs on Java 17. Uses no
 * Spark class but the launcher's, so the {@code ser} command line can load it without Spark.
 */
public final class SparkJvm {

    /** The entry point of the jobs, for {@code java} and for {@code spark-submit --class}. */
    public static final String MAIN_CLASS = "ser.spark.SparkMain";

    /** The logging settings of local runs (a class path resource of this module). */
    public static final String LOCAL_LOGGING = "classpath:ser-spark-local-log4j2.properties";

    private SparkJvm() {
    }

    /**
     * The {@code --add-opens} (and related) options Spark's own launcher passes to every JVM it
     * starts; Spark's serializers and off-heap memory fail without them on Java 17.
     */
    public static List<String> moduleOptions() {
        return List.of(JavaModuleOptions.defaultModuleOptionArray());
    }

    /** This module's build output under an installation: its jar and {@code lib/} (Spark included). */
    public static Path target(Path home) {
        return home.resolve("ser-runner").resolve("ser-spark").resolve("target");
    }

    /** The class path of the jobs under {@code home}, or null when that build is missing. */
    public static String classPath(Path home) {
        Path target = target(home);
        Path lib = target.resolve("lib");
        if (!Files.isDirectory(lib)) {
            return null;
        }
        try (var jars = Files.list(target)) {
            Path jar = jars.filter(p -> p.getFileName().toString().matches("ser-spark-[^-]+(-SNAPSHOT)?\\.jar")).findFirst()
                    .orElse(null);
            return jar == null ? null : jar + File.pathSeparator + lib + File.separator + "*";
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
