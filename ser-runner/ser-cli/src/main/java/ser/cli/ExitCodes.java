package ser.cli;

/** Exit codes of every command. */
public final class ExitCodes {

    public static final int OK = 0;
    public static final int RUN_FAILURE = 1;
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
