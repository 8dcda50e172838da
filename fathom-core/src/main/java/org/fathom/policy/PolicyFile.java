package org.fathom.policy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fathom.net.Cidr;

/**
 * Reads a policy file (YAML, see docs/POLICY.md) and validates all of it before anything runs:
 * every problem is a {@link PolicyException} naming the file, the line and what is wrong.
 *
 * <pre>
 * policy:
 *   name: default
 *   timezone: Europe/Paris        # for time: ranges (UTC when not given)
 *   rules:
 *     - name: emergency-calls-first
 *       match: { emergency_call: true }
 *       action: prioritise
 *     - name: block-spam-runs
 *       match: { alert: spam_run }
 *       action: block
 *       for: 1h
 *   default: allow
 * </pre>
 */
public final class PolicyFile {
    /** A policy file larger than this is not a policy file. */
    static final long MAX_BYTES = 4 << 20;
    /** Rules per policy at most (each flow is matched against them in turn). */
    public static final int MAX_RULES = 10_000;

    static final Set<String> POLICY_KEYS = new LinkedHashSet<>(List.of("name", "timezone", "rules", "default"));
    static final Set<String> RULE_KEYS = new LinkedHashSet<>(List.of("name", "match", "action", "dscp", "rate", "for"));
    static final Set<String> MATCH_KEYS = new LinkedHashSet<>(List.of("src_net", "dst_net", "port", "l4", "vlan",
            "protocol", "application", "category", "risk", "host", "sni", "confidence", "emergency_call", "outcome",
            "alert", "alert_as", "time"));
    static final Set<String> CONFIDENCES = Set.of("dpi", "port", "ip", "cache", "unknown");
    static final Set<String> OUTCOMES = new LinkedHashSet<>(List.of("completed", "dropped", "busy", "no_answer",
            "cancelled", "redirected", "rejected", "failed", "in_progress"));
    /** The attack detector's alert kinds (record.AlertRecord). */
    static final Set<String> ALERT_KINDS = new LinkedHashSet<>(List.of("syn_flood", "udp_flood", "icmp_flood",
            "ack_flood", "rst_flood", "fragment_flood", "dns_amplification", "ntp_amplification", "ssdp_amplification",
            "memcached_amplification", "cldap_amplification", "snmp_amplification", "http_flood", "port_scan",
            "host_scan", "spam_run", "brute_force"));
    /** Alerts that name their source (one scanning, spamming or guessing host); floods have many. */
    static final Set<String> SOURCE_ALERTS = Set.of("port_scan", "host_scan", "spam_run", "brute_force");
    /** Keys an alert rule may combine with {@code alert}. */
    static final Set<String> ALERT_RULE_KEYS = Set.of("alert", "alert_as", "src_net", "dst_net", "time");
    /** Keys a call rule may combine with {@code emergency_call}/{@code outcome}. */
    static final Set<String> CALL_RULE_KEYS = Set.of("emergency_call", "outcome", "src_net", "dst_net", "port", "l4", "time");

    private static final Pattern RATE = Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*(bit|bps|b|kbit|kbps|k|mbit|mbps|m|gbit|gbps|g)?(?:/s)?\\s*");
    private static final Pattern DURATION = Pattern.compile("(?i)\\s*(\\d+)\\s*(s|sec|m|min|h|d)?\\s*");
    private static final Pattern TIME = Pattern.compile("\\s*(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})\\s*");
    private static final Pattern PORTS = Pattern.compile("\\s*(\\d{1,5})\\s*(?:-\\s*(\\d{1,5})\\s*)?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");
    private static final Pattern HOST = Pattern.compile("[a-z0-9*._-]{1,253}");

    private final String file;

    private PolicyFile(String file) {
        this.file = file;
    }

