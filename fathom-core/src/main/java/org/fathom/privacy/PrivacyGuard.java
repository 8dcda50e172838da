package org.fathom.privacy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.fathom.record.AggregateRecord;
import org.fathom.record.AlertRecord;
import org.fathom.record.CallRecord;
import org.fathom.record.EventRecord;
import org.fathom.record.ExportRecord;
import org.fathom.record.FlowRecord;
import org.fathom.record.FlowSink;
import org.fathom.record.Released;

/**
 * The only exit of the engine. Every record on its way to any sink passes through {@link #emit},
 * {@link #emitCall} or {@link #emitAlert}; sinks accept only {@link Released} records, and this
 * class is the only one that can make them (it alone can claim the {@link Released.Issuer}).
 *
 * <p>Two parts: the {@link Redactor} decides what a record becomes under the
 * {@link PrivacyPolicy} (pseudonymised, minimised, aggregated, or as captured within an
 * authorisation) and writes the audit log; the {@link Exit} hands each released record to every
 * sink in release order. Packet payload is never part of a record, in any mode.
 */
public final class PrivacyGuard implements AutoCloseable {
    /** The capability to make {@link Released} records: only this class can claim it. */
    private static final Released.Issuer ISSUER = Released.Issuer.claim();

    private final Redactor redactor;
    private final Exit exit;
    private volatile boolean closed;

    /**
     * Opens the guard: loads (or creates) the pseudonymisation key, writes the run's policy to the
     * audit log and the privacy header to every sink.
     */
    public PrivacyGuard(PrivacyPolicy policy, AuditLog audit, List<? extends FlowSink> sinks) throws IOException {
        this.redactor = new Redactor(policy, audit);
        this.exit = new Exit(List.copyOf(sinks));
        exit.deliver(ISSUER.release(redactor.header()));
    }

    public PrivacyPolicy policy() {
        return redactor.policy();
    }

    /**
     * Releases one flow record according to the policy. Thread-safe: the record is redacted on the
     * calling worker's thread, only the hand-over to the sinks is serialised.
     */
    public void emit(FlowRecord r) {
        if (redactor.aggregating()) {
            synchronized (this) {
                checkOpen();
                redactor.aggregate(r);
            }
            return;
        }
        checkOpen();
        if (!exit.takesFlows()) {
            redactor.countFlow(r); // no sink would read the released copy: count it, do not make it
            return;
        }
        release(redactor.flow(r));
    }

    /**
     * Whether any sink takes flow records. When none does (a summary-only run), the engine need not
     * prepare what only a released flow record carries, such as the keyed flow id.
     */
    public boolean releasesFlows() {
        return exit.takesFlows();
    }

    /**
     * Releases a call record: in pseudonymous mode (and identified mode outside the scope) caller,
     * callee and call id are tokenised and subscriber addresses pseudonymised; aggregate mode
     * releases no individual calls.
     */
    public void emitCall(CallRecord c) {
        checkOpen();
        CallRecord out = redactor.call(c);
        if (out != null) {
            release(out);
        }
    }

    /**
     * Releases an alert: subscriber addresses among target and sources are pseudonymised
     * (aggregate mode: a subscriber target is named by its subscriber network, subscriber sources
     * are left out).
     */
    public void emitAlert(AlertRecord a) {
        checkOpen();
        release(redactor.alert(a));
    }

    /**
     * Whether some output takes per-transaction events. When none does, the engine builds no
     * event at all (the dissectors are not even asked to keep transactions).
     */
    public boolean eventsWanted() {
        return exit.takesEvents();
    }

    /** The keyed ids that link a flow record and its events ({@code flow_id}). */
    public FlowIds flowIds() {
        return redactor.flowIds();
    }

    /**
     * Releases one per-transaction event, treated as its flow is (addresses pseudonymised, fields
     * by the inventory); aggregate mode releases no individual events.
     */
    public void emitEvent(EventRecord e) {
        checkOpen();
        EventRecord out = redactor.event(e);
        if (out != null) {
            release(out);
        }
    }

    /**
     * Releases a policy verdict change (the verdict log): subscriber addresses pseudonymised as in
     * flow records; aggregate mode releases none.
     */
    public void emitVerdict(org.fathom.record.VerdictRecord v) {
        checkOpen();
        org.fathom.record.VerdictRecord out = redactor.verdict(v);
        if (out != null) {
            release(out);
        }
    }

    /** Events released so far, and withheld by aggregate mode. */
    public long releasedEvents() {
        return redactor.releasedEvents();
    }

    public long withheldEvents() {
        return redactor.withheldEvents();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("privacy guard closed");
        }
    }

    private void release(ExportRecord out) {
        if (exit.isEmpty()) {
            return; // nothing to hand over (a summary-only run): no lock, no Released
        }
        try {
            exit.deliver(ISSUER.release(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flow records released so far. */
    public long released() {
        return redactor.released();
    }

    /**
     * What the guard has let out so far, as counts (for metrics): flow records released, of them
     * with pseudonymised addresses and released identified (identified mode), call records released
     * and withheld (aggregate mode), alerts released, and aggregate groups suppressed for having
     * fewer than k subscribers (known once the aggregates are published, at close).
     */
    public record Counters(long flowsReleased, long flowsPseudonymised, long flowsIdentified, long callsReleased,
                           long callsWithheld, long alertsReleased, long suppressedGroups) {}

    /** The release counters so far; cheap, from any thread. */
    public Counters counters() {
        return redactor.counters();
    }

    /** Fields dropped because the inventory does not list them, with counts. */
    public Map<String, Long> droppedFields() {
        return redactor.droppedFields();
    }

    public AuditLog audit() {
        return redactor.audit();
    }

    /**
     * Releases the aggregates (aggregate mode), writes the end of the run to the audit log, and
     * closes the sinks, which flush what they hold. Throws the first sink's failure, after
     * closing all of them.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        try {
            List<AggregateRecord> rows = redactor.publish();
            for (AggregateRecord row : rows) {
                exit.deliver(ISSUER.release(row));
            }
            redactor.finish(rows.size());
        } catch (IOException e) {
            failure = e;
        }
        try {
            exit.close();   // also after a failure: the sinks' files and threads are released
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
