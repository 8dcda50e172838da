package org.fathom.policy;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.fathom.net.Cidr;

/**
 * The {@code match:} of one rule: every key given must hold (and), any value of a key's list may
 * (or). A key not given matches anything. Immutable; matching allocates nothing but the lower-case
 * copies of a flow's names (once per flow, at classification).
 *
 * <p>Three kinds of rule, by the keys they use:
 * <ul>
 *   <li><b>flow rules</b> (L3/L4, classification, time): decided for a flow as soon as its facts
 *       are known: at its first packet when the rule needs no classification, else when it is
 *       classified;</li>
 *   <li><b>alert rules</b> ({@code alert}, with {@code src_net}/{@code dst_net}/{@code time}):
 *       decided when the attack detector raises an alert; the verdict sticks to an address (the
 *       alert's source or target) for the rule's {@code for:};</li>
 *   <li><b>call rules</b> ({@code emergency_call}, {@code outcome}, with L3/L4 keys on the
 *       signalling endpoints and {@code time}): decided by the call analyzer's events; the verdict
 *       covers the call's signalling flow and its announced media.</li>
 * </ul>
 */
public final class Match {
    /** The kind of rule a match makes (see the class comment). */
    public enum Kind { FLOW, ALERT, CALL }

    final Cidr[] srcNets;
    final Cidr[] dstNets;
    /** Server port ranges as pairs (from, to), or null. */
    final int[] ports;
    /** IP protocol numbers, or null. */
    final int[] l4;
    final int[] vlans;
    final Set<String> protocols;
    final Set<String> applications;
    final Set<String> categories;
    final Set<String> risks;
    final Set<String> confidences;
    /** Host name patterns, lower case. */
    final String[] hosts;
    final String[] snis;
    final boolean emergency;
    final Set<String> outcomes;
    final Set<String> alerts;
    final boolean alertAsTarget;
    /** Time-of-day ranges in minutes as pairs (from, to), to exclusive; to < from wraps midnight. */
    final int[] times;
    final ZoneId zone;

    Match(Cidr[] srcNets, Cidr[] dstNets, int[] ports, int[] l4, int[] vlans, Set<String> protocols,
          Set<String> applications, Set<String> categories, Set<String> risks, Set<String> confidences,
          String[] hosts, String[] snis, boolean emergency, Set<String> outcomes, Set<String> alerts,
          boolean alertAsTarget, int[] times, ZoneId zone) {
        this.srcNets = srcNets;
        this.dstNets = dstNets;
        this.ports = ports;
        this.l4 = l4;
        this.vlans = vlans;
        this.protocols = protocols;
        this.applications = applications;
        this.categories = categories;
        this.risks = risks;
        this.confidences = confidences;
        this.hosts = hosts;
        this.snis = snis;
        this.emergency = emergency;
        this.outcomes = outcomes;
        this.alerts = alerts;
        this.alertAsTarget = alertAsTarget;
        this.times = times;
        this.zone = zone;
    }

    /** A match with no keys: everything. */
    static Match all(ZoneId zone) {
        return new Match(null, null, null, null, null, null, null, null, null, null, null, null, false, null, null,
                false, null, zone);
    }

    public Kind kind() {
        if (alerts != null) {
            return Kind.ALERT;
        }
        if (emergency || outcomes != null) {
            return Kind.CALL;
        }
        return Kind.FLOW;
    }

    /** Whether a flow must be classified before this rule can be decided. */
    public boolean needsClassification() {
        return protocols != null || applications != null || categories != null || risks != null
                || confidences != null || hosts != null || snis != null;
    }

    /** Whether the rule holds for a flow or call (alert keys are not looked at: see {@link #matchesAlert}). */
    public boolean matches(Facts f) {
        if (emergency && !(f.call && f.emergency)) {
            return false;
        }
        if (outcomes != null && (f.outcome == null || !outcomes.contains(f.outcome))) {
            return false;
        }
        if (!l3l4(f)) {
            return false;
        }
        if (needsClassification()) {
            if (f.protocol == null) {
                return false;
            }
            if (protocols != null && !protocols.contains(key(f.protocolKey, f.protocolOf, f.protocol))) {
                return false;
            }
            if (applications != null && !applications.contains(key(f.applicationKey, f.applicationOf, f.application))) {
                return false;
            }
            if (categories != null && !categories.contains(key(f.categoryKey, f.categoryOf, f.category))) {
                return false;
            }
            if (confidences != null && !confidences.contains(key(f.confidenceKey, f.confidenceOf, f.confidence))) {
                return false;
            }
            if (risks != null && !anyRisk(f.risks)) {
                return false;
            }
            if (hosts != null && !names(f.metadata, HOST_KEYS, hosts)) {
                return false;
            }
            if (snis != null && !names(f.metadata, SNI_KEYS, snis)) {
                return false;
            }
        }
        return time(f.nanos);
    }

