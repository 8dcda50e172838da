package org.fathom.store;

/** A store that cannot be opened, written or queried, in one line saying what and where. */
public final class StoreException extends Exception {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
