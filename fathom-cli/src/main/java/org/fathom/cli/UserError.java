package org.fathom.cli;

/**
 * A run that cannot go on, said in one line: a mistake of the user's (bad option value, missing
 * input: exit status 2) or an output that cannot be written (permission, full disk, closed pipe:
 * exit status 3).
 */
final class UserError extends RuntimeException {
    private final int status;

    UserError(String message) {
        this(message, Main.EXIT_USAGE);
    }

    private UserError(String message, int status) {
        super(message);
        this.status = status;
    }

    /** An output could not be written: exit status 3. */
    static UserError io(String message) {
        return new UserError(message, Main.EXIT_IO);
    }

    int status() {
        return status;
    }
}
