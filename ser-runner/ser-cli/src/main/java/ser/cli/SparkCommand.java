package ser.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import ser.pipeline.RunFailure;
import ser.spark.SparkJvm;

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
    public Integer call() throws IOException, InterruptedException {
        Path home = root.home();
        String classPath = System.getProperty(CLASSPATH_PROPERTY, home == null ? null : SparkJvm.classPath(home));
        if (classPath == null) {
            throw new RunFailure("the Spark jobs are not built" + (home == null ? "" : " (no " + SparkJvm.target(home)
                    + "/lib)") + ": build with mvn -B -DskipTests package");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String javaOpts = System.getenv("JAVA_OPTS");
        if (javaOpts != null && !javaOpts.isBlank()) {
            command.addAll(List.of(javaOpts.trim().split("\\s+")));
        }
        command.addAll(SparkJvm.moduleOptions());
        if (home != null) {
            command.add("-Dser.home=" + home);
        }
        command.add("-Dlog4j2.configurationFile=" + SparkJvm.LOCAL_LOGGING);
        command.add("-cp");
        command.add(classPath);
        command.add(SparkJvm.MAIN_CLASS);
        root.configFiles.forEach(f -> command.addAll(List.of("--config", f.toString())));
        root.overrides.forEach(s -> command.addAll(List.of("--set", s)));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT);
        if (!args.contains("--master")) {
            // A local run: Spark names and binds its driver on loopback, not the first network interface.
            builder.environment().putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1");
        }
        Process child = builder.start();
        Thread out = relay(child.getInputStream(), spec.commandLine().getOut());
        Thread err = relay(child.getErrorStream(), spec.commandLine().getErr());
        try {
            int code = child.waitFor();
            out.join();
            err.join();
            return code;
        } finally {
            child.destroy();
        }
    }

    private static Thread relay(InputStream from, PrintWriter to) {
        Thread t = new Thread(() -> {
            try (Reader r = new InputStreamReader(from, Charset.defaultCharset())) {
                char[] buf = new char[8192];
                for (int n; (n = r.read(buf)) >= 0; ) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // The child ended; what it printed so far was relayed.
            }
        }, "ser-spark-relay");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
