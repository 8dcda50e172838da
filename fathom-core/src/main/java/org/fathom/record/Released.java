package org.fathom.record;

import java.util.Objects;

/**
 * A record the privacy guard has released. Sinks accept nothing else ({@link FlowSink#accept}):
 * there is no way to hand a sink a record that did not pass the guard.
 *
 * <p>Only the holder of an {@link Issuer} can make one, and only the privacy guard can obtain an
 * issuer. (The guard's package depends on this one, not the other way round, so a
 * package-private constructor shared by the two is not possible; the issuer is the capability
 * that replaces it.)
 */
public final class Released<T extends ExportRecord> {
    private final T record;

    private Released(T record) {
        this.record = record;
    }

    public T record() {
        return record;
    }

    /**
     * The capability to release records. {@link #claim} hands one out only to the privacy guard
     * class ({@value #HOLDER}), which keeps it in a private field; called from anywhere else it
     * throws. The holder is named, not imported, so that this package does not depend on the
     * guard's.
     */
    public static final class Issuer {
        static final String HOLDER = "org.fathom.privacy.PrivacyGuard";
        private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

        private Issuer() {
        }

        /** @throws IllegalCallerException unless called by the privacy guard class */
        public static Issuer claim() {
            Class<?> caller = WALKER.getCallerClass();
            if (!caller.getName().equals(HOLDER)) {
                throw new IllegalCallerException(caller.getName() + " may not release records; only " + HOLDER + " may");
            }
            return new Issuer();
        }

        public <T extends ExportRecord> Released<T> release(T record) {
            return new Released<>(Objects.requireNonNull(record));
        }
    }
}
