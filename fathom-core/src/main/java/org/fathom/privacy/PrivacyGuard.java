package org.fathom.privacy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fathom.net.Addresses;
import org.fathom.net.Cidr;
import org.fathom.record.AggregateRecord;
import org.fathom.record.AlertRecord;
import org.fathom.record.CallRecord;
import org.fathom.record.FlowRecord;
import org.fathom.record.FlowSink;
import org.fathom.record.PrivacyHeader;
import org.fathom.record.Released;

/**
 * The only exit of the engine. Every record on its way to any sink passes through {@link #emit};
 * sinks accept only {@link Released} records, which only this class can make. What is released
 * depends on the {@link PrivacyPolicy}:
 * <ul>
 *   <li>pseudonymous: subscriber addresses become prefix-preserving keyed pseudonyms (servers stay
 *       visible), metadata is minimised field by field ({@link FieldInventory}), unknown fields
 *       are dropped;</li>
 *   <li>aggregate: no per-flow record leaves; statistics with k-suppression are released at
 *       {@link #close};</li>
 *   <li>identified: records whose subscriber side lies within the authorisation's scope and
 *       window are released as captured; all others as in pseudonymous mode.</li>
 * </ul>
 * Packet payload is never part of a record, in any mode. The run's policy, anything that narrows
 * the default subscriber networks, and every identified run are written to the audit log.
 */
public final class PrivacyGuard implements AutoCloseable {
    /** The capability to make {@link Released} records: only this class can claim it. */
    private static final Released.Issuer ISSUER = Released.Issuer.claim();

    private static final Pattern IPV4 = Pattern.compile("(?<![0-9.])(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?![0-9])");
    private static final Pattern IPV6 = Pattern.compile("(?<![0-9A-Za-z:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![0-9A-Za-z:])");
    private static final Pattern REVERSE_V4 = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.in-addr\\.arpa\\.?$", Pattern.CASE_INSENSITIVE);
    private static final Pattern URI_USER = Pattern.compile("((?:sips?|tel|mailto):)?([^@<>;:\\s\"]+)@");

    private final PrivacyPolicy policy;
    private final AuditLog audit;
    private final List<FlowSink> sinks;
    private final FlowSink[] sinkArray;
    /** Per thread: workers pseudonymise their records in parallel (same key, same results). */
    private final ThreadLocal<Pseudonymizer> pseudonyms;
    private final Aggregator aggregator;
    private final java.util.concurrent.atomic.LongAdder released = new java.util.concurrent.atomic.LongAdder();
    private long releasedCalls;
    private long releasedAlerts;
    private long withheldCalls;
    private final java.util.concurrent.atomic.LongAdder identified = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder pseudonymisedAddresses = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.ConcurrentSkipListMap<String, Long> droppedFields = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final java.util.concurrent.ConcurrentSkipListSet<String> epochs = new java.util.concurrent.ConcurrentSkipListSet<>();
    private volatile boolean closed;

