package org.fathom.protocol.sip;

import java.nio.charset.StandardCharsets;

/**
 * The one SIP message parser (RFC 3261 section 7), used by the SIP dissector (classification and
 * flow metadata) and by call analytics ({@code org.fathom.voip}). Pure: static functions over a
 * view {@code (b, off, len)}, no flow state; incremental-safe: {@link #couldStart} judges any
 * prefix, {@link #headEnd} and {@link #contentLength} say where a message ends ({@link SipFramer}
 * cuts a stream into messages with them); bounded: heads over {@link #MAX_HEAD}, bodies over
 * {@link #MAX_BODY} are cut. Never throws: what is not SIP gives {@code null}.
 *
 * <p>Read: request line {@code METHOD SP Request-URI SP SIP/2.0} (one of {@link #METHODS}, a
 * {@code sip: sips: tel: urn:} URI) or status line {@code SIP/2.0 SP 3DIGIT [SP reason]}; the
 * fields Call-ID, From, To (URI and tag), CSeq, Content-Type, Content-Length, Reason, User-Agent,
 * Server, in long or compact form ({@code i f t c l}); folded lines; CRLF or bare LF. Other fields
 * are ignored; a field line without a colon, or starting with one, marks the message {@code malformed}.
 *
 * <p>Privacy: From and To give only a URI the parser can read, without the display name and
 * without a password or user parameters; a value it cannot read (a display name outside angle
 * brackets, a URI with spaces or quotes, control or non-ASCII characters outside the user part,
 * a SIP URI whose host is not a host) gives null, so that nothing raw can be released from it.
 */
public final class SipParser {
    /** Heads longer than this are not SIP as far as we are concerned. */
    public static final int MAX_HEAD = 16 * 1024;
    /** Bodies are cut to this. */
    public static final int MAX_BODY = 64 * 1024;
    /** {@link #contentLength}: no Content-Length field. */
    public static final int ABSENT = -1;
    /** {@link #contentLength}: a Content-Length that is not a number of at most 9 digits. */
    public static final int INVALID = -2;

    static final String[] METHODS = {
        "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO",
        "REFER", "MESSAGE", "UPDATE",
    };
    /** The methods followed by the space of a request line. */
    private static final String[] METHODS_SP = new String[METHODS.length];
    private static final String[] URI_SCHEMES = {"sip:", "sips:", "tel:", "urn:"};
    private static final String VERSION = "SIP/2.0";

    /** Bytes a SIP message can begin with: the first letters of the methods and of {@code SIP/2.0}. */
    private static final boolean[] FIRST = new boolean[256];

    static {
        for (int i = 0; i < METHODS.length; i++) {
            METHODS_SP[i] = METHODS[i] + " ";
            FIRST[METHODS[i].charAt(0)] = true;
        }
        FIRST['S'] = true;
    }

    private SipParser() {}

    /**
     * Whether the bytes may begin a SIP message, as far as they go: a prefix of {@code SIP/2.0 }, or
     * of a method, a space and a {@code sip: sips: tel: urn:} URI. True for no bytes.
     */
    public static boolean couldStart(byte[] b, int off, int len) {
        if (len <= 0) {
            return true;
        }
        if (!FIRST[b[off] & 0xFF]) {
            return false; // most payloads (TLS records, HTTP, binary) stop here
        }
        if (agrees(b, off, len, "SIP/2.0 ", false)) {
            return true;
        }
        for (String m : METHODS_SP) {
            if (agrees(b, off, len, m, false)) {
                int u = m.length();
                if (len <= u) {
                    return true;
                }
                for (String s : URI_SCHEMES) {
                    if (agrees(b, off + u, len - u, s, true)) {
                        return true;
                    }
                }
                return false;
            }
        }
        return false;
    }

    /**
     * Whether a whole message (a datagram) begins like SIP: at least 8 bytes and {@link #couldStart}.
     * Cheap on other traffic: most payloads fail on their first byte.
     */
    public static boolean looksLikeSip(byte[] b, int off, int len) {
        if (len < 8) {
            return false;
        }
        byte c = b[off];
        if (c != 'S' && c != 'I' && c != 'A' && c != 'B' && c != 'C' && c != 'O' && c != 'R' && c != 'P'
                && c != 'N' && c != 'M' && c != 'U') {
            return false;
        }
        return couldStart(b, off, len);
    }

