package org.fathom.voip;

import java.util.Locale;
import java.util.Map;
import org.fathom.protocol.sip.SipParser;

/** Codec names and clock rates from RTP payload types (RFC 3551 static types, else a=rtpmap). */
final class Codecs {
    private Codecs() {}

    static String name(int pt, Map<Integer, String> rtpmap) {
        String m = rtpmap == null ? null : rtpmap.get(pt);
        if (m != null) {
            return m;
        }
        return switch (pt) {
            case 0 -> "PCMU/8000";
            case 3 -> "GSM/8000";
            case 4 -> "G723/8000";
            case 8 -> "PCMA/8000";
            case 9 -> "G722/8000";
            case 18 -> "G729/8000";
            case 13 -> "CN/8000";
            default -> "pt" + pt;
        };
    }

    /** RTP clock rate from "NAME/rate[/channels]"; 8000 when unknown. */
    static int clockRate(String name) {
        if (name != null) {
            int s = name.indexOf('/');
            if (s > 0) {
                int e = name.indexOf('/', s + 1);
                int r = SipParser.parseInt(e < 0 ? name.substring(s + 1) : name.substring(s + 1, e), -1);
                if (r > 0) {
                    return r;
                }
            }
        }
        return 8000;
    }

    /**
     * E-model equipment impairment Ie and packet-loss robustness Bpl per codec (ITU-T G.113
     * Appendix I values; G.711 with packet loss concealment). Unknown codecs: Ie 10, Bpl 10.
     */
    static double[] impairment(String name) {
        String n = name == null ? "" : name.toUpperCase(Locale.ROOT);
        if (n.startsWith("PCMU") || n.startsWith("PCMA") || n.startsWith("G722") || n.startsWith("OPUS")) {
            return new double[] {0, 25.1};
        }
        if (n.startsWith("G729")) {
            return new double[] {11, 19.0};
        }
        if (n.startsWith("G723")) {
            return new double[] {15, 16.1};
        }
        if (n.startsWith("GSM")) {
            return new double[] {20, 10.0};
        }
        if (n.startsWith("ILBC")) {
            return new double[] {11, 32.0};
        }
        if (n.startsWith("AMR")) {
            return new double[] {5, 10.0};
        }
        return new double[] {10, 10.0};
    }
}