    /**
     * Opens the guard: loads (or creates) the pseudonymisation key, writes the run's policy to the
     * audit log and the privacy header to every sink.
     */
    public PrivacyGuard(PrivacyPolicy policy, AuditLog audit, List<? extends FlowSink> sinks) throws IOException {
        this.policy = policy;
        this.audit = audit;
        this.sinks = List.copyOf(sinks);
        this.sinkArray = this.sinks.toArray(FlowSink[]::new);
        byte[] master = PseudonymKey.loadOrCreate(policy.keyFile(), audit);
        this.pseudonyms = ThreadLocal.withInitial(() -> new Pseudonymizer(master, policy.keyRotation()));
        this.aggregator = policy.mode() == PrivacyMode.AGGREGATE
                ? new Aggregator(policy.subscribers(), policy.bucket().toNanos(), policy.k(), policy.epsilon()) : null;
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("mode", policy.mode().label());
        start.put("subscriber_networks", policy.subscribers().toString());
        start.put("key_rotation", policy.keyRotation().toString());
        start.put("k", policy.k());
        if (policy.epsilon() != null) {
            start.put("epsilon", policy.epsilon());
        }
        audit.append("run_started", start);
        List<String> narrowed = new ArrayList<>();
        for (Cidr c : policy.subscribers().narrowing()) {
            narrowed.add(c.text());
        }
        if (!narrowed.isEmpty()) {
            audit.append("subscriber_networks_narrowed", Map.of("not_protected", narrowed,
                    "configured", policy.subscribers().toString()));
        }
        Authorisation a = policy.authorisation();
        if (policy.mode() == PrivacyMode.IDENTIFIED) {
            List<String> scope = new ArrayList<>();
            for (Cidr c : a.scope()) {
                scope.add(c.text());
            }
            audit.append("identified_run_authorised", Map.of("authorisation_file", a.file().toAbsolutePath().toString(),
                    "scope", scope, "from", a.from().toString(), "until", a.until().toString(),
                    "purpose", a.purpose(), "reference", a.reference()));
        }
        List<String> dropped = new ArrayList<>();
        List<String> pseud = new ArrayList<>();
        for (Map.Entry<String, FieldInventory.Treatment> e : new TreeMap<>(FieldInventory.all()).entrySet()) {
            switch (e.getValue()) {
                case DROP -> dropped.add(e.getKey());
                case TOKEN, USER_URI -> pseud.add(e.getKey());
                default -> { }
            }
        }
        PrivacyHeader header = new PrivacyHeader(policy.mode().label(), policy.subscribers().toString(),
                policy.keyRotation().toString(), policy.k(), policy.epsilon(),
                a == null ? null : a.reference(), dropped, pseud);
        for (FlowSink s : this.sinks) {
            s.accept(ISSUER.release(header));
        }
    }

    public PrivacyPolicy policy() {
        return policy;
    }

