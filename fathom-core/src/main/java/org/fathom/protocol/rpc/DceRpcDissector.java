package org.fathom.protocol.rpc;

import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u16le;
import static org.fathom.wire.Bytes.u32;
import static org.fathom.wire.Bytes.u32le;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * DCE/RPC (The Open Group C706, chapter 12). Connection-oriented over TCP: version 5.0/5.1, a
 * defined PDU type, a data representation of ASCII/IEEE with either byte order, and a fragment
 * length covering the 16-byte header and the authentication trailer; the first PDU must be a
 * bind or alter-context, or be followed by another header. Connectionless over UDP: version 4, a
 * defined PDU type, and a fragment length equal to the datagram after the 80-byte header. An
 * interface UUID of PROFINET IO context management (DEA0000x-6C97-11D1-8271-00A02442DF7D) names the
 * application PROFINET_IO. Contributes {@code dcerpc.interface} (the interface UUID of a
 * connectionless call or of a bind's first context).
 */
public final class DceRpcDissector extends PrefixDissector {
    private static final int[] TCP_PORTS = {135};
    private static final int[] UDP_PORTS = {135, 34964};
    private static final Descriptor DESCRIPTOR = Descriptor.both("DCERPC", "RPC", TCP_PORTS, UDP_PORTS).withProbeDepth(4);

    public DceRpcDissector() {
        super(DESCRIPTOR, 1024);
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] buf, int off, int len) {
        if (ctx.l4() == 17) {
            return connectionless(ctx, buf, off, len);
        }
        return super.inspect(ctx, fromClient, buf, off, len);
    }

    private static int connectionless(FlowContext ctx, byte[] b, int off, int len) {
        if (len < 80 || u8(b, off) != 4 || u8(b, off + 1) > 10) {
            return NO;
        }
        int drep0 = u8(b, off + 4);
        if ((drep0 != 0x00 && drep0 != 0x10) || u8(b, off + 5) > 3 || b[off + 6] != 0) {
            return NO;
        }
        boolean le = drep0 == 0x10;
        int fragLen = le ? u16le(b, off + 74) : u16(b, off + 74);
        if (fragLen != len - 80) {
            return NO;
        }
        iface(ctx, b, off + 24, le);
        return DONE;
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (u8(b, off) != 5 || (len >= 2 && u8(b, off + 1) > 1)) {
            return NO;
        }
        if (len < 16) {
            return NEED_MORE;
        }
        int type = u8(b, off + 2);
        int drep0 = u8(b, off + 4);
        if (type > 19 || (drep0 != 0x00 && drep0 != 0x10) || u8(b, off + 5) > 3 || b[off + 6] != 0 || b[off + 7] != 0) {
            return NO;
        }
        boolean le = drep0 == 0x10;
        int frag = le ? u16le(b, off + 8) : u16(b, off + 8);
        int auth = le ? u16le(b, off + 10) : u16(b, off + 10);
        if (frag < 16 || auth > frag - 16) {
            return NO;
        }
        if (type == 11 || type == 14) { // bind, alter context: the first presentation context
            if (len < 16 + 12 + 4 + 20) {
                return NEED_MORE;
            }
            int contexts = u8(b, off + 24);
            if (frag < 16 + 12 + 44 || contexts < 1) {
                return NO;
            }
            iface(ctx, b, off + 16 + 12 + 4, le);
            return DONE;
        }
        if (frag > 1024 - 2) {
            return NO;
        }
        if (len < frag + 2) {
            return NEED_MORE;
        }
        return u8(b, off + frag) == 5 && u8(b, off + frag + 1) <= 1 ? DONE : NO;
    }

    private static void iface(FlowContext ctx, byte[] b, int at, boolean le) {
        long d1 = le ? u32le(b, at) : u32(b, at);
        int d2 = le ? u16le(b, at + 4) : u16(b, at + 4);
        int d3 = le ? u16le(b, at + 6) : u16(b, at + 6);
        StringBuilder sb = new StringBuilder(36);
        sb.append(String.format("%08x-%04x-%04x-", d1, d2, d3));
        for (int i = 8; i < 16; i++) {
            if (i == 10) {
                sb.append('-');
            }
            sb.append(String.format("%02x", b[at + i] & 0xFF));
        }
        String uuid = sb.toString();
        ctx.put(Registration.DCERPC_INTERFACE.key(), uuid);
        if ((d1 & 0xFFFFFFF0L) == 0xDEA00000L && uuid.endsWith("-6c97-11d1-8271-00a02442df7d")) {
            ctx.setApplication("PROFINET_IO", "IoT-Scada");
        }
    }

    /** Names given besides the descriptor's (for {@code fathom protocols}). */
    @Override
    public java.util.List<org.fathom.protocol.Service> alsoReports() {
        return java.util.List.of(new org.fathom.protocol.Service("PROFINET_IO", "IoT-Scada"));
    }
}
