package org.fathom.protocol.rtp;

import java.util.Locale;

/**
 * RTP media quality shared by the call analyzer ({@code org.fathom.voip}) and the RTP flow meter:
 * static payload types (RFC 3551) and a simplified ITU-T G.107 E-model. R = 93.2 - Id - Ie,eff
 * (default R0 - Is, A = 0), where
 * <ul>
 *   <li>Ie,eff = Ie + (95 - Ie) * Ppl / (Ppl / BurstR + Bpl), Ie and Bpl per codec
 *       ({@link #impairment}), Ppl the measured loss in percent, BurstR = 1 (random loss);</li>
 *   <li>Id from an estimated one-way delay d = 20 ms packetisation + 10 ms processing + a jitter
 *       buffer of twice the measured interarrival jitter: Id = 0.024 d + 0.11 (d - 177.3) for d
 *       above 177.3 ms (G.107 simplified form);</li>
 * </ul>
 * and MOS = 1 + 0.035 R + 7e-6 R (R - 60) (100 - R), 1 for R below 0 and 4.5 above 100.
 */
public final class RtpQuality {
    private RtpQuality() {}

    /** The codec of a static payload type as {@code NAME/rate}, or null for dynamic and unassigned types. */
    public static String staticName(int pt) {
        return switch (pt) {
            case 0 -> "PCMU/8000";
            case 3 -> "GSM/8000";
            case 4 -> "G723/8000";
            case 8 -> "PCMA/8000";
            case 9 -> "G722/8000";
            case 18 -> "G729/8000";
            case 13 -> "CN/8000";
            default -> null;
        };
    }

    /** RTP clock rate of a static payload type (RFC 3551 tables 4 and 5), or 0 when not static. */
    public static int staticClockRate(int pt) {
        return switch (pt) {
            case 0, 2, 3, 4, 5, 7, 8, 9, 12, 13, 15, 18 -> 8000;
            case 6 -> 16000;
            case 10, 11 -> 44100;
            case 16 -> 11025;
            case 17 -> 22050;
            case 14, 25, 26, 28, 31, 32, 33, 34 -> 90000;
            default -> 0;
        };
    }

    /**
     * E-model equipment impairment Ie and packet-loss robustness Bpl per codec (ITU-T G.113
     * Appendix I values; G.711 with packet loss concealment). Unknown codecs: Ie 10, Bpl 10.
     */
    public static double[] impairment(String name) {
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

    public static double r(String codec, double lossPct, double jitterMs) {
        double[] ie = impairment(codec);
        double ppl = Math.max(0, Math.min(100, lossPct));
        double ieEff = ie[0] + (95 - ie[0]) * ppl / (ppl + ie[1]);
        double d = 30 + 2 * Math.max(0, jitterMs);
        double id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
        return 93.2 - id - ieEff;
    }

    public static double mos(double r) {
        if (r <= 0) {
            return 1.0;
        }
        if (r >= 100) {
            return 4.5;
        }
        return 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
    }

    public static double mos(String codec, double lossPct, double jitterMs) {
        return mos(r(codec, lossPct, jitterMs));
    }

    public static double round(double v, int places) {
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }
}