    /**
     * Releases one flow record according to the policy. Thread-safe: the record is transformed on
     * the calling worker's thread, only the hand-over to the sinks is serialised.
     */
    public void emit(FlowRecord r) {
        if (aggregator != null) {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("privacy guard closed");
                }
                aggregator.add(r);
            }
            return;
        }
        FlowRecord out = policy.mode() == PrivacyMode.IDENTIFIED && inScope(r) ? r : pseudonymise(r);
        release(out, out == r);
    }

    private void release(FlowRecord out, boolean asCaptured) {
        if (asCaptured) {
            identified.increment();
        }
        if (sinkArray.length == 0) {
            // nothing to hand over (a summary-only run): count without taking the workers' lock
            if (closed) {
                throw new IllegalStateException("privacy guard closed");
            }
            released.increment();
            return;
        }
        handOver(out);
    }

    private synchronized void handOver(FlowRecord out) {
        if (closed) {
            throw new IllegalStateException("privacy guard closed");
        }
        released.increment();
        Released<FlowRecord> rel = ISSUER.release(out);
        for (FlowSink s : sinkArray) {   // an array: no iterator per record
            try {
                s.accept(rel);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private boolean inScope(FlowRecord r) {
        Authorisation a = policy.authorisation();
        boolean srcSub = policy.subscribers().contains(r.srcHi(), r.srcLo());
        boolean dstSub = policy.subscribers().contains(r.dstHi(), r.dstLo());
        if (!srcSub && !dstSub) {
            return true; // nothing personal in the addresses; metadata still needs the scope
        }
        return (!srcSub || a.covers(r.srcHi(), r.srcLo(), r.firstSeenNanos()))
                && (!dstSub || a.covers(r.dstHi(), r.dstLo(), r.firstSeenNanos()));
    }

    /**
     * Releases a call record: in pseudonymous mode (and identified mode outside the scope) caller,
     * callee and call id are tokenised and subscriber addresses pseudonymised; aggregate mode
     * releases no individual calls.
     */
    public synchronized void emitCall(CallRecord c) {
        if (closed) {
            throw new IllegalStateException("privacy guard closed");
        }
        if (aggregator != null) {
            withheldCalls++;
            return;
        }
        CallRecord out = c;
        boolean inScope = policy.mode() == PrivacyMode.IDENTIFIED
                && scoped(c.clientHi(), c.clientLo(), c.startNanos()) && scoped(c.serverHi(), c.serverLo(), c.startNanos());
        if (!inScope) {
            long epoch = pseudonyms.get().epoch(c.startNanos());
            long[] cl = subscriberPseudonym(epoch, c.clientHi(), c.clientLo());
            long[] sv = subscriberPseudonym(epoch, c.serverHi(), c.serverLo());
            out = c.withParties(c.caller() == null ? null : scrub(userUri(c.caller(), epoch), epoch),
                    c.callee() == null ? null : scrub(userUri(c.callee(), epoch), epoch),
                    c.callId() == null ? null : "t-" + pseudonyms.get().token(epoch, "id", c.callId()),
                    cl[0], cl[1], sv[0], sv[1]);
        }
        releasedCalls++;
        Released<CallRecord> rel = ISSUER.release(out);
        for (FlowSink s : sinkArray) {   // an array: no iterator per record
            try {
                s.accept(rel);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Releases an alert: subscriber addresses among target and sources are pseudonymised
     * (aggregate mode: a subscriber target is named by its subscriber network, subscriber sources
     * are left out).
     */
    public synchronized void emitAlert(AlertRecord a) {
        if (closed) {
            throw new IllegalStateException("privacy guard closed");
        }
        long epoch = pseudonyms.get().epoch(a.startNanos());
        long tHi = a.targetHi(), tLo = a.targetLo();
        List<long[]> sources = new ArrayList<>();
        boolean identified = policy.mode() == PrivacyMode.IDENTIFIED;
        if (policy.subscribers().contains(tHi, tLo) && !(identified && scoped(tHi, tLo, a.startNanos()))) {
            if (aggregator != null) {
                Cidr seg = policy.subscribers().segmentOf(tHi, tLo);
                tHi = seg.hi();
                tLo = seg.lo();
            } else {
                long[] p = pseudonyms.get().address(epoch, tHi, tLo);
                tHi = p[0];
                tLo = p[1];
            }
        }
        for (long[] s : a.topSources()) {
            if (policy.subscribers().contains(s[0], s[1]) && !(identified && scoped(s[0], s[1], a.startNanos()))) {
                if (aggregator == null) {
                    sources.add(pseudonyms.get().address(epoch, s[0], s[1]));
                }
            } else {
                sources.add(s);
            }
        }
        releasedAlerts++;
        Released<AlertRecord> rel = ISSUER.release(a.withAddresses(tHi, tLo, sources));
        for (FlowSink s : sinkArray) {   // an array: no iterator per record
            try {
                s.accept(rel);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private boolean scoped(long hi, long lo, long ts) {
        return !policy.subscribers().contains(hi, lo) || policy.authorisation().covers(hi, lo, ts);
    }

    private long[] subscriberPseudonym(long epoch, long hi, long lo) {
        return policy.subscribers().contains(hi, lo) ? pseudonyms.get().address(epoch, hi, lo) : new long[] {hi, lo};
    }

    private FlowRecord pseudonymise(FlowRecord r) {
        long epoch = pseudonyms.get().epoch(r.firstSeenNanos());
        long sHi = r.srcHi(), sLo = r.srcLo(), dHi = r.dstHi(), dLo = r.dstLo();
        boolean any = false;
        if (policy.subscribers().contains(sHi, sLo)) {
            long[] p = pseudonyms.get().address(epoch, sHi, sLo);
            sHi = p[0];
            sLo = p[1];
            any = true;
        }
        if (policy.subscribers().contains(dHi, dLo)) {
            long[] p = pseudonyms.get().address(epoch, dHi, dLo);
            dHi = p[0];
            dLo = p[1];
            any = true;
        }
        LinkedHashMap<String, Object> meta = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : r.metadata().entrySet()) {
            String key = e.getKey();
            if (!FieldInventory.known(key)) {
                droppedFields.merge(key, 1L, Long::sum);
                continue;
            }
            Object v = treat(FieldInventory.of(key), e.getValue(), epoch);
            if (v != null) {
                meta.put(key, v);
            }
        }
        if (any) {
            pseudonymisedAddresses.increment();
            String label = pseudonyms.get().epochLabel(epoch);
            epochs.add(label);
            meta.put("pseudonym_epoch", label);
        }
        return r.with(sHi, sLo, dHi, dLo, meta);
    }

    private Object treat(FieldInventory.Treatment t, Object v, long epoch) {
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                Object x = treat(t, o, epoch);
                if (x != null) {
                    out.add(x);
                }
            }
            return out;
        }
        if (!(v instanceof String s)) {
            return t == FieldInventory.Treatment.DROP ? null : v;
        }
        return switch (t) {
            case KEEP -> s;
            case SCRUB -> scrub(s, epoch);
            case TOKEN -> "t-" + pseudonyms.get().token(epoch, "id", s);
            case USER_URI -> scrub(userUri(s, epoch), epoch);
            case DROP -> null;
        };
    }

    /** Removes a display name and replaces the user part of SIP/tel/mail URIs and addresses. */
    private String userUri(String s, long epoch) {
        String t = s;
        int lt = t.indexOf('<');
        if (lt >= 0) {
            int gt = t.indexOf('>', lt);
            t = gt > lt ? t.substring(lt + 1, gt) : t.substring(lt + 1);
        }
        Matcher m = URI_USER.matcher(t);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String user = m.group(2);
            String replacement = isServiceNumber(user) ? user : "u-" + pseudonyms.get().token(epoch, "user", user);
            m.appendReplacement(sb, Matcher.quoteReplacement((m.group(1) == null ? "" : m.group(1)) + replacement + "@"));
        }
        m.appendTail(sb);
        String out = sb.toString();
        if (out.startsWith("tel:")) {
            String num = out.substring(4).split(";", 2)[0];
            if (!isServiceNumber(num)) {
                out = "tel:u-" + pseudonyms.get().token(epoch, "user", num);
            }
        }
        return out;
    }

    /** Short dialled service numbers (112, 911, ...) are not personal. */
    private static boolean isServiceNumber(String user) {
        return user.length() <= 4 && user.chars().allMatch(Character::isDigit) || user.equalsIgnoreCase("anonymous");
    }

    /** Replaces every subscriber address inside a text (including reverse-DNS names) by its pseudonym. */
    String scrub(String s, long epoch) {
        boolean digit = false;
        boolean colon = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c == ':') {
                colon = true;
            }
        }
        if (!digit && !colon) {
            return s; // no address literal can hide in it (the common case: host names)
        }
        Matcher rv = endsWithIgnoreCase(s, "in-addr.arpa") || endsWithIgnoreCase(s, "in-addr.arpa.") ? REVERSE_V4.matcher(s) : null;
        if (rv != null && rv.matches()) {
            String fwd = rv.group(4) + "." + rv.group(3) + "." + rv.group(2) + "." + rv.group(1);
            String p = pseudonymText(fwd, epoch);
            if (p != null) {
                String[] q = p.split("\\.");
                return q[3] + "." + q[2] + "." + q[1] + "." + q[0] + ".in-addr.arpa";
            }
            return s;
        }
        if (endsWithIgnoreCase(s, "ip6.arpa") || endsWithIgnoreCase(s, "ip6.arpa.")) {
            return reverse6IsSubscriber(s) ? "ip6.arpa" : s; // the nibbles of a subscriber address are dropped
        }
        if (s.indexOf('.') < 0 && s.indexOf(':') < 0) {
            return s;
        }
        // the regular expressions only run where a cheap scan finds the shape of a literal
        String out = mayHoldIpv4(s) ? replace(IPV4, s, epoch) : s;
        if (mayHoldIpv6(out)) {
            out = replace(IPV6, out, epoch);
        }
        return out;
    }

    private static boolean endsWithIgnoreCase(String s, String suffix) {
        return s.regionMatches(true, s.length() - suffix.length(), suffix, 0, suffix.length());
    }

    /** Whether {@code s} has digits-dot-digits-dot-digits-dot-digits somewhere: every IPv4 literal does. */
    static boolean mayHoldIpv4(String s) {
        int groups = 0;          // complete "digits." groups in a row
        boolean inDigits = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (groups == 3) {
                    return true;
                }
                inDigits = true;
            } else if (c == '.' && inDigits) {
                groups++;
                inDigits = false;
            } else {
                groups = 0;
                inDigits = false;
            }
        }
        return false;
    }

    /** Whether {@code s} has two colons with at most four hex digits between them: every IPv6 literal does. */
    static boolean mayHoldIpv6(String s) {
        int lastColon = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ':') {
                if (lastColon >= 0) {
                    return true;
                }
                lastColon = i;
            } else if (lastColon >= 0 && (i - lastColon > 4 || Character.digit(c, 16) < 0)) {
                lastColon = -1;
            }
        }
        return false;
    }

    private boolean reverse6IsSubscriber(String s) {
        String t = s.toLowerCase(java.util.Locale.ROOT);
        t = t.substring(0, t.indexOf("ip6.arpa"));
        String[] nibbles = t.split("\\.");
        if (nibbles.length < 32) {
            return true; // a partial reverse name: treat it as personal
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 31; i >= 0; i--) {
            hex.append(nibbles[i]);
        }
        try {
            long hi = Long.parseUnsignedLong(hex.substring(0, 16), 16);
            long lo = Long.parseUnsignedLong(hex.substring(16, 32), 16);
            return policy.subscribers().contains(hi, lo);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private String replace(Pattern p, String s, long epoch) {
        Matcher m = p.matcher(s);
        StringBuilder sb = null;
        while (m.find()) {
            String pseudo = pseudonymText(m.group(), epoch);
            if (pseudo == null) {
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder();
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(pseudo));
        }
        if (sb == null) {
            return s;
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The pseudonym text of an address literal if it is a subscriber's, else null. */
    private String pseudonymText(String literal, long epoch) {
        long[] a;
        try {
            a = Cidr.parseAddress(literal);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!policy.subscribers().contains(a[0], a[1])) {
            return null;
        }
        long[] p = pseudonyms.get().address(epoch, a[0], a[1]);
        return Addresses.format(p[0], p[1]);
    }

    /** Records released so far. */
    public long released() {
        return released.sum();
    }

    /** Fields dropped because the inventory does not list them, with counts. */
    public Map<String, Long> droppedFields() {
        return new TreeMap<>(droppedFields);
    }

    public AuditLog audit() {
        return audit;
    }

    /** Releases aggregates (aggregate mode), writes the end of the run to the audit log, closes the sinks. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("mode", policy.mode().label());
        if (aggregator != null) {
            List<AggregateRecord> rows = aggregator.publish();
            for (AggregateRecord row : rows) {
                Released<AggregateRecord> rel = ISSUER.release(row);
                for (FlowSink s : sinkArray) {   // an array: no iterator per record
                    s.accept(rel);
                }
            }
            end.put("aggregate_rows", (long) rows.size());
            end.put("suppressed_groups", aggregator.suppressedGroups);
            if (policy.epsilon() != null) {
                end.put("epsilon_spent", aggregator.epsilonSpent);
            }
        } else {
            end.put("records_released", released.sum());
            end.put("records_with_pseudonyms", pseudonymisedAddresses.sum());
            end.put("key_epochs", new ArrayList<>(epochs));
            if (policy.mode() == PrivacyMode.IDENTIFIED) {
                end.put("records_released_identified", identified.sum());
                end.put("authorisation_reference", policy.authorisation().reference());
            }
            if (!droppedFields.isEmpty()) {
                end.put("unlisted_fields_dropped", new ArrayList<>(droppedFields.keySet()));
            }
        }
        if (releasedCalls > 0 || withheldCalls > 0) {
            end.put("calls_released", releasedCalls);
            end.put("calls_withheld_aggregate_mode", withheldCalls);
        }
        if (releasedAlerts > 0) {
            end.put("alerts_released", releasedAlerts);
        }
        audit.append("run_finished", end);
        IOException first = null;
        for (FlowSink s : sinkArray) {   // an array: no iterator per record
            try {
                s.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
