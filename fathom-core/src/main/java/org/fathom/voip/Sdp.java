package org.fathom.voip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fathom.protocol.sip.SipParser;

/**
 * The media of an SDP body (RFC 4566 / RFC 3264): for each {@code m=audio|video|image} line with a
 * non-zero port, where it receives (the media-level {@code c=} line, else the session-level one;
 * IPv4 or IPv6) and its payload types with their {@code a=rtpmap} names and clock rates. Never
 * throws; unusable lines are skipped.
 */
public final class Sdp {
    /** One announced media stream: receive address (IPv4-mapped 128 bits) and port. */
    public record Media(String kind, long hi, long lo, int port, int[] payloadTypes, Map<Integer, String> rtpmap) {
        /** Name of the first payload type (the preferred codec), e.g. "PCMA/8000". */
        public String firstCodec() {
            return payloadTypes.length == 0 ? null : Codecs.name(payloadTypes[0], rtpmap);
        }
    }

    private Sdp() {}

    public static List<Media> parse(String body) {
        List<Media> out = new ArrayList<>();
        if (body == null || body.isEmpty()) {
            return out;
        }
        long[] session = null;
        long[] mediaAddr = null;
        String kind = null;
        int port = 0;
        int[] pts = null;
        Map<Integer, String> rtpmap = new HashMap<>();
        for (String raw : body.split("\r?\n")) {
            String line = raw.trim();
            if (line.length() < 2 || line.charAt(1) != '=') {
                continue;
            }
            char t = line.charAt(0);
            String v = line.substring(2).trim();
            if (t == 'm') {
                if (kind != null) {
                    add(out, kind, mediaAddr != null ? mediaAddr : session, port, pts, rtpmap);
                }
                String[] p = v.split("\\s+");
                kind = null;
                mediaAddr = null;
                rtpmap = new HashMap<>();
                if (p.length >= 3) {
                    int slash = p[1].indexOf('/');
                    port = SipParser.parseInt(slash < 0 ? p[1] : p[1].substring(0, slash), -1);
                    kind = p[0].toLowerCase(Locale.ROOT);
                    List<Integer> l = new ArrayList<>();
                    for (int i = 3; i < p.length && l.size() < 32; i++) {
                        int pt = SipParser.parseInt(p[i], -1);
                        if (pt >= 0 && pt < 128) {
                            l.add(pt);
                        }
                    }
                    pts = l.stream().mapToInt(Integer::intValue).toArray();
                }
            } else if (t == 'c') {
                long[] a = address(v);
                if (kind == null) {
                    session = a;
                } else {
                    mediaAddr = a;
                }
            } else if (t == 'a' && kind != null && v.regionMatches(true, 0, "rtpmap:", 0, 7) && rtpmap.size() < 32) {
                String r = v.substring(7).trim();
                int sp = r.indexOf(' ');
                if (sp > 0) {
                    int pt = SipParser.parseInt(r.substring(0, sp), -1);
                    if (pt >= 0 && pt < 128) {
                        rtpmap.put(pt, r.substring(sp + 1).trim());
                    }
                }
            }
        }
        if (kind != null) {
            add(out, kind, mediaAddr != null ? mediaAddr : session, port, pts, rtpmap);
        }
        return out;
    }

    private static void add(List<Media> out, String kind, long[] addr, int port, int[] pts, Map<Integer, String> rtpmap) {
        if (addr == null || port <= 0 || port > 65535 || pts == null || out.size() >= 8
                || !(kind.equals("audio") || kind.equals("video") || kind.equals("image"))) {
            return;
        }
        out.add(new Media(kind, addr[0], addr[1], port, pts, Map.copyOf(rtpmap)));
    }

    /** "IN IP4 a.b.c.d" or "IN IP6 x::y" as IPv4-mapped 128 bits, null when unusable. */
    static long[] address(String v) {
        String[] p = v.split("\\s+");
        if (p.length < 3 || !p[0].equals("IN")) {
            return null;
        }
        String a = p[2];
        int slash = a.indexOf('/');
        if (slash >= 0) {
            a = a.substring(0, slash);
        }
        if (p[1].equals("IP4")) {
            long v4 = ipv4(a);
            return v4 < 0 ? null : new long[] {0, 0xffff00000000L | v4};
        }
        if (p[1].equals("IP6")) {
            return ipv6(a);
        }
        return null;
    }

    static long ipv4(String a) {
        String[] q = a.split("\\.", -1);
        if (q.length != 4) {
            return -1;
        }
        long v = 0;
        for (String s : q) {
            int n = SipParser.parseInt(s, -1);
            if (n < 0 || n > 255 || s.length() > 3) {
                return -1;
            }
            v = v << 8 | n;
        }
        return v;
    }

    static long[] ipv6(String a) {
        if (a.isEmpty() || a.length() > 45 || !a.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        int dbl = a.indexOf("::");
        if (dbl >= 0 && a.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        List<Integer> head = new ArrayList<>(), tail = new ArrayList<>();
        if (!groups(dbl < 0 ? a : a.substring(0, dbl), head) || (dbl >= 0 && !groups(a.substring(dbl + 2), tail))) {
            return null;
        }
        int n = head.size() + tail.size();
        if (n > 8 || (dbl < 0 && n != 8) || (dbl >= 0 && n > 7)) {
            return null;
        }
        int[] g = new int[8];
        for (int i = 0; i < head.size(); i++) {
            g[i] = head.get(i);
        }
        for (int i = 0; i < tail.size(); i++) {
            g[8 - tail.size() + i] = tail.get(i);
        }
        long hi = 0, lo = 0;
        for (int i = 0; i < 4; i++) {
            hi = hi << 16 | g[i];
            lo = lo << 16 | g[i + 4];
        }
        return new long[] {hi, lo};
    }

    private static boolean groups(String s, List<Integer> out) {
        if (s.isEmpty()) {
            return true;
        }
        String[] parts = s.split(":", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (i == parts.length - 1 && p.indexOf('.') >= 0) {
                long v4 = ipv4(p);
                if (v4 < 0) {
                    return false;
                }
                out.add((int) (v4 >>> 16));
                out.add((int) (v4 & 0xffff));
                continue;
            }
            if (p.isEmpty() || p.length() > 4 || p.indexOf('.') >= 0) {
                return false;
            }
            out.add(Integer.parseInt(p, 16));
        }
        return true;
    }
}
