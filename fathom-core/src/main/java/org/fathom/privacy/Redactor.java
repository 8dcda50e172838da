package org.fathom.privacy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fathom.field.Treatment;
import org.fathom.net.Addresses;
import org.fathom.net.Cidr;
import org.fathom.record.AggregateRecord;
import org.fathom.record.AlertRecord;
import org.fathom.record.CallRecord;
import org.fathom.record.EventRecord;
import org.fathom.record.FlowRecord;
import org.fathom.record.PrivacyHeader;

/**
 * The redaction policy: what a record becomes before it may leave ({@link PrivacyPolicy}).
 * <ul>
 *   <li>pseudonymous: subscriber addresses become prefix-preserving keyed pseudonyms (servers stay
 *       visible), metadata is minimised field by field ({@link FieldInventory}), unknown fields
 *       are dropped, addresses inside text are scrubbed;</li>
 *   <li>aggregate: no per-flow record leaves; flows join the statistics ({@link Aggregator}),
 *       published with k-suppression at the end;</li>
 *   <li>identified: records whose subscriber side lies within the authorisation's scope and
 *       window leave as captured; all others as in pseudonymous mode.</li>
 * </ul>
 * It also writes the run's policy, anything that narrows the default subscriber networks, every
 * identified run, and the run's end to the audit log. It makes plain records only: releasing
 * them (and handing them to the sinks) is the {@link PrivacyGuard}'s.
 *
 * <p>Thread-safe: workers redact their records in parallel (a pseudonymiser per thread, same key,
 * same results; counters are concurrent). The aggregator is not: the guard adds to it under its
 * lock.
 */
final class Redactor {
    private static final Pattern IPV4 = Pattern.compile("(?<![0-9.])(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?![0-9])");
    private static final Pattern IPV6 = Pattern.compile("(?<![0-9A-Za-z:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![0-9A-Za-z:])");
    private static final Pattern REVERSE_V4 = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.in-addr\\.arpa\\.?$", Pattern.CASE_INSENSITIVE);
    private static final Pattern URI_SCHEME = Pattern.compile("(?i)(?<![A-Za-z])(sips?|tel|mailto):");
    /** URI parameters that describe the protocol, not the person; any other parameter is left out. */
    private static final Pattern URI_PARAMS = Pattern.compile("(?i);(?:transport|user|lr|maddr|ttl|method)(?:=[A-Za-z0-9.\\-]{1,32})?(?=[;>?\\s]|$)");

    private final PrivacyPolicy policy;
    private final AuditLog audit;
    private final PrivacyHeader header;
    /** Per thread: workers pseudonymise their records in parallel (same key, same results). */
    private final ThreadLocal<Pseudonymizer> pseudonyms;
    /** Aggregate mode only, else null. Not thread-safe: the guard serialises {@link #aggregate}. */
    private final Aggregator aggregator;
    private final LongAdder released = new LongAdder();
    private final LongAdder identified = new LongAdder();
    private final LongAdder pseudonymisedAddresses = new LongAdder();
    private final LongAdder releasedCalls = new LongAdder();
    private final LongAdder withheldCalls = new LongAdder();
    private final LongAdder releasedAlerts = new LongAdder();
    private final LongAdder releasedEvents = new LongAdder();
    private final LongAdder withheldEvents = new LongAdder();
    private final FlowIds flowIds;
    private final LongAdder releasedVerdicts = new LongAdder();
    private final LongAdder withheldVerdicts = new LongAdder();
    private final ConcurrentSkipListMap<String, Long> droppedFields = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListSet<String> epochs = new ConcurrentSkipListSet<>();