    /**
     * Reads and validates a policy file.
     *
     * @throws PolicyException for anything wrong with it, the file unreadable included
     */
    public static Policy load(Path path) {
        String name = path.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) {
                throw new PolicyException(name, 0, "is a folder, not a policy file");
            }
            if (Files.size(path) > MAX_BYTES) {
                throw new PolicyException(name, 0, "larger than " + (MAX_BYTES >> 20) + " MiB: not a policy file");
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new PolicyException(name, 0, "no such file");
        } catch (IOException e) {
            throw new PolicyException(name, 0, "cannot read (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
        return parse(name, bytes);
    }

    /** Validates a policy given as bytes; {@code name} is what messages call it. */
    public static Policy parse(String name, byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new PolicyException(name, 0, "not UTF-8 text: not a policy file");
        }
        if (text.indexOf('\0') >= 0) {
            throw new PolicyException(name, 0, "holds NUL bytes: not a policy file");
        }
        YamlNode root = YamlNode.parse(name, new StringReader(text));
        return new PolicyFile(name).policy(root, sha256(bytes));
    }

    /** Hex SHA-256 of a policy file's bytes (as the audit log records it). */
    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private PolicyException error(YamlNode at, String problem) {
        return new PolicyException(file, at == null ? 0 : at.line(), problem);
    }

    private Policy policy(YamlNode root, String sha) {
        Map<String, YamlNode> top = root.map();
        if (top == null) {
            throw error(root, "expected a mapping with 'policy:' at the top, found " + describe(root));
        }
        for (Map.Entry<String, YamlNode> e : top.entrySet()) {
            if (!e.getKey().equals("policy")) {
                throw error(e.getValue(), "unknown key '" + e.getKey() + "' at the top (expected 'policy:')");
            }
        }
        YamlNode pn = top.get("policy");
        if (pn == null) {
            throw error(root, "no 'policy:' at the top");
        }
        Map<String, YamlNode> p = pn.map();
        if (p == null) {
            throw error(pn, "'policy:' must be a mapping (name, rules, default), found " + describe(pn));
        }
        checkKeys(p, POLICY_KEYS, "policy key");
        String name = p.containsKey("name") ? scalar(p.get("name"), "name") : "default";
        ZoneId zone = ZoneOffset.UTC;
        if (p.containsKey("timezone")) {
            String z = scalar(p.get("timezone"), "timezone");
            try {
                zone = ZoneId.of(z);
            } catch (DateTimeException e) {
                throw error(p.get("timezone"), "unknown time zone '" + z + "' (e.g. UTC, Europe/Paris)");
            }
        }
        Verdict fallback = Verdict.DEFAULT_ALLOW;
        if (p.containsKey("default")) {
            YamlNode d = p.get("default");
            String s = scalar(d, "default");
            Action a = Action.parse(s);
            if (a == null) {
                throw error(d, "unknown default action '" + s + "' (expected allow, block or report)");
            }
            if (a != Action.ALLOW && a != Action.BLOCK && a != Action.REPORT) {
                throw error(d, "default: " + a.label() + " needs parameters; the default may be allow, block or report");
            }
            fallback = Verdict.defaultOf(a);
        }
        List<Rule> rules = new ArrayList<>();
        YamlNode rn = p.get("rules");
        if (rn != null && rn.value() != null) {
            List<YamlNode> l = rn.list();
            if (l == null) {
                throw error(rn, "'rules:' must be a list of rules ('- name: ...'), found " + describe(rn));
            }
            if (l.size() > MAX_RULES) {
                throw error(rn, "more than " + MAX_RULES + " rules");
            }
            Set<String> names = new HashSet<>();
            for (YamlNode r : l) {
                Rule rule = rule(r, rules.size(), zone);
                if (!names.add(rule.name())) {
                    throw error(r, "a second rule named '" + rule.name() + "' (rule names must be unique)");
                }
                rules.add(rule);
            }
        }
        return new Policy(name, file, sha, rules, fallback, zone);
    }

