package org.fathom.protocol.gtp;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * GPRS Tunnelling Protocol control plane over UDP: GTPv1-C (3GPP TS 29.060: version 1, protocol
 * type 1, spare bit 0, length = datagram - 8) and GTPv2-C (TS 29.274: version 2, spare bits 0,
 * length = datagram - 4), and GTP-U signalling that the decoder does not decapsulate (echo and
 * error indications on 2152; user data G-PDUs are entered by the decoder). Named {@code GTP} with
 * the application {@code GTP_C} or {@code GTP_U} as nDPI does. Contributes {@code gtp.version}
 * and {@code gtp.message_type}.
 */
public final class GtpDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("GTP", "Network", 2123, 2152).withProbeDepth(3);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (len < 8) {
            return NO;
        }
        int flags = b[off] & 0xFF;
        int version = flags >>> 5;
        int type = b[off + 1] & 0xFF;
        int mlen = ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
        boolean userPlane = ctx.serverPort() == 2152 || ctx.clientPort() == 2152;
        if (version == 1) {
            // PT = 1 (GTP, not GTP'), spare bit 0; with E, S or PN set the optional 4 bytes are present
            if ((flags & 0x18) != 0x10 || mlen != len - 8 || type == 0) {
                return NO;
            }
            if ((flags & 0x07) != 0 && mlen < 4) {
                return NO;
            }
            if (userPlane ? !(type == 1 || type == 2 || type == 26 || type == 31 || type == 254) : !controlV1(type)) {
                return NO;
            }
        } else if (version == 2) {
            if (userPlane || (flags & 0x03) != 0 || mlen != len - 4 || type == 0) {
                return NO;
            }
            if ((flags & 0x08) != 0 && len < 12) {
                return NO; // TEID present
            }
        } else {
            return NO;
        }
        ctx.setApplication(userPlane ? "GTP_U" : "GTP_C", "Network");
        ctx.put(Registration.GTP_VERSION.key(), (long) version);
        ctx.put(Registration.GTP_MESSAGE_TYPE.key(), (long) type);
        return DONE;
    }

    /** GTPv1-C message types of TS 29.060 table 1. */
    private static boolean controlV1(int t) {
        return (t >= 1 && t <= 7) || (t >= 16 && t <= 41) || (t >= 48 && t <= 63) || (t >= 70 && t <= 71)
                || (t >= 96 && t <= 106) || (t >= 112 && t <= 113) || (t >= 240 && t <= 241) || t == 31;
    }

    /** Names given besides the descriptor's (for {@code fathom protocols}). */
    @Override
    public java.util.List<org.fathom.protocol.Service> alsoReports() {
        return java.util.List.of(new org.fathom.protocol.Service("GTP_U", "Network"), new org.fathom.protocol.Service("GTP_C", "Network"));
    }
}
