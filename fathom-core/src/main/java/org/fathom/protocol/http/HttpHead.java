package org.fathom.protocol.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed message head of HTTP/1.x or of a protocol that borrows its syntax (RTSP, SIP, SSDP):
 * a start line and header fields (RFC 9112 section 2, obsolete line folding accepted). Pure: works
 * on a view {@code (buf, off, len)} holding the whole head and returns null, never throws, when the
 * bytes are not a head.
 */
public final class HttpHead {
    /** At most this many header fields are kept; further ones are ignored. */
    public static final int MAX_FIELDS = 64;

    private final String first;
    private String line;
    private final String second;
    private final String third;
    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    private HttpHead(String first, String second, String third) {
        this.first = first;
        this.second = second;
        this.third = third;
    }

    /** First token of the start line: the method of a request, the version of a response. */
    public String first() {
        return first;
    }

    /** Second token: request target, or status code. */
    public String second() {
        return second;
    }

    /** Rest of the start line: version of a request, reason phrase of a response (may be empty). */
    public String third() {
        return third;
    }

    /** The start line without its line end. */
    public String startLine() {
        return line;
    }

    /**
     * The request target when spaces occur in it (tolerated as many servers do): everything
     * between the first space and the last one of the start line.
     */
    public String requestTarget() {
        int a = line.indexOf(' ');
        int z = line.lastIndexOf(' ');
        return z > a ? line.substring(a + 1, z) : second;
    }

    public int fieldCount() {
        return names.size();
    }

    /** Field name in lower case. */
    public String name(int i) {
        return names.get(i);
    }

    public String value(int i) {
        return values.get(i);
    }