    /** The first {@code min(len, s.length())} bytes agree with {@code s} (letters in any case when asked). */
    private static boolean agrees(byte[] b, int off, int len, String s, boolean anyCase) {
        int n = Math.min(len, s.length());
        for (int i = 0; i < n; i++) {
            int c = b[off + i];
            int want = s.charAt(i);
            if (c != want && !(anyCase && want >= 'a' && want <= 'z' && c == want - 32)) {
                return false;
            }
        }
        return true;
    }

    /** Number of leading CR/LF bytes (keep-alives and message separators). */
    public static int skipBlank(byte[] b, int off, int len) {
        int i = 0;
        while (i < len && (b[off + i] == '\r' || b[off + i] == '\n')) {
            i++;
        }
        return i;
    }

    /** Length of the head (up to and including the empty line), or -1 when it does not end within {@code len} bytes. */
    public static int headEnd(byte[] b, int off, int len) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (b[i] == '\n') {
                if (i + 1 < end && b[i + 1] == '\n') {
                    return i + 2 - off;
                }
                if (i + 2 < end && b[i + 1] == '\r' && b[i + 2] == '\n') {
                    return i + 3 - off;
                }
            }
        }
        return -1;
    }

    /**
     * The first Content-Length ({@code l}) of the head {@code b[off, off+headLen)}: its value, or
     * {@link #ABSENT}, or {@link #INVALID}.
     */
    public static int contentLength(byte[] b, int off, int headLen) {
        int end = off + headLen;
        int p = lineEnd(b, off, end) + 1; // past the start line
        while (p < end) {
            int e = lineEnd(b, p, end);
            int colon = indexOf(b, p, e, (byte) ':');
            if (colon > p && b[p] != ' ' && b[p] != '\t') {
                int ns = trimStart(b, p, colon);
                int ne = trimEnd(b, ns, colon);
                if (nameIs(b, ns, ne, "content-length") || nameIs(b, ns, ne, "l")) {
                    int vs = trimStart(b, colon + 1, e);
                    return parseInt(b, vs, trimEnd(b, vs, e), INVALID);
                }
            }
            p = e + 1;
        }
        return ABSENT;
    }

    /**
     * Parses one message from {@code b[off, off+len)} (a datagram, or one framed message of a
     * stream; leading CR/LF skipped). The body is what Content-Length says, cut to what is there
     * and to {@link #MAX_BODY}. Returns null when the start line is not SIP's.
     */
    public static SipMessage parse(byte[] b, int off, int len) {
        if (b == null || off < 0 || len <= 0 || off + len > b.length) {
            return null;
        }
        int skip = skipBlank(b, off, len);
        off += skip;
        len -= skip;
        if (!looksLikeSip(b, off, len)) {
            return null;
        }
        int head = headEnd(b, off, Math.min(len, MAX_HEAD));
        int headStop = off + (head < 0 ? Math.min(len, MAX_HEAD) : head);
        int eol = lineEnd(b, off, headStop);
        int lineStop = trimCr(b, off, eol);
        String method = null;
        String ruri = null;
        int status = 0;
        if (agrees(b, off, len, "SIP/2.0 ", false)) {
            int d = off + 8;
            if (lineStop - d < 3 || !digit(b[d]) || !digit(b[d + 1]) || !digit(b[d + 2])
                    || d + 3 < lineStop && b[d + 3] != ' ' && b[d + 3] != '\t') {
                return null;
            }
            status = (b[d] - '0') * 100 + (b[d + 1] - '0') * 10 + (b[d + 2] - '0');
            if (status < 100 || status > 699) {
                return null;
            }
        } else {
            for (int i = 0; i < METHODS_SP.length && method == null; i++) {
                if (agrees(b, off, lineStop - off, METHODS_SP[i], false) && lineStop - off > METHODS_SP[i].length()) {
                    method = METHODS[i];
                }
            }
            if (method == null) {
                return null;
            }
            int us = off + method.length() + 1;
            int ue = indexOf(b, us, lineStop, (byte) ' ');
            if (ue <= us) {
                return null;
            }
            int v = ue + 1;
            int ve = v;
            while (ve < lineStop && b[ve] != ' ') {
                ve++;
            }
            for (int i = ve; i < lineStop; i++) {
                if (b[i] != ' ') {
                    return null; // a fourth token
                }
            }
            if (ve - v != VERSION.length() || !agrees(b, v, ve - v, VERSION, false)) {
                return null;
            }
            ruri = text(b, us, ue);
            if (!hasSipScheme(ruri)) {
                return null;
            }
        }
        String callId = null, from = null, to = null, cseq = null, ctype = null, reason = null, ua = null, server = null;
        int cl = ABSENT;
        boolean malformed = false;
        int last = -1; // which field the previous line set: folded lines continue it
        int p = eol + 1;
        while (p < headStop) {
            int e = lineEnd(b, p, headStop);
            int stop = trimCr(b, p, e);
            if (stop == p) {
                break; // the empty line
            }
            if (b[p] == ' ' || b[p] == '\t') {
                String more = text(b, trimStart(b, p, stop), stop);
                switch (last) {
                    case 0 -> callId = fold(callId, more);
                    case 1 -> from = fold(from, more);
                    case 2 -> to = fold(to, more);
                    case 3 -> cseq = fold(cseq, more);
                    case 4 -> ctype = fold(ctype, more);
                    case 6 -> reason = fold(reason, more);
                    case 7 -> ua = fold(ua, more);
                    case 8 -> server = fold(server, more);
                    default -> { }
                }
                p = e + 1;
                continue;
            }
            last = -1;
            int colon = indexOf(b, p, stop, (byte) ':');
            if (colon <= p) {
                malformed = true;
                p = e + 1;
                continue;
            }
            int ns = trimStart(b, p, colon);
            int field = fieldOf(b, ns, trimEnd(b, ns, colon));
            if (field >= 0) {
                int vs = trimStart(b, colon + 1, stop);
                String value = text(b, vs, trimEnd(b, vs, stop));
                switch (field) {
                    case 0 -> { if (callId == null) { callId = value; last = 0; } }
                    case 1 -> { if (from == null) { from = value; last = 1; } }
                    case 2 -> { if (to == null) { to = value; last = 2; } }
                    case 3 -> { if (cseq == null) { cseq = value; last = 3; } }
                    case 4 -> { if (ctype == null) { ctype = value; last = 4; } }
                    case 5 -> { if (cl == ABSENT) { cl = parseInt(value, INVALID); } }
                    case 6 -> { reason = reason == null ? value : reason + "," + value; last = 6; }
                    case 7 -> { if (ua == null) { ua = value; last = 7; } }
                    case 8 -> { if (server == null) { server = value; last = 8; } }
                    default -> { }
                }
            }
            p = e + 1;
        }
        long cseqNo = -1;
        String cseqMethod = null;
        if (cseq != null) {
            String[] cs = tokens(cseq);
            if (cs.length == 2 && cs[0].length() <= 10) {
                cseqNo = parseLong(cs[0]);
                cseqMethod = cseqNo < 0 ? null : cs[1].toUpperCase(java.util.Locale.ROOT);
            }
        }
        String body = "";
        if (head > 0 && head < len) {
            int blen = cl < 0 ? len - head : Math.min(cl, len - head);
            body = new String(b, off + head, Math.min(blen, MAX_BODY), StandardCharsets.ISO_8859_1);
        }
        return new SipMessage(method, ruri, status, callId, uri(from), param(from, "tag"), uri(to), param(to, "tag"),
                cseqNo, cseqMethod, ctype, q850(reason), ua, server, body, malformed);
    }

    /** Field numbers of the headers read: Call-ID, From, To, CSeq, Content-Type, Content-Length, Reason, User-Agent, Server. */
    private static int fieldOf(byte[] b, int s, int e) {
        return switch (e - s) {
            case 1 -> switch (b[s] | 0x20) {
                case 'i' -> 0;
                case 'f' -> 1;
                case 't' -> 2;
                case 'c' -> 4;
                case 'l' -> 5;
                default -> -1;
            };
            case 2 -> nameIs(b, s, e, "to") ? 2 : -1;
            case 4 -> nameIs(b, s, e, "from") ? 1 : nameIs(b, s, e, "cseq") ? 3 : -1;
            case 6 -> nameIs(b, s, e, "reason") ? 6 : nameIs(b, s, e, "server") ? 8 : -1;
            case 7 -> nameIs(b, s, e, "call-id") ? 0 : -1;
            case 10 -> nameIs(b, s, e, "user-agent") ? 7 : -1;
            case 12 -> nameIs(b, s, e, "content-type") ? 4 : -1;
            case 14 -> nameIs(b, s, e, "content-length") ? 5 : -1;
            default -> -1;
        };
    }

    private static String fold(String value, String more) {
        return value == null ? null : (value + " " + more).trim();
    }

    static boolean hasSipScheme(String uri) {
        for (String s : URI_SCHEMES) {
            if (uri.regionMatches(true, 0, s, 0, s.length())) {
                return true;
            }
        }
        return false;
    }

    /** Whitespace-separated tokens of a value. */
    private static String[] tokens(String v) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>(2);
        int i = 0;
        int n = v.length();
        while (i < n && out.size() < 3) {
            while (i < n && isSpace(v.charAt(i))) {
                i++;
            }
            int s = i;
            while (i < n && !isSpace(v.charAt(i))) {
                i++;
            }
            if (i > s) {
                out.add(v.substring(s, i));
            }
        }
        return out.toArray(String[]::new);
    }

    /**
     * The URI of a From/To value: inside angle brackets (the display name before them is never
     * kept), else up to the first ';'. Null when there is none the parser can read (see the class
     * comment). A password or parameters in the user part of a SIP URI are dropped.
     */
    public static String uri(String v) {
        if (v == null) {
            return null;
        }
        String u;
        int lt = v.indexOf('<');
        if (lt >= 0) {
            int gt = v.indexOf('>', lt);
            u = (gt < 0 ? v.substring(lt + 1) : v.substring(lt + 1, gt)).trim();
        } else {
            int semi = v.indexOf(';');
            u = (semi < 0 ? v : v.substring(0, semi)).trim();
        }
        return readableUri(u);
    }

    /**
     * {@code u} when it is a URI as far as privacy needs (see {@link #uri}), without a password or
     * user parameters; else null. The user part of a SIP URI and the number of a tel URI are
     * pseudonymised whole by the privacy guard, so they may hold any character but spaces, quotes
     * and angle brackets; everything else must be printable ASCII, and a SIP URI's host a host.
     */
    private static String readableUri(String u) {
        int n = u.length();
        int colon = u.indexOf(':');
        if (colon <= 0 || colon == n - 1 || !isLetter(u.charAt(0))) {
            return null;
        }
        for (int i = 1; i < colon; i++) {
            char c = u.charAt(i);
            if (!isLetter(c) && !digit(c) && c != '+' && c != '-' && c != '.') {
                return null;
            }
        }
        String scheme = u.substring(0, colon);
        boolean sip = scheme.equalsIgnoreCase("sip") || scheme.equalsIgnoreCase("sips");
        // the part pseudonymised whole: a SIP user (up to '@'), a tel number (up to ';')
        int whole = colon + 1;
        if (sip) {
            int at = u.indexOf('@', colon + 1);
            whole = at < 0 ? colon + 1 : at;
        } else if (scheme.equalsIgnoreCase("tel")) {
            int semi = u.indexOf(';', colon + 1);
            whole = semi < 0 ? n : semi;
        }
        for (int i = colon + 1; i < n; i++) {
            char c = u.charAt(i);
            if (c == '"' || c == '<' || c == '>' || isSpace(c) || i >= whole && (c <= ' ' || c >= 0x7F)) {
                return null;
            }
        }
        if (!sip) {
            return u;
        }
        // sip:[user[:password]@]host[:port][;params][?headers]
        int at = u.indexOf('@', colon + 1);
        int hostStart = at < 0 ? colon + 1 : at + 1;
        int hostEnd = hostStart;
        while (hostEnd < n && u.charAt(hostEnd) != ';' && u.charAt(hostEnd) != '?') {
            hostEnd++;
        }
        if (!isHostPort(u, hostStart, hostEnd) || at >= 0 && u.indexOf('@', at + 1) >= 0 && u.indexOf('@', at + 1) < hostEnd) {
            return null;
        }
        if (at >= 0) {
            int userEnd = colon + 1;
            while (userEnd < at && u.charAt(userEnd) != ':' && u.charAt(userEnd) != ';') {
                userEnd++;
            }
            if (userEnd == colon + 1) {
                return null; // empty user
            }
            if (userEnd < at) {
                // a password or user parameters never leave: the user part alone is what the guard pseudonymises
                u = u.substring(0, userEnd) + u.substring(at);
            }
        }
        return u;
    }

    /** {@code host[:port]}: a host name or IPv4 address (letters, digits, '.', '-', '_') or {@code [IPv6]}. */
    private static boolean isHostPort(String u, int s, int e) {
        if (s >= e) {
            return false;
        }
        int i = s;
        if (u.charAt(i) == '[') {
            int close = u.indexOf(']', i);
            if (close < 0 || close >= e || close == i + 1) {
                return false;
            }
            for (int k = i + 1; k < close; k++) {
                char c = u.charAt(k);
                if (!digit(c) && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F') && c != ':' && c != '.') {
                    return false;
                }
            }
            i = close + 1;
        } else {
            int h = i;
            while (i < e && u.charAt(i) != ':') {
                char c = u.charAt(i);
                if (!isLetter(c) && !digit(c) && c != '.' && c != '-' && c != '_') {
                    return false;
                }
                i++;
            }
            if (i == h) {
                return false;
            }
        }
        if (i == e) {
            return true;
        }
        if (u.charAt(i) != ':' || i + 1 == e || e - i - 1 > 5) {
            return false;
        }
        for (int k = i + 1; k < e; k++) {
            if (!digit(u.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** A header parameter (outside the angle brackets), e.g. tag; null when absent. */
    static String param(String v, String name) {
        if (v == null) {
            return null;
        }
        int gt = v.lastIndexOf('>');
        String params = gt >= 0 ? v.substring(gt + 1) : v;
        for (String p : params.split(";")) {
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase(name)) {
                return p.substring(eq + 1).trim();
            }
        }
        return null;
    }

    /** The Q.850 cause of Reason header values, -1 when there is none. */
    static int q850(String reason) {
        if (reason == null) {
            return -1;
        }
        for (String r : reason.split(",")) {
            String t = r.trim();
            if (t.regionMatches(true, 0, "Q.850", 0, 5)) {
                String c = param(t, "cause");
                if (c != null) {
                    return parseInt(c, -1);
                }
            }
        }
        return -1;
    }

    /** A decimal of 1 to 9 digits, else {@code dflt}. */
    public static int parseInt(String s, int dflt) {
        long v = s.length() > 9 ? -1 : parseLong(s);
        return v < 0 ? dflt : (int) v;
    }

    private static int parseInt(byte[] b, int s, int e, int dflt) {
        if (e <= s || e - s > 9) {
            return dflt;
        }
        int v = 0;
        for (int i = s; i < e; i++) {
            if (!digit(b[i])) {
                return dflt;
            }
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    private static long parseLong(String s) {
        long v = 0;
        if (s.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** The characters of a regular expression's {@code \\s}. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static boolean digit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean nameIs(byte[] b, int s, int e, String lower) {
        if (e - s != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            int c = b[s + i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int lineEnd(byte[] b, int from, int end) {
        int i = indexOf(b, from, end, (byte) '\n');
        return i < 0 ? end : i;
    }

    private static int trimCr(byte[] b, int from, int eol) {
        return eol > from && b[eol - 1] == '\r' ? eol - 1 : eol;
    }

    /** Skips what {@link String#trim} would (bytes up to the space). */
    private static int trimStart(byte[] b, int from, int end) {
        while (from < end && (b[from] & 0xFF) <= ' ') {
            from++;
        }
        return from;
    }

    private static int trimEnd(byte[] b, int from, int end) {
        while (end > from && (b[end - 1] & 0xFF) <= ' ') {
            end--;
        }
        return end;
    }

    private static int indexOf(byte[] b, int from, int end, byte c) {
        for (int i = from; i < end; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static String text(byte[] b, int from, int to) {
        return to <= from ? "" : new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