    /**
     * Loads (or creates) the pseudonymisation key and writes the run's policy to the audit log.
     *
     * @throws IOException when the key cannot be read or created, or the audit log not written
     */
    Redactor(PrivacyPolicy policy, AuditLog audit) throws IOException {
        this.policy = policy.requireComplete();
        this.audit = audit;
        byte[] master = PseudonymKey.loadOrCreate(policy.keyFile(), audit);
        this.pseudonyms = ThreadLocal.withInitial(() -> new Pseudonymizer(master, policy.keyRotation()));
        this.flowIds = new FlowIds(master);
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
        for (Map.Entry<String, Treatment> e : new TreeMap<>(FieldInventory.all()).entrySet()) {
            switch (e.getValue()) {
                case DROP -> dropped.add(e.getKey());
                case TOKEN, USER_URI -> pseud.add(e.getKey());
                default -> { }
            }
        }
        this.header = new PrivacyHeader(policy.mode().label(), policy.subscribers().toString(),
                policy.keyRotation().toString(), policy.k(), policy.epsilon(),
                a == null ? null : a.reference(), dropped, pseud);
    }

    PrivacyPolicy policy() {
        return policy;
    }

    AuditLog audit() {
        return audit;
    }

    /** What was done to the records that follow: the first record of every output. */
    PrivacyHeader header() {
        return header;
    }

    /** Aggregate mode: no individual flow leaves, flows go to {@link #aggregate} instead. */
    boolean aggregating() {
        return aggregator != null;
    }

    /** Aggregate mode: counts the flow into its group. Not thread-safe: the caller serialises. */
    void aggregate(FlowRecord r) {
        aggregator.add(r);
    }

    /** The flow as it may leave (not in aggregate mode, see {@link #aggregate}). */
    FlowRecord flow(FlowRecord r) {
        FlowRecord out = policy.mode() == PrivacyMode.IDENTIFIED && inScope(r) ? r : pseudonymise(r);
        if (out == r) {
            identified.increment();
        }
        released.increment();
        return out;
    }

