package ser.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ser spark JOB ...}: runs a Spark job of ser-spark in {@code local[*]}. Spark (about 250
 * jars, its own Jackson and logging) stays off the command line's class path: this starts a JVM
 * with the ser-spark build's class path and the module options Spark needs, passes the job its
 * arguments and this command's --config/--set, relays its output and returns its exit code.
 */
@Command(name = "spark",
        description = {"Run extraction or batch prediction as Apache Spark jobs in local[*] (all cores); the same",
            "jobs run on a cluster with spark-submit (see ser-runner/ser-spark/README.md).",
            "  ser spark extract (--manifest M | --files PATH...) --out DIR.parquet [--nppdp CSV]",
            "  ser spark predict --model MODEL (--manifest M | --files PATH...) --out DIR.parquet",
            "  ser spark export --in DIR.parquet --out FEATURES   (a features folder for ser train)",
            "ser spark JOB --help lists a job's options. JAVA_OPTS adds JVM options (e.g. -Xmx8g)."})
public final class SparkCommand implements Callable<Integer> {

    /** Overrides where the ser-spark class path is (default: the build under the installation). */
    public static final String CLASSPATH_PROPERTY = "ser.spark.classpath";

    @ParentCommand
    SerCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "JOB", arity = "1..*", description = "extract, predict or export, then its options")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        return SparkJvmRun.run(root, args, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
