package org.fathom.privacy;

/**
 * A record the privacy guard has released. Only {@link PrivacyGuard} can make one (the constructor
 * is package-private), and sinks accept nothing else: there is no way to hand a sink a record
 * that did not pass the guard.
 */
public final class Released<T> {
    private final T record;

    Released(T record) {
        this.record = record;
    }

    public T record() {
        return record;
    }
}