    /**
     * Counts a flow as {@link #flow} would release it, without making the released copy: for a run
     * whose exit has no sink (a summary-only run), where the copy would be thrown away unread. The
     * counters, the key epochs and the dropped-field names come out exactly as with {@link #flow}.
     */
    void countFlow(FlowRecord r) {
        if (policy.mode() == PrivacyMode.IDENTIFIED && inScope(r)) {
            identified.increment();
        } else {
            SubscriberNetworks subs = policy.subscribers();
            if (subs.contains(r.srcHi(), r.srcLo()) || subs.contains(r.dstHi(), r.dstLo())) {
                pseudonymisedAddresses.increment();
                Pseudonymizer p = pseudonyms.get();
                epochs.add(p.epochLabel(p.epoch(r.firstSeenNanos())));
            }
            for (String key : r.metadata().keySet()) {
                if (!FieldInventory.known(key)) {
                    droppedFields.merge(key, 1L, Long::sum);
                }
            }
        }
        released.increment();
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
     * The call as it may leave, or null in aggregate mode (no individual calls). In pseudonymous
     * mode (and identified mode outside the scope) caller, callee and call id are tokenised and
     * subscriber addresses pseudonymised.
     */
    CallRecord call(CallRecord c) {
        if (aggregator != null) {
            withheldCalls.increment();
            return null;
        }
        CallRecord out = c;
        boolean inScope = policy.mode() == PrivacyMode.IDENTIFIED
                && scoped(c.clientHi(), c.clientLo(), c.startNanos()) && scoped(c.serverHi(), c.serverLo(), c.startNanos());
        if (!inScope) {
            Pseudonymizer p = pseudonyms.get();
            long epoch = p.epoch(c.startNanos());
            long[] cl = subscriberPseudonym(epoch, c.clientHi(), c.clientLo());
            long[] sv = subscriberPseudonym(epoch, c.serverHi(), c.serverLo());
            out = c.withParties(c.caller() == null ? null : userUri(c.caller(), epoch),
                    c.callee() == null ? null : userUri(c.callee(), epoch),
                    c.callId() == null ? null : "t-" + p.token(epoch, "id", c.callId()),
                    cl[0], cl[1], sv[0], sv[1]);
        }
        releasedCalls.increment();
        return out;
    }

    /**
     * The alert as it may leave: subscriber addresses among target and sources are pseudonymised
     * (aggregate mode: a subscriber target is named by its subscriber network, subscriber sources
     * are left out).
     */
    AlertRecord alert(AlertRecord a) {
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
        releasedAlerts.increment();
        return a.withAddresses(tHi, tLo, sources);
    }

    /** The keyed flow ids of this run's key ({@code flow_id} of flows and events). */
    FlowIds flowIds() {
        return flowIds;
    }

    /**
     * The event as it may leave, or null in aggregate mode (no individual transactions). Treated
     * as its flow would be: in identified mode within the scope as captured; otherwise subscriber
     * addresses pseudonymised (in the epoch of the flow's first packet, so flow and events carry
     * the same pseudonyms) and each field by its inventory treatment, unlisted fields dropped.
     */
    EventRecord event(EventRecord e) {
        if (aggregator != null) {
            withheldEvents.increment();
            return null;
        }
        releasedEvents.increment();
        if (policy.mode() == PrivacyMode.IDENTIFIED && scoped(e.srcHi(), e.srcLo(), e.flowFirstSeenNanos())
                && scoped(e.dstHi(), e.dstLo(), e.flowFirstSeenNanos())) {
            return e;
        }
        long epoch = pseudonyms.get().epoch(e.flowFirstSeenNanos());
        long[] s = subscriberPseudonym(epoch, e.srcHi(), e.srcLo());
        long[] d = subscriberPseudonym(epoch, e.dstHi(), e.dstLo());
        LinkedHashMap<String, Object> out = treatFields(e.fields(), epoch);
        if (s[0] != e.srcHi() || s[1] != e.srcLo() || d[0] != e.dstHi() || d[1] != e.dstLo()) {
            out.put("pseudonym_epoch", pseudonyms.get().epochLabel(epoch));
        }
        return e.with(s[0], s[1], d[0], d[1], out);
    }

    /** Events released, and withheld (aggregate mode). */
    long releasedEvents() {
        return releasedEvents.sum();
    }

    long withheldEvents() {
        return withheldEvents.sum();
    }

    private static final Map<String, Treatment> inventory = FieldInventory.all();

    private LinkedHashMap<String, Object> treatFields(Map<String, Object> fields, long epoch) {
        LinkedHashMap<String, Object> meta = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            String key = e.getKey();
            Treatment t = inventory.get(key);   // one lookup: null when the field is not listed
            if (t == null) {
                droppedFields.merge(key, 1L, Long::sum);
                continue;
            }
            Object v = key.equals("jabber.to") && e.getValue() instanceof String js && isBareDomain(js)
                    ? scrub(js, epoch)   // an XMPP stream's 'to' is the server's domain: no user part to remove
                    : treat(t, e.getValue(), epoch);
            if (v != null) {
                meta.put(key, v);
            }
        }
        return meta;
    }

    /**
     * A policy verdict change as it may leave, or null in aggregate mode (no individual records):
     * subscriber addresses are pseudonymised as in flow records, unless identified mode covers them.
     */
    org.fathom.record.VerdictRecord verdict(org.fathom.record.VerdictRecord v) {
        if (aggregator != null) {
            withheldVerdicts.increment();
            return null;
        }
        boolean identifiedMode = policy.mode() == PrivacyMode.IDENTIFIED;
        long epoch = pseudonyms.get().epoch(v.nanos());
        long sHi = v.srcHi(), sLo = v.srcLo(), dHi = v.dstHi(), dLo = v.dstLo();
        if (policy.subscribers().contains(sHi, sLo) && !(identifiedMode && scoped(sHi, sLo, v.nanos()))) {
            long[] p = pseudonyms.get().address(epoch, sHi, sLo);
            sHi = p[0];
            sLo = p[1];
        }
        if (v.hasDestination() && policy.subscribers().contains(dHi, dLo) && !(identifiedMode && scoped(dHi, dLo, v.nanos()))) {
            long[] p = pseudonyms.get().address(epoch, dHi, dLo);
            dHi = p[0];
            dLo = p[1];
        }
        releasedVerdicts.increment();
        return v.withAddresses(sHi, sLo, dHi, dLo);
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
        LinkedHashMap<String, Object> meta = treatFields(r.metadata(), epoch);
        if (any) {
            pseudonymisedAddresses.increment();
            String label = pseudonyms.get().epochLabel(epoch);
            epochs.add(label);
            meta.put("pseudonym_epoch", label);
        }
        return r.with(sHi, sLo, dHi, dLo, meta);
    }

