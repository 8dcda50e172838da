package org.fathom.protocol.queue;

import static org.fathom.wire.Bytes.prefixOf;
import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u32;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * AMQP over TCP. A connection opens with the 8-byte protocol header "AMQP" + protocol id + version
 * (0-8 and 0-9: "AMQP" 1 1 8 0 / 1 1 0 9; 0-9-1: "AMQP" 0 0 9 1; 1.0: "AMQP" 0|2|3 1 0 0 for plain,
 * TLS and SASL layers). A capture that starts later is recognised by a whole 0-9-1 frame: type
 * method/header/body/heartbeat, a size, the frame-end octet 0xCE where the size says, and for a
 * method frame a defined class id. Contributes {@code amqp.version}.
 */
public final class AmqpDissector extends PrefixDissector {
    static final int CAP = 4096;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("AMQP", "RPC", 5672).withProbeDepth(4);

    public AmqpDissector() {
        super(DESCRIPTOR, CAP);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (b[off] == 'A') {
            if (!prefixOf(b, off, len, "AMQP")) {
                return NO;
            }
            if (len < 8) {
                return NEED_MORE;
            }
            String v = version(u8(b, off + 4), u8(b, off + 5), u8(b, off + 6), u8(b, off + 7));
            if (v == null) {
                return NO;
            }
            ctx.put(Registration.AMQP_VERSION.key(), v);
            return DONE;
        }
        return frame(b, off, len);
    }

    static String version(int id, int a, int b, int c) {
        if (id == 0 && a == 0 && b == 9 && c == 1) {
            return "0-9-1";
        }
        if ((id == 0 || id == 2 || id == 3) && a == 1 && b == 0 && c == 0) {
            return "1.0";
        }
        if (id == 1 && a == 1 && b == 8 && c == 0) {
            return "0-8";
        }
        if (id == 1 && a == 1 && b == 0 && c == 9) {
            return "0-9";
        }
        if (id == 1 && a == 1 && b == 9 && c == 1) {
            return "0-9-1";
        }
        return null;
    }

    private static int frame(byte[] b, int off, int len) {
        int type = u8(b, off);
        if (type != 1 && type != 2 && type != 3 && type != 8) {
            return NO;
        }
        if (len < 7) {
            return NEED_MORE;
        }
        long size = u32(b, off + 3);
        if (size > CAP - 8 || (type == 8 && (size != 0 || u16(b, off + 1) != 0)) || (type == 1 && size < 4)
                || (type == 2 && size < 14)) {
            return NO;
        }
        if (type == 1 && len >= 9 && !classOk(u16(b, off + 7))) {
            return NO;
        }
        if (type == 2 && len >= 9 && !classOk(u16(b, off + 7))) {
            return NO;
        }
        if (len < 8 + size) {
            return NEED_MORE;
        }
        return u8(b, off + 7 + (int) size) == 0xCE ? DONE : NO;
    }

    private static boolean classOk(int c) {
        return c == 10 || c == 20 || c == 30 || c == 40 || c == 50 || c == 60 || c == 85 || c == 90;
    }
}