    private Rule rule(YamlNode rn, int index, ZoneId zone) {
        Map<String, YamlNode> r = rn.map();
        if (r == null) {
            throw error(rn, "a rule must be a mapping (name, match, action), found " + describe(rn));
        }
        checkKeys(r, RULE_KEYS, "rule key");
        YamlNode nn = r.get("name");
        if (nn == null) {
            throw error(rn, "rule " + (index + 1) + " has no name");
        }
        String name = scalar(nn, "name");
        if (!NAME.matcher(name).matches()) {
            throw error(nn, "rule name '" + name + "': use letters, digits and . _ : - (at most 64)");
        }
        if (name.equals("default")) {
            throw error(nn, "'default' is the name of the default verdict; call the rule something else");
        }
        YamlNode mn = r.get("match");
        if (mn == null) {
            throw error(rn, "rule '" + name + "' has no match (use 'match: {}' to match everything)");
        }
        Match match = match(mn, name, zone);
        YamlNode an = r.get("action");
        if (an == null) {
            throw error(rn, "rule '" + name + "' has no action");
        }
        String as = scalar(an, "action");
        Action action = Action.parse(as);
        if (action == null) {
            throw error(an, "unknown action '" + as + "' (expected allow, block, report, mark, prioritise or rate_limit)");
        }
        int dscp = -1;
        YamlNode dn = r.get("dscp");
        if (action == Action.MARK || action == Action.PRIORITISE) {
            if (dn == null && action == Action.MARK) {
                throw error(an, "rule '" + name + "': mark needs 'dscp:' (0..63, or a name such as EF, AF41, CS1)");
            }
            dscp = dn == null ? Verdict.EF : dscp(dn);
        } else if (dn != null) {
            throw error(dn, "'dscp:' goes with mark or prioritise, not " + action.label());
        }
        long rate = 0;
        YamlNode ratn = r.get("rate");
        if (action == Action.RATE_LIMIT) {
            if (ratn == null) {
                throw error(an, "rule '" + name + "': rate_limit needs 'rate:' (e.g. 2mbit)");
            }
            rate = rate(ratn);
        } else if (ratn != null) {
            throw error(ratn, "'rate:' goes with rate_limit, not " + action.label());
        }
        long forNanos = 0;
        YamlNode fn = r.get("for");
        if (match.kind() == Match.Kind.ALERT) {
            if (fn == null) {
                throw error(rn, "rule '" + name + "' acts on alerts and needs 'for:' (how long the verdict sticks to the address, e.g. 1h)");
            }
            forNanos = duration(fn);
        } else if (fn != null) {
            throw error(fn, "'for:' goes with alert rules (match: { alert: ... }) only");
        }
        return new Rule(name, rn.line(), match, new Verdict(name, index, action, dscp, rate), forNanos);
    }

    private Match match(YamlNode mn, String rule, ZoneId zone) {
        if (mn.value() == null) {
            return Match.all(zone);
        }
        Map<String, YamlNode> m = mn.map();
        if (m == null) {
            throw error(mn, "match of rule '" + rule + "' must be a mapping (e.g. { application: BitTorrent }), found " + describe(mn));
        }
        checkKeys(m, MATCH_KEYS, "match key");
        Set<String> keys = m.keySet();
        if (keys.contains("alert")) {
            for (String k : keys) {
                if (!ALERT_RULE_KEYS.contains(k)) {
                    throw error(m.get(k), "'" + k + "' cannot be combined with 'alert' (an alert rule acts on addresses; it may use src_net, dst_net, alert_as, time)");
                }
            }
        } else if (keys.contains("alert_as")) {
            throw error(m.get("alert_as"), "'alert_as' goes with 'alert'");
        }
        if (keys.contains("emergency_call") || keys.contains("outcome")) {
            for (String k : keys) {
                if (!CALL_RULE_KEYS.contains(k)) {
                    throw error(m.get(k), "'" + k + "' cannot be combined with call keys (a call rule may use emergency_call, outcome, src_net, dst_net, port, l4, time)");
                }
            }
        }
        Cidr[] src = m.containsKey("src_net") ? nets(m.get("src_net")) : null;
        Cidr[] dst = m.containsKey("dst_net") ? nets(m.get("dst_net")) : null;
        int[] ports = m.containsKey("port") ? ports(m.get("port")) : null;
        int[] l4 = m.containsKey("l4") ? l4(m.get("l4")) : null;
        int[] vlans = m.containsKey("vlan") ? vlans(m.get("vlan")) : null;
        Set<String> protocols = names(m.get("protocol"), "protocol");
        Set<String> apps = names(m.get("application"), "application");
        Set<String> cats = names(m.get("category"), "category");
        Set<String> risks = m.containsKey("risk") ? oneOf(m.get("risk"), "risk", riskNames()) : null;
        Set<String> conf = m.containsKey("confidence") ? oneOf(m.get("confidence"), "confidence", CONFIDENCES) : null;
        String[] hosts = m.containsKey("host") ? hosts(m.get("host")) : null;
        String[] snis = m.containsKey("sni") ? hosts(m.get("sni")) : null;
        boolean emergency = false;
        if (m.containsKey("emergency_call")) {
            YamlNode e = m.get("emergency_call");
            String v = scalar(e, "emergency_call");
            if (!v.equalsIgnoreCase("true")) {
                throw error(e, "emergency_call: only 'true' is meaningful (leave the key out to match every call), not '" + v + "'");
            }
            emergency = true;
        }
        Set<String> outcomes = m.containsKey("outcome") ? oneOf(m.get("outcome"), "outcome", OUTCOMES) : null;
        Set<String> alerts = m.containsKey("alert") ? oneOf(m.get("alert"), "alert", ALERT_KINDS) : null;
        boolean asTarget = false;
        if (m.containsKey("alert_as")) {
            YamlNode a = m.get("alert_as");
            String v = scalar(a, "alert_as").toLowerCase(Locale.ROOT);
            if (!v.equals("source") && !v.equals("target")) {
                throw error(a, "alert_as must be source or target, not '" + v + "'");
            }
            asTarget = v.equals("target");
        }
        if (alerts != null && !asTarget) {
            for (String k : alerts) {
                if (!SOURCE_ALERTS.contains(k)) {
                    throw error(m.get("alert"), "a " + k + " alert has many (often spoofed) sources: act on its target ('alert_as: target') or use "
                            + String.join(", ", SOURCE_ALERTS.stream().sorted().toList()));
                }
            }
        }
        if (alerts != null && asTarget && src != null) {
            throw error(m.get("src_net"), "with 'alert_as: target' the rule acts on targets: restrict them with dst_net");
        }
        if (alerts != null && !asTarget && dst != null) {
            throw error(m.get("dst_net"), "an alert rule acts on the alert's source: restrict sources with src_net (or use 'alert_as: target')");
        }
        int[] times = m.containsKey("time") ? times(m.get("time")) : null;
        return new Match(src, dst, ports, l4, vlans, protocols, apps, cats, risks, conf, hosts, snis, emergency,
                outcomes, alerts, asTarget, times, zone);
    }

