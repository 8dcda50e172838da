package org.fathom.voip;

import org.fathom.protocol.rtp.RtpQuality;

/** The simplified ITU-T G.107 E-model of docs/VOIP.md; the formulas live in {@link RtpQuality}, shared with the RTP flow meter. */
public final class EModel {
    private EModel() {}

    public static double r(String codec, double lossPct, double jitterMs) {
        return RtpQuality.r(codec, lossPct, jitterMs);
    }

    public static double mos(double r) {
        return RtpQuality.mos(r);
    }

    public static double mos(String codec, double lossPct, double jitterMs) {
        return RtpQuality.mos(codec, lossPct, jitterMs);
    }
}
