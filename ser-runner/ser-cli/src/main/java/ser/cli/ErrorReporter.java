package ser.cli;

import ser.pipeline.RunFailure;
import ser.pipeline.UsageException;

import com.typesafe.config.ConfigException;
import picocli.CommandLine;

/**
 * Turns any failure into one line on stderr and the documented exit code. Stack traces only with
 * {@code SER_DEBUG=1}, for us, not for users.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        if ("1".equals(System.getenv("SER_DEBUG"))) {
            e.printStackTrace(cli.getErr());
        }
        Throwable cause = e instanceof com.google.inject.ProvisionException || e instanceof com.google.inject.CreationException
                ? rootOf(e) : e;
        int code;
        String message;
        if (cause instanceof UsageException || cause instanceof ConfigException || cause instanceof IllegalArgumentException) {
            code = ExitCodes.USAGE;
            message = cause.getMessage();
        } else if (cause instanceof RunFailure) {
            code = ExitCodes.RUN_FAILURE;
            message = cause.getMessage();
        } else if (cause instanceof OutOfMemoryError) {
            code = ExitCodes.RUN_FAILURE;
            message = "out of memory (raise -Xmx via JAVA_OPTS, or lower ser.extract.threads / ser.train.batch-size)";
        } else {
            code = ExitCodes.RUN_FAILURE;
            message = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        }
        cli.getErr().println("ser " + cli.getCommandName() + ": " + oneLine(message));
        cli.getErr().flush();
        return code;
    }

    private static Throwable rootOf(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String oneLine(String message) {
        return message == null ? "failed" : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
