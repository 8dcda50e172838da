package org.fathom.cli;

/** A mistake of the user's (bad option value, unwritable output): one line, exit status 2. */
final class UserError extends RuntimeException {
    UserError(String message) {
        super(message);
    }
}
