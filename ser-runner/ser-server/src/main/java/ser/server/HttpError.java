package ser.server;

/** A client error with its HTTP status, answered as {@code {"error": message}}. */
final class HttpError extends RuntimeException {

    private final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
