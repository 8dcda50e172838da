package org.fathom.voip;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A small, defensive SIP message parser (RFC 3261 section 7): request and status lines, the
 * headers call analytics uses in long and compact form ({@code i f t l c}), folded header lines,
 * CRLF or bare LF line ends, and Content-Length framing. It never throws: input that is not a SIP
 * message gives {@code null} / {@link #NOT_SIP}.
 */
public final class SipParser {
    /** Heads longer than this are not SIP as far as we are concerned. */
    public static final int MAX_HEAD = 16 * 1024;
    /** Bodies longer than this are skipped (the head still counts). */
    public static final int MAX_BODY = 64 * 1024;
    public static final int NEED_MORE = -1;
    public static final int NOT_SIP = -2;

    private static final String[] METHODS = {
        "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO",
        "REFER", "MESSAGE", "UPDATE",
    };
    /** The methods followed by the space of a request line. */
    private static final String[] METHODS_SP = java.util.Arrays.stream(METHODS).map(m -> m + " ").toArray(String[]::new);

    private SipParser() {}

    /** Whether the bytes could begin a SIP message (request line or status line). */
    public static boolean looksLikeSip(byte[] b, int off, int len) {
        if (len < 8) {
            return false;
        }
        byte c = b[off];
        if (c != 'S' && c != 'I' && c != 'A' && c != 'B' && c != 'C' && c != 'O' && c != 'R' && c != 'P'
                && c != 'N' && c != 'M' && c != 'U') {
            return false;
        }
        if (startsWith(b, off, len, "SIP/2.0 ")) {
            return true;
        }
        for (String m : METHODS) {
            if (startsWith(b, off, len, m) && len > m.length() && b[off + m.length()] == ' ') {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the bytes could begin a SIP message once more arrive: {@link #looksLikeSip} for 8
     * bytes or more, else a prefix of a status line or a request line (a TCP segment may be tiny).
     */
    public static boolean couldStartSip(byte[] b, int off, int len) {
        if (len >= 8) {
            return looksLikeSip(b, off, len);
        }
        if (len <= 0) {
            return false;
        }
        if (prefixOf(b, off, len, "SIP/2.0 ")) {
            return true;
        }
        for (String m : METHODS_SP) {
            if (prefixOf(b, off, len, m)) {
                return true;
            }
        }
        return false;
    }

    private static boolean prefixOf(byte[] b, int off, int len, String s) {
        if (len > s.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (b[off + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] b, int off, int len, String s) {
        if (len < s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[off + i] != s.charAt(i)) {
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

    /** End of the head (index just past the blank line), or -1 when not found within the range. */
    public static int headEnd(byte[] b, int off, int len) {
        int end = off + Math.min(len, MAX_HEAD + 4);
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
     * Length of the first complete message of a stream (head plus Content-Length body), or
     * {@link #NEED_MORE}, or {@link #NOT_SIP}. A missing Content-Length means an empty body.
     */
    public static int frame(byte[] b, int off, int len) {
        if (len >= 8 && !looksLikeSip(b, off, len)) {
            return NOT_SIP;
        }
        int head = headEnd(b, off, len);
        if (head < 0) {
            return len > MAX_HEAD ? NOT_SIP : NEED_MORE;
        }
        if (!looksLikeSip(b, off, len)) {
            return NOT_SIP;
        }
        int cl = contentLength(new String(b, off, head, StandardCharsets.ISO_8859_1));
        if (cl < 0 || cl > MAX_BODY) {
            return NOT_SIP;
        }
        return head + cl <= len ? head + cl : NEED_MORE;
    }

    private static int contentLength(String head) {
        int start = 0;
        while (start < head.length()) {
            int nl = head.indexOf('\n', start);
            if (nl < 0) {
                nl = head.length();
            }
            String line = head.substring(start, nl);
            start = nl + 1;
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (name.equals("content-length") || name.equals("l")) {
                return parseInt(line.substring(colon + 1).trim(), -1);
            }
        }
        return 0;
    }

    static int parseInt(String s, int dflt) {
        if (s.isEmpty() || s.length() > 9) {
            return dflt;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return dflt;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * Parses one message from {@code b[off, off+len)} (a UDP datagram or one framed TCP message).
     * The body is what Content-Length says, cut to what is there. Returns null when it is not a
     * SIP message or lacks a Call-ID or CSeq.
     */
    public static SipMessage parse(byte[] b, int off, int len) {
        int skip = skipBlank(b, off, len);
        off += skip;
        len -= skip;
        if (!looksLikeSip(b, off, len)) {
            return null;
        }
        int head = headEnd(b, off, len);
        String text = new String(b, off, head < 0 ? Math.min(len, MAX_HEAD) : head, StandardCharsets.ISO_8859_1);
        String[] lines = unfold(text);
        if (lines.length == 0) {
            return null;
        }
        String first = lines[0];
        String method = null, ruri = null;
        int status = 0;
        if (first.startsWith("SIP/2.0 ")) {
            if (first.length() < 11) {
                return null;
            }
            status = parseInt(first.substring(8, 11), -1);
            if (status < 100 || status > 699) {
                return null;
            }
        } else {
            String[] p = first.split(" ");
            if (p.length != 3 || !p[2].equals("SIP/2.0")) {
                return null;
            }
            method = p[0];
            ruri = p[1];
        }
        String callId = null, from = null, to = null, cseqLine = null, ctype = null, reason = null;
        int cl = -1;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "call-id", "i" -> callId = callId == null ? value : callId;
                case "from", "f" -> from = from == null ? value : from;
                case "to", "t" -> to = to == null ? value : to;
                case "cseq" -> cseqLine = cseqLine == null ? value : cseqLine;
                case "content-type", "c" -> ctype = value;
                case "content-length", "l" -> cl = parseInt(value, -1);
                case "reason" -> reason = reason == null ? value : reason + "," + value;
                default -> { }
            }
        }
        if (callId == null || callId.isEmpty() || cseqLine == null) {
            return null;
        }
        String[] cs = cseqLine.trim().split("\\s+");
        if (cs.length != 2) {
            return null;
        }
        long cseq = cs[0].length() > 10 ? -1 : parseLong(cs[0]);
        if (cseq < 0) {
            return null;
        }
        String body = "";
        if (head > 0 && head < len) {
            int blen = cl < 0 ? len - head : Math.min(cl, len - head);
            body = new String(b, off + head, Math.min(blen, MAX_BODY), StandardCharsets.ISO_8859_1);
        }
        return new SipMessage(method, ruri, status, callId, uri(from), param(from, "tag"), uri(to), param(to, "tag"),
                cseq, cs[1].toUpperCase(Locale.ROOT), ctype, q850(reason), body);
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

    private static String[] unfold(String head) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>(16);
        int n = head.length();
        for (int at = 0; at < n; ) {   // lines end in LF or CRLF (a split on "\r?\n", without a regex)
            int nl = head.indexOf('\n', at);
            int end = nl < 0 ? n : nl;
            String l = head.substring(at, end > at && head.charAt(end - 1) == '\r' && nl >= 0 ? end - 1 : end);
            at = nl < 0 ? n : nl + 1;
            if (l.isEmpty()) {
                continue;
            }
            if ((l.charAt(0) == ' ' || l.charAt(0) == '\t') && !out.isEmpty()) {
                out.set(out.size() - 1, out.getLast() + " " + l.trim());
            } else {
                out.add(l);
            }
        }
        return out.toArray(String[]::new);
    }

    /** The URI of a From/To value: inside angle brackets, else up to the first ';'. */
    static String uri(String v) {
        if (v == null) {
            return null;
        }
        int lt = v.indexOf('<');
        if (lt >= 0) {
            int gt = v.indexOf('>', lt);
            return gt < 0 ? v.substring(lt + 1).trim() : v.substring(lt + 1, gt).trim();
        }
        int semi = v.indexOf(';');
        return (semi < 0 ? v : v.substring(0, semi)).trim();
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
}