    /** The first value of the field named {@code lowerName} (or of one of its alternatives), or null. */
    public String field(String lowerName, String... alternatives) {
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (n.equals(lowerName)) {
                return values.get(i);
            }
            for (String a : alternatives) {
                if (n.equals(a)) {
                    return values.get(i);
                }
            }
        }
        return null;
    }

    /**
     * Where the head that starts at {@code off} ends: the index just after the empty line, or -1
     * when no empty line ({@code CRLF CRLF} or bare {@code LF LF}) occurs within {@code len} bytes.
     */
    public static int findEnd(byte[] b, int off, int len) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (b[i] == '\n') {
                if (i + 1 < end && b[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < end && b[i + 1] == '\r' && b[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    /**
     * Parses a head (start line, fields, optionally the empty line). Returns null when the start
     * line has not three parts or a field line has no colon.
     */
    public static HttpHead parse(byte[] b, int off, int len) {
        if (b == null || off < 0 || len <= 0 || off + len > b.length) {
            return null;
        }
        int end = off + len;
        int eol = lineEnd(b, off, end);
        int lineStop = trimCr(b, off, eol);
        int sp1 = indexOf(b, off, lineStop, (byte) ' ');
        if (sp1 <= off) {
            return null;
        }
        int sp2 = indexOf(b, sp1 + 1, lineStop, (byte) ' ');
        String third;
        int secondEnd;
        if (sp2 < 0) {
            secondEnd = lineStop;
            third = "";
        } else {
            secondEnd = sp2;
            third = text(b, sp2 + 1, lineStop);
        }
        if (secondEnd <= sp1 + 1) {
            return null;
        }
        HttpHead h = new HttpHead(text(b, off, sp1), text(b, sp1 + 1, secondEnd), third);
        h.line = text(b, off, lineStop);
        int p = eol + 1;
        while (p < end) {
            int e = lineEnd(b, p, end);
            int stop = trimCr(b, p, e);
            if (stop == p) {
                break; // empty line: end of head
            }
            if ((b[p] == ' ' || b[p] == '\t')) {
                // obsolete folding: continues the previous value
                if (!h.values.isEmpty() && h.values.size() <= MAX_FIELDS) {
                    int last = h.values.size() - 1;
                    h.values.set(last, (h.values.get(last) + " " + text(b, skipWs(b, p, stop), stop)).strip());
                }
                p = e + 1;
                continue;
            }
            int colon = indexOf(b, p, stop, (byte) ':');
            if (colon <= p) {
                return null;
            }
            if (h.names.size() < MAX_FIELDS) {
                h.names.add(fieldName(b, p, colon));
                h.values.add(text(b, skipWs(b, colon + 1, stop), stop).strip());
            }
            p = e + 1;
        }
        return h;
    }

    /** Field names seen on most messages, lower-case: such a name costs no string of its own. */
    private static final String[][] COMMON_BY_LENGTH = commonNames("host", "user-agent", "accept", "accept-encoding",
            "accept-language", "accept-ranges", "connection", "content-type", "content-length", "content-encoding",
            "content-range", "content-disposition", "cookie", "set-cookie", "server", "date", "cache-control", "referer",
            "location", "transfer-encoding", "upgrade", "authorization", "www-authenticate", "proxy-authorization",
            "x-forwarded-for", "last-modified", "etag", "expires", "vary", "keep-alive", "pragma", "range", "origin",
            "if-modified-since", "if-none-match", "age", "via", "soapaction", "x-requested-with", "sec-websocket-key",
            "sec-websocket-version", "sec-websocket-accept", "http2-settings", "strict-transport-security",
            "x-content-type-options", "x-frame-options", "access-control-allow-origin", "alt-svc", "dnt", "te", "expect",
            "x-powered-by", "x-cache", "p3p", "link", "content-security-policy", "x-xss-protection", "x-cache-hits",
            "x-served-by", "x-timer", "referrer-policy", "sec-fetch-site", "sec-fetch-mode", "sec-fetch-dest",
            "upgrade-insecure-requests", "priority", "x-amz-request-id", "x-amz-id-2", "cf-ray", "nel", "report-to");

    private static String[][] commonNames(String... names) {
        int longest = 0;
        for (String n : names) {
            longest = Math.max(longest, n.length());
        }
        String[][] byLength = new String[longest + 1][];
        for (String n : names) {
            String[] l = byLength[n.length()];
            l = l == null ? new String[1] : java.util.Arrays.copyOf(l, l.length + 1);
            l[l.length - 1] = n;
            byLength[n.length()] = l;
        }
        return byLength;
    }

    /**
     * The field name {@code b[from..to)} as {@code text(...).strip().toLowerCase(Locale.ROOT)}
     * gives it: a common name is matched in place (ASCII letters in any case) and its constant
     * returned; any other is made as before.
     */
    static String fieldName(byte[] b, int from, int to) {
        int f = from;
        int t = to;
        while (f < t && isStripped(b[f])) {
            f++;
        }
        while (t > f && isStripped(b[t - 1])) {
            t--;
        }
        int n = t - f;
        if (n > 0 && n < COMMON_BY_LENGTH.length && COMMON_BY_LENGTH[n] != null) {
            for (String c : COMMON_BY_LENGTH[n]) {
                if (org.fathom.wire.text.Ascii.startsWithIgnoreCase(b, f, n, c)) {
                    return c;
                }
            }
        }
        return text(b, from, to).strip().toLowerCase(Locale.ROOT);
    }

    /** The bytes {@link String#strip} removes from an ISO-8859-1 string: Character.isWhitespace. */
    private static boolean isStripped(byte c) {
        return c == ' ' || (c >= 9 && c <= 13) || (c >= 28 && c <= 31);
    }

    private static int lineEnd(byte[] b, int from, int end) {
        int i = indexOf(b, from, end, (byte) '\n');
        return i < 0 ? end : i;
    }

    private static int trimCr(byte[] b, int from, int eol) {
        return eol > from && b[eol - 1] == '\r' ? eol - 1 : eol;
    }

    private static int skipWs(byte[] b, int from, int end) {
        while (from < end && (b[from] == ' ' || b[from] == '\t')) {
            from++;
        }
        return from;
    }

    static int indexOf(byte[] b, int from, int end, byte c) {
        for (int i = from; i < end; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    static String text(byte[] b, int from, int to) {
        if (to <= from) {
            return "";
        }
        // each byte one char (ISO-8859-1): the JDK copies it as is, no char[] in between
        return new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Whether {@code b[off..]} starts with the ASCII {@code prefix} (as far as {@code len} reaches). */
    public static boolean startsWith(byte[] b, int off, int len, String prefix) {
        if (len < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[off + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the first {@code min(len, prefix.length())} bytes agree with {@code prefix}. */
    public static boolean agreesWith(byte[] b, int off, int len, String prefix) {
        int n = Math.min(len, prefix.length());
        for (int i = 0; i < n; i++) {
            if (b[off + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** {@code host[:port]} or {@code [v6]:port} without the port; lower case. */
    public static String hostWithoutPort(String hostPort) {
        if (hostPort == null) {
            return null;
        }
        String h = hostPort.strip();
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close > 0 ? h.substring(0, close + 1).toLowerCase(Locale.ROOT) : h.toLowerCase(Locale.ROOT);
        }
        int colon = h.indexOf(':');
        if (colon >= 0 && h.indexOf(':', colon + 1) < 0) {
            h = h.substring(0, colon);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.toLowerCase(Locale.ROOT);
    }

    /** Whether {@code host} is an IPv4 dotted quad or a bracketed / bare IPv6 literal. */
    public static boolean isIpLiteral(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        if (host.charAt(0) == '[' || host.indexOf(':') >= 0) {
            return true;
        }
        int parts = 0;
        int digits = 0;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '.') {
                if (digits == 0) {
                    return false;
                }
                parts++;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (++digits > 3) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return digits > 0 && parts == 3;
    }
}
