package org.fathom.protocol.flowexport;

import static org.fathom.wire.Bytes.u16;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * collectd's binary network protocol (collectd.org "Binary protocol") over UDP: a datagram is a
 * sequence of parts (type, length including the 4-byte header) of defined types that tile it
 * exactly; string parts end with NUL, numeric parts are 12 bytes, value parts hold 2 + 9 bytes
 * per value. A datagram made of a single encrypted or signed part is only accepted on UDP 25826.
 */
public final class CollectdDissector implements Dissector {
    static final int PORT = 25826;
    private static final Descriptor DESCRIPTOR = Descriptor.udp("collectd", "System", PORT).withProbeDepth(3);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (len < 8 || b[off] > 2) {
            return NO;
        }
        int p = 0;
        int parts = 0;
        boolean crypto = false;
        while (p < len) {
            if (p + 4 > len) {
                return NO;
            }
            int type = u16(b, off + p);
            int l = u16(b, off + p + 2);
            if (l < 5 || p + l > len) {
                return NO;
            }
            boolean ok = switch (type) {
                case 0x0000, 0x0002, 0x0003, 0x0004, 0x0005, 0x0100 -> b[off + p + l - 1] == 0;
                case 0x0001, 0x0007, 0x0008, 0x0009, 0x0101 -> l == 12;
                case 0x0006 -> l >= 6 && l == 6 + 9 * u16(b, off + p + 4);
                case 0x0200, 0x0210 -> {
                    crypto = true;
                    yield true;
                }
                default -> false;
            };
            if (!ok) {
                return NO;
            }
            p += l;
            parts++;
        }
        if (parts < 2 && !(crypto && (ctx.serverPort() == PORT || ctx.clientPort() == PORT))) {
            return NO;
        }
        return DONE;
    }
}
