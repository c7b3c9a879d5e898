package ser.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import ser.pipeline.plugins.PluginGuard;

/** Entry point of the {@code ser} launcher. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        PluginGuard.watchExits(System.err);
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(code);
    }

    /** Runs the CLI without exiting the JVM (tests call this). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new SerCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new ErrorReporter());
        // Everything after `ser spark JOB` belongs to the job, --help included.
        cli.getSubcommands().get("spark").setStopAtPositional(true);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("ser: " + e.getMessage());
            e.getCommandLine().usage(err);
            return ExitCodes.USAGE;
        });
        return cli.execute(args);
    }
}
