package ser.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ser.pipeline.RunFailure;
import ser.spark.SparkJvm;

/**
 * Runs a ser-spark job ({@code extract}, {@code predict}, {@code export}) in a JVM of its own, with
 * the ser-spark build's class path and the module options Spark needs, and this command line's
 * --config/--set: Spark (about 250 jars, its own Jackson and logging) stays off the class path of
 * {@code ser}. Used by {@code ser spark} and by the commands that read a Spark output.
 */
final class SparkJvmRun {

    private SparkJvmRun() {
    }

    /**
     * Runs {@code args} (a job and its options) and relays what it prints to {@code out} and {@code err}.
     *
     * @return the job's exit code (0 ok, 1 run failure, 2 usage or settings)
     * @throws RunFailure when the ser-spark build is missing
     */
    static int run(SerCommand root, List<String> args, PrintWriter out, PrintWriter err) throws IOException {
        Path home = root.home();
        String classPath = System.getProperty(SparkCommand.CLASSPATH_PROPERTY, home == null ? null : SparkJvm.classPath(home));
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
        Thread relayOut = relay(child.getInputStream(), out);
        Thread relayErr = relay(child.getErrorStream(), err);
        try {
            int code = child.waitFor();
            relayOut.join();
            relayErr.join();
            return code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the Spark job ran");
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
