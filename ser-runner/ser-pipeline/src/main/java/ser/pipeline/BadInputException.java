package ser.pipeline;

/**
 * One input (a file, a manifest row, a store) that cannot be used. Commands that process many
 * inputs report it as {@code location: problem} and go on with the rest.
 */
public class BadInputException extends RunFailure {

    private static final long serialVersionUID = 1L;

    private final String location;
    private final String problem;

    public BadInputException(String location, String problem) {
        super(location + ": " + problem);
        this.location = location;
        this.problem = problem;
    }

    public BadInputException(String location, String problem, Throwable cause) {
        super(location + ": " + problem, cause);
        this.location = location;
        this.problem = problem;
    }

    public String location() {
        return location;
    }

    public String problem() {
        return problem;
    }
}
