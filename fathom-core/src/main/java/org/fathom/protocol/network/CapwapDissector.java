package org.fathom.protocol.network;

import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u32;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * CAPWAP (RFC 5415) control channel on UDP 5246 (and data channel 5247 where it reaches the
 * classifier): the preamble version 0 with type 0 (plain header: a header length of at least 2
 * words, wireless binding 802.11 or EPCGlobal, then for control a message type of 1..26 with
 * flags 0) or type 1 (a DTLS-protected message: 3 reserved zero bytes, then a DTLS record).
 * Contributes {@code capwap.message_type} for plain control messages.
 */
public final class CapwapDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("CAPWAP", "Network", 5246, 5247).withProbeDepth(3);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        boolean control = ctx.serverPort() == 5246 || ctx.clientPort() == 5246;
        boolean data = ctx.serverPort() == 5247 || ctx.clientPort() == 5247;
        if ((!control && !data) || len < 8) {
            return NO;
        }
        int pre = u8(b, off);
        if (pre == 0x01) {
            int ct = u8(b, off + 4);
            boolean dtls = b[off + 1] == 0 && b[off + 2] == 0 && b[off + 3] == 0 && ct >= 20 && ct <= 23
                    && u8(b, off + 5) == 0xFE && (u8(b, off + 6) == 0xFF || u8(b, off + 6) == 0xFD);
            return dtls ? DONE : NO;
        }
        if (pre != 0x00) {
            return NO;
        }
        int w = u16(b, off + 1);
        int hlen = (w >> 11) & 0x1F;
        int wbid = (w >> 1) & 0x1F;
        if (hlen < 2 || hlen * 4 > len || (wbid != 1 && wbid != 3 && wbid != 0)) {
            return NO;
        }
        if (!control) {
            return DONE;
        }
        int p = hlen * 4;
        if (len < p + 8) {
            return NO;
        }
        long type = u32(b, off + p);
        int elements = u16(b, off + p + 5);
        if (type < 1 || type > 26 || u8(b, off + p + 7) != 0 || elements != len - p - 8 + 3) {
            return NO;
        }
        ctx.put(Registration.CAPWAP_MESSAGE_TYPE.key(), type);
        return DONE;
    }
}