    /** The L3/L4 keys alone. */
    boolean l3l4(Facts f) {
        if (srcNets != null && !in(srcNets, f.srcHi, f.srcLo)) {
            return false;
        }
        if (dstNets != null && !in(dstNets, f.dstHi, f.dstLo)) {
            return false;
        }
        if (l4 != null && !contains(l4, f.l4)) {
            return false;
        }
        if (vlans != null && !contains(vlans, f.vlan)) {
            return false;
        }
        if (ports != null) {
            boolean any = false;
            for (int i = 0; i < ports.length; i += 2) {
                if (f.dstPort >= ports[i] && f.dstPort <= ports[i + 1]) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether an alert of {@code kind} raised at {@code nanos} makes this (alert) rule act on the
     * address: the alert's source ({@code asTarget} false) or target; {@code src_net} restricts
     * the sources acted on, {@code dst_net} the targets.
     */
    public boolean matchesAlert(String kind, boolean asTarget, long hi, long lo, long nanos) {
        if (alerts == null || !alerts.contains(kind) || asTarget != alertAsTarget) {
            return false;
        }
        Cidr[] nets = asTarget ? dstNets : srcNets;
        if (nets != null && !in(nets, hi, lo)) {
            return false;
        }
        return time(nanos);
    }

    boolean time(long nanos) {
        if (times == null) {
            return true;
        }
        LocalTime t = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L)).atZone(zone).toLocalTime();
        int m = t.getHour() * 60 + t.getMinute();
        for (int i = 0; i < times.length; i += 2) {
            int from = times[i], to = times[i + 1];
            if (from <= to ? m >= from && m < to : m >= from || m < to) {
                return true;
            }
        }
        return false;
    }

    /** Metadata keys that name the server a flow went to ({@code host:}). */
    static final List<String> HOST_KEYS = List.of("http.host", "tls.sni", "quic.sni", "dns.query", "rtsp.host",
            "git.host", "socks.host", "fastcgi.host");
    /** Metadata keys of the TLS/QUIC server name indication ({@code sni:}). */
    static final List<String> SNI_KEYS = List.of("tls.sni", "quic.sni");

    private static boolean names(Map<String, Object> meta, List<String> keys, String[] patterns) {
        for (String k : keys) {
            if (meta.get(k) instanceof String s && !s.isEmpty()) {
                String name = lower(s);
                for (String p : patterns) {
                    if (nameMatches(p, name)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * A pattern with {@code *} is a glob over the whole name ({@code *} any run of characters);
     * without, it matches the name itself and every name under it ({@code example.com} matches
     * {@code www.example.com}, not {@code badexample.com}). Both lower case.
     */
    static boolean nameMatches(String pattern, String name) {
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (pattern.indexOf('*') < 0) {
            return name.equals(pattern) || name.endsWith(pattern) && name.charAt(name.length() - pattern.length() - 1) == '.';
        }
        return glob(pattern, 0, name, 0);
    }

    private static boolean glob(String p, int pi, String s, int si) {
        // iterative glob with one backtrack point: linear enough for host names
        int star = -1, mark = 0;
        while (si < s.length()) {
            if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                mark = si;
            } else if (pi < p.length() && p.charAt(pi) == s.charAt(si)) {
                pi++;
                si++;
            } else if (star >= 0) {
                pi = star + 1;
                si = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }

    private boolean anyRisk(List<String> flowRisks) {
        for (String r : flowRisks) {
            if (risks.contains(lower(r))) {
                return true;
            }
        }
        return false;
    }

    private static boolean in(Cidr[] nets, long hi, long lo) {
        for (Cidr c : nets) {
            if (c.contains(hi, lo)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    /** The lower-case key {@link Facts#classified} made from {@code value}, or made here when a caller set the field itself. */
    private static String key(String lowered, String of, String value) {
        return lowered != null && of == value ? lowered : lower(value);
    }

    static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