    private Object treat(Treatment t, Object v, long epoch) {
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
            return t == Treatment.DROP ? null : v;
        }
        return switch (t) {
            case KEEP -> s;
            case SCRUB -> scrub(s, epoch);
            case TOKEN -> "t-" + pseudonyms.get().token(epoch, "id", s);
            case USER_URI -> userUri(s, epoch);
            case DROP -> null;
        };
    }

    /**
     * A SIP/tel/mail URI or mail address as it may leave: rebuilt from the parts that could be
     * read — scheme, the user part as a keyed token (service numbers stay), the host (addresses
     * inside pseudonymised) and a few protocol parameters ({@link #URI_PARAMS}). Nothing else of
     * the value is copied: a display name, quoted or not, a password, user parameters, a resource,
     * or text that cannot be read as a URI never leaves. A value with no URI in it at all gives
     * null (the field is left out).
     */
    String userUri(String s, long epoch) {
        String t = withoutQuotedStrings(s);
        int lt = t.indexOf('<');
        if (lt >= 0) {
            int gt = t.indexOf('>', lt);
            t = gt > lt ? t.substring(lt + 1, gt) : t.substring(lt + 1);
        }
        Matcher sm = URI_SCHEME.matcher(t);
        String scheme = "";
        String rest;
        if (sm.find()) {
            scheme = sm.group(1);
            rest = t.substring(sm.end());
        } else if (t.indexOf('@') >= 0) {
            rest = t; // a bare mail address; whatever precedes the @ is the user part
        } else {
            return null;
        }
        if (scheme.equalsIgnoreCase("tel")) {
            int e = 0;
            while (e < rest.length() && ";>,? \t\"".indexOf(rest.charAt(e)) < 0) {
                e++;
            }
            String num = rest.substring(0, e);
            return num.isEmpty() ? null : "tel:" + userToken(num, epoch);
        }
        String prefix = scheme.isEmpty() ? "" : scheme + ":";
        // a URI holds no white space and exactly one '@' (its user part has none unescaped): the URI
        // ends at the first white space, so text after a space (an unquoted display name) is never
        // read as a host; with more than one '@' the value is mangled and no host is trusted
        rest = rest.stripLeading();
        int ws = 0;
        while (ws < rest.length() && !Character.isWhitespace(rest.charAt(ws))) {
            ws++;
        }
        rest = rest.substring(0, ws);
        int at = rest.indexOf('@');
        if (at >= 0 && rest.indexOf('@', at + 1) >= 0) {
            return prefix.isEmpty() ? null : prefix + userToken(rest, epoch);
        }
        if (at < 0) {
            // no user@host: the whole text is treated as the user part (a host-only URI is rare
            // in these fields, and text that only looks like a host may be a mangled user part)
            String user = rest.strip();
            return user.isEmpty() ? null : prefix + userToken(user, epoch);
        }
        String user = rest.substring(0, at);
        int colon = user.indexOf(':');
        if (colon > 0) {
            user = user.substring(0, colon); // user:password -> the password never counts
        }
        if (user.isBlank()) {
            return null; // "sip:@x": no user part, so what follows may be one shifted out of place
        }
        int h = at + 1;
        int he = hostEnd(rest, h);
        String host = rest.substring(h, he);
        if (host.indexOf('.') < 0 && !host.startsWith("[")) {
            // a single label is no domain or address: it may be a word of a name shifted into the
            // host's place by a mangled value, so it never leaves (a bare "x@y" not at all)
            return scheme.isEmpty() ? null : prefix + userToken(user, epoch);
        }
        StringBuilder out = new StringBuilder(prefix).append(userToken(user, epoch)).append('@');
        out.append(scrub(host, epoch));
        Matcher pm = URI_PARAMS.matcher(rest);
        pm.region(he, rest.length());
        while (pm.lookingAt()) {
            out.append(scrub(pm.group(), epoch)); // maddr may hold an address
            pm.region(pm.end(), rest.length());
        }
        return out.toString();
    }

    /**
     * The text without its quoted strings (display names; RFC 3261 quoted-string with backslash
     * escapes): no part of a URI is ever quoted. An unterminated quote takes the rest of the text.
     */
    static String withoutQuotedStrings(String s) {
        int q = s.indexOf('"');
        if (q < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                    b.append(' ');
                }
            } else if (c == '"') {
                quoted = true;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private String userToken(String user, long epoch) {
        return isServiceNumber(user) ? user : "u-" + pseudonyms.get().token(epoch, "user", user);
    }

    /** A domain name or address literal alone (at least one dot or colon, host characters only). */
    static boolean isBareDomain(String s) {
        if (s.isEmpty() || (s.indexOf('.') < 0 && s.indexOf(':') < 0)) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isHostChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where the host starting at {@code h} ends: a bracketed IPv6 literal, or a name or IPv4
     * address (letters, digits, dots, hyphens), then an optional {@code :port} of digits. A colon
     * anywhere else ends it, so text such as {@code p:name:10.0.0.9} is never taken for a host.
     */
    private static int hostEnd(String s, int h) {
        int e = h;
        if (e < s.length() && s.charAt(e) == '[') {
            int close = s.indexOf(']', e);
            if (close < 0) {
                return h;   // an unterminated literal is no host
            }
            for (int i = e + 1; i < close; i++) {
                char c = s.charAt(i);
                if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
                    return h;
                }
            }
            e = close + 1;
        } else {
            while (e < s.length()) {
                char c = s.charAt(e);
                if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
                    e++;
                } else {
                    break;
                }
            }
        }
        if (e > h && e + 1 < s.length() && s.charAt(e) == ':' && Character.isDigit(s.charAt(e + 1))) {
            int p = e + 1;
            while (p < s.length() && Character.isDigit(s.charAt(p))) {
                p++;
            }
            if (p == s.length() || ";?>,".indexOf(s.charAt(p)) >= 0) {
                e = p;   // a port
            }
        }
        return e;
    }

    private static boolean isHostChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
                || c == ':' || c == '[' || c == ']';
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

    /** Flow records let out so far. */
    long released() {
        return released.sum();
    }

    /** The counters of what was released so far (no personal data: counts only). */
    PrivacyGuard.Counters counters() {
        return new PrivacyGuard.Counters(released.sum(), pseudonymisedAddresses.sum(), identified.sum(),
                releasedCalls.sum(), withheldCalls.sum(), releasedAlerts.sum(),
                aggregator == null ? 0 : aggregator.suppressedGroups);
    }

    /** Fields dropped because the inventory does not list them, with counts. */
    Map<String, Long> droppedFields() {
        return new TreeMap<>(droppedFields);
    }

    /** Aggregate mode: the statistics to publish at the end, k-suppressed (else none). Call once. */
    List<AggregateRecord> publish() {
        return aggregator == null ? List.of() : aggregator.publish();
    }

    /** Writes the end of the run to the audit log. {@code aggregateRows}: how many rows were published. */
    void finish(int aggregateRows) throws IOException {
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("mode", policy.mode().label());
        if (aggregator != null) {
            end.put("aggregate_rows", (long) aggregateRows);
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
        long calls = releasedCalls.sum();
        long withheld = withheldCalls.sum();
        if (calls > 0 || withheld > 0) {
            end.put("calls_released", calls);
            end.put("calls_withheld_aggregate_mode", withheld);
        }
        long alerts = releasedAlerts.sum();
        if (alerts > 0) {
            end.put("alerts_released", alerts);
        }
        long verdicts = releasedVerdicts.sum();
        long withheldV = withheldVerdicts.sum();
        if (verdicts > 0 || withheldV > 0) {
            end.put("verdicts_released", verdicts);
            end.put("verdicts_withheld_aggregate_mode", withheldV);
        }
        audit.append("run_finished", end);
    }
}
