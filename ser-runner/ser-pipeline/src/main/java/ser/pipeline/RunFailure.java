package ser.pipeline;

/** A run that could not complete (unreadable input, failed write, ...): one line, exit code 1. */
public class RunFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RunFailure(String message) {
        super(message);
    }

    public RunFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
