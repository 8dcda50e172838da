package org.fathom.voip;

import java.util.Map;
import org.fathom.protocol.rtp.RtpQuality;
import org.fathom.protocol.sip.SipParser;

/** Codec names and clock rates from RTP payload types (RFC 3551 static types, else a=rtpmap). */
final class Codecs {
    private Codecs() {}

    static String name(int pt, Map<Integer, String> rtpmap) {
        String m = rtpmap == null ? null : rtpmap.get(pt);
        if (m != null) {
            return m;
        }
        String s = RtpQuality.staticName(pt);
        return s != null ? s : "pt" + pt;
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
}