    private static Set<String> riskNames() {
        Set<String> s = new LinkedHashSet<>();
        for (org.fathom.protocol.Risk r : org.fathom.protocol.Risk.values()) {
            s.add(r.label());
        }
        return s;
    }

    private void checkKeys(Map<String, YamlNode> m, Set<String> allowed, String what) {
        for (Map.Entry<String, YamlNode> e : m.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                String near = nearest(e.getKey(), allowed);
                throw error(e.getValue(), "unknown " + what + " '" + e.getKey() + "'"
                        + (near != null ? " (did you mean '" + near + "'?)" : " (expected one of " + String.join(", ", allowed) + ")"));
            }
        }
    }

    /** The allowed word within two edits of {@code s}, or one that starts with it, or null. */
    static String nearest(String s, Set<String> allowed) {
        String best = null;
        int bestD = 3;
        String low = s.toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            int d = low.length() >= 4 && a.startsWith(low) ? 2 : distance(low, a);
            if (d < bestD) {
                bestD = d;
                best = a;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private String scalar(YamlNode n, String key) {
        String s = n.text();
        if (s == null) {
            throw error(n, "'" + key + "' must be a single value, found " + describe(n));
        }
        if (s.isBlank()) {
            throw error(n, "'" + key + "' is empty");
        }
        return s.strip();
    }

    /** The scalars of a key that takes one value or a list. */
    private List<YamlNode> values(YamlNode n, String key) {
        if (n.value() == null) {
            throw error(n, "'" + key + "' has no value");
        }
        List<YamlNode> l = n.items();
        if (l.isEmpty()) {
            throw error(n, "'" + key + "' is an empty list");
        }
        for (YamlNode v : l) {
            if (v.text() == null || v.text().isBlank()) {
                throw error(v, "'" + key + "' must be a value or a list of values, found " + describe(v));
            }
        }
        return l;
    }

    private Cidr[] nets(YamlNode n) {
        List<Cidr> l = new ArrayList<>();
        for (YamlNode v : values(n, "net")) {
            Cidr c = Cidr.tryParse(v.text());
            if (c == null) {
                throw error(v, "'" + v.text().strip() + "' is not an IP address or address block (a.b.c.d/n or an IPv6 prefix)");
            }
            l.add(c);
        }
        return l.toArray(Cidr[]::new);
    }

    private int[] ports(YamlNode n) {
        List<YamlNode> vs = values(n, "port");
        int[] out = new int[vs.size() * 2];
        int i = 0;
        for (YamlNode v : vs) {
            Matcher mt = PORTS.matcher(v.text());
            int from = -1, to = -1;
            if (mt.matches()) {
                from = Integer.parseInt(mt.group(1));
                to = mt.group(2) == null ? from : Integer.parseInt(mt.group(2));
            }
            if (from < 0 || from > 65535 || to > 65535 || to < from) {
                throw error(v, "'" + v.text().strip() + "' is not a port or a port range (0..65535, e.g. 443 or 6881-6889)");
            }
            out[i++] = from;
            out[i++] = to;
        }
        return out;
    }

    private static final Map<String, Integer> L4 = Map.ofEntries(Map.entry("icmp", 1), Map.entry("igmp", 2),
            Map.entry("tcp", 6), Map.entry("udp", 17), Map.entry("gre", 47), Map.entry("esp", 50), Map.entry("ah", 51),
            Map.entry("icmpv6", 58), Map.entry("ospf", 89), Map.entry("pim", 103), Map.entry("vrrp", 112),
            Map.entry("pgm", 113), Map.entry("sctp", 132));

    private int[] l4(YamlNode n) {
        List<YamlNode> vs = values(n, "l4");
        int[] out = new int[vs.size()];
        int i = 0;
        for (YamlNode v : vs) {
            String s = v.text().strip().toLowerCase(Locale.ROOT);
            Integer p = L4.get(s);
            if (p == null && s.matches("\\d{1,3}") && Integer.parseInt(s) <= 255) {
                p = Integer.parseInt(s);
            }
            if (p == null) {
                throw error(v, "unknown l4 protocol '" + v.text().strip() + "' (TCP, UDP, ICMP, ICMPV6, SCTP, GRE, ESP, ... or 0..255)");
            }
            out[i++] = p;
        }
        return out;
    }

    private int[] vlans(YamlNode n) {
        List<YamlNode> vs = values(n, "vlan");
        int[] out = new int[vs.size()];
        int i = 0;
        for (YamlNode v : vs) {
            String s = v.text().strip();
            if (!s.matches("\\d{1,4}") || Integer.parseInt(s) > 4094) {
                throw error(v, "'" + s + "' is not a VLAN id (1..4094, or 0 for untagged)");
            }
            out[i++] = Integer.parseInt(s);
        }
        return out;
    }

    private Set<String> names(YamlNode n, String key) {
        if (n == null) {
            return null;
        }
        Set<String> s = new HashSet<>();
        for (YamlNode v : values(n, key)) {
            s.add(v.text().strip().toLowerCase(Locale.ROOT));
        }
        return s;
    }

    private Set<String> oneOf(YamlNode n, String key, Set<String> allowed) {
        Set<String> s = new HashSet<>();
        for (YamlNode v : values(n, key)) {
            String k = v.text().strip().toLowerCase(Locale.ROOT);
            if (!allowed.contains(k)) {
                String near = nearest(k, allowed);
                throw error(v, "unknown " + key + " '" + v.text().strip() + "'" + (near != null ? " (did you mean '" + near + "'?)"
                        : " (expected one of " + String.join(", ", allowed) + ")"));
            }
            s.add(k);
        }
        return s;
    }

    private String[] hosts(YamlNode n) {
        List<String> l = new ArrayList<>();
        for (YamlNode v : values(n, "host")) {
            String s = v.text().strip().toLowerCase(Locale.ROOT);
            if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1);
            }
            if (!HOST.matcher(s).matches() || s.replace("*", "").replace(".", "").isEmpty() && !s.equals("*")) {
                throw error(v, "'" + v.text().strip() + "' is not a host name pattern (letters, digits, . - _ and * as wildcard)");
            }
            l.add(s);
        }
        return l.toArray(String[]::new);
    }

    private int[] times(YamlNode n) {
        List<YamlNode> vs = values(n, "time");
        int[] out = new int[vs.size() * 2];
        int i = 0;
        for (YamlNode v : vs) {
            Matcher mt = TIME.matcher(v.text());
            if (!mt.matches()) {
                throw error(v, "'" + v.text().strip() + "' is not a time-of-day range (HH:MM-HH:MM, e.g. 08:00-18:00)");
            }
            int h1 = Integer.parseInt(mt.group(1)), m1 = Integer.parseInt(mt.group(2));
            int h2 = Integer.parseInt(mt.group(3)), m2 = Integer.parseInt(mt.group(4));
            if (h1 > 24 || h2 > 24 || m1 > 59 || m2 > 59 || h1 == 24 && m1 > 0 || h2 == 24 && m2 > 0) {
                throw error(v, "'" + v.text().strip() + "': hours are 00..24, minutes 00..59");
            }
            int from = h1 * 60 + m1, to = h2 * 60 + m2;
            if (from == to) {
                throw error(v, "'" + v.text().strip() + "' is an empty range (leave 'time' out to match all day)");
            }
            out[i++] = from;
            out[i++] = to;
        }
        return out;
    }

    private static final Map<String, Integer> DSCP_NAMES = Map.ofEntries(Map.entry("ef", 46), Map.entry("va", 44),
            Map.entry("be", 0), Map.entry("df", 0), Map.entry("le", 1),
            Map.entry("cs0", 0), Map.entry("cs1", 8), Map.entry("cs2", 16), Map.entry("cs3", 24), Map.entry("cs4", 32),
            Map.entry("cs5", 40), Map.entry("cs6", 48), Map.entry("cs7", 56),
            Map.entry("af11", 10), Map.entry("af12", 12), Map.entry("af13", 14), Map.entry("af21", 18), Map.entry("af22", 20),
            Map.entry("af23", 22), Map.entry("af31", 26), Map.entry("af32", 28), Map.entry("af33", 30), Map.entry("af41", 34),
            Map.entry("af42", 36), Map.entry("af43", 38));

    private int dscp(YamlNode n) {
        String s = scalar(n, "dscp").toLowerCase(Locale.ROOT);
        Integer d = DSCP_NAMES.get(s);
        if (d == null && s.matches("\\d{1,2}") && Integer.parseInt(s) <= 63) {
            d = Integer.parseInt(s);
        }
        if (d == null) {
            throw error(n, "'" + s + "' is not a DSCP (0..63, or EF, AF11..AF43, CS0..CS7, BE, LE, VA)");
        }
        return d;
    }

    private long rate(YamlNode n) {
        String s = scalar(n, "rate");
        Matcher mt = RATE.matcher(s);
        if (!mt.matches()) {
            throw error(n, "'" + s + "' is not a rate (bits per second, e.g. 2mbit, 500kbit, 1gbit)");
        }
        double v = Double.parseDouble(mt.group(1));
        String u = mt.group(2) == null ? "bit" : mt.group(2).toLowerCase(Locale.ROOT);
        double mult = switch (u.charAt(0)) {
            case 'k' -> 1e3;
            case 'm' -> 1e6;
            case 'g' -> 1e9;
            default -> 1;
        };
        double bits = v * mult;
        if (bits < 8_000 || bits > 400e9) {
            throw error(n, "rate " + s + " is out of range (8kbit..400gbit)");
        }
        return Math.round(bits);
    }

    private long duration(YamlNode n) {
        String s = scalar(n, "for");
        Matcher mt = DURATION.matcher(s);
        if (!mt.matches()) {
            throw error(n, "'" + s + "' is not a duration (e.g. 30s, 10m, 1h, 2d)");
        }
        long v = Long.parseLong(mt.group(1));
        String u = mt.group(2) == null ? "s" : mt.group(2).toLowerCase(Locale.ROOT);
        long sec = switch (u) {
            case "m", "min" -> 60;
            case "h" -> 3600;
            case "d" -> 86400;
            default -> 1;
        };
        if (v < 1 || v > 366L * 86400 / sec) {
            throw error(n, "'" + s + "' is out of range (1s..366d)");
        }
        return v * sec * 1_000_000_000L;
    }

    private static String describe(YamlNode n) {
        if (n.value() == null) {
            return "nothing";
        }
        if (n.map() != null) {
            return "a mapping";
        }
        if (n.list() != null) {
            return "a list";
        }
        return "'" + n.text() + "'";
    }
}
