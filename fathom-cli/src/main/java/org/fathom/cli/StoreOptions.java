package org.fathom.cli;

import java.nio.file.Path;
import java.time.Duration;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyPolicy;
import org.fathom.store.Store;
import org.fathom.store.StoreException;
import org.fathom.store.StoreSink;
import picocli.CommandLine.Option;

/**
 * The embedded store of commands that release records ({@code analyze}, {@code live}):
 * {@code --store DIR} and {@code --retention DURATION} (docs/STORE.md). A mixin, so each command
 * adds it in one line.
 */
final class StoreOptions {
    @Option(names = "--store", paramLabel = "DIR", description = "Also write the released records (flows, calls, alerts, aggregates) and per-minute statistics into the DuckDB store in DIR (created if needed); read it with 'fathom query' and 'fathom serve' (see docs/STORE.md).")
    Path store;

    @Option(names = "--retention", paramLabel = "DURATION", description = "With --store: delete records older than this (e.g. 30d, 12h) before the store's newest record or now, whichever is earlier; at the end of analyze, every 10 minutes in live. Each deletion is logged in the audit log.")
    String retention;

    /** Who fills the store, for its runs table. */
    String command = "analyze";

    /** Set by a command that serves the dashboard: without --store, keep a store in memory for it. */
    boolean inMemoryForDashboard;

    private StoreSink sink;

    /** Whether a store is written (a folder, or one in memory for the dashboard). */
    boolean enabled() {
        return store != null || inMemoryForDashboard;
    }

    /** @throws UserError on a bad --retention, or one without --store */
    Duration retentionPeriod() {
        if (retention == null) {
            return inMemoryForDashboard && store == null ? Duration.ofDays(1) : null;
        }
        if (store == null) {
            throw new UserError("--retention needs --store DIR");
        }
        try {
            Duration d = PrivacyPolicy.parseDuration(retention);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("bad duration '" + retention + "'");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new UserError("--retention: " + e.getMessage());
        }
    }

    /**
     * Opens the store and its sink, or returns null without one. A dashboard's store in memory
     * keeps no individual flows (the dashboard shows only per-minute sums) and a day of the rest.
     *
     * @throws UserError when the store cannot be opened
     */
    StoreSink open(AuditLog audit) {
        Duration keep = retentionPeriod();
        if (!enabled()) {
            return null;
        }
        try {
            Store s = store != null ? Store.open(store) : Store.inMemory();
            String text = retention != null ? retention : keep == null ? null : "1d";
            sink = new StoreSink(s, store != null, command, audit, keep, text);
            return sink;
        } catch (StoreException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** The opened sink (after {@link #open}), or null. */
    StoreSink sink() {
        return sink;
    }
}
