package org.fathom.protocol.industrial;

import static org.fathom.wire.Bytes.indexOf;
import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * ISO-on-TCP (RFC 1006) on TCP 102: TPKT (version 3, length) carrying COTP (ISO 8073). The COTP
 * connection request and confirm are common to every application on port 102, so they are walked
 * over; the first COTP data TPDU names the application: protocol id 0x32 with a defined ROSCTR is
 * Siemens S7comm, 0x72 with version 1..3 is S7comm-plus, and an ISO 8327 session CONNECT/ACCEPT
 * whose presentation context names the MMS abstract syntax (ISO 9506-2, OID 1.0.9506.2.1) is MMS.
 */
public final class S7Dissector extends PrefixDissector {
    static final int PORT = 102;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("S7Comm", "IoT-Scada", PORT).withProbeDepth(6);
    /** BER encoding of the MMS abstract syntax OID 1.0.9506.2.1. */
    private static final String MMS_OID = "\6\5\50\312\42\2\1";

    public S7Dissector() {
        super(DESCRIPTOR, 2048, PORT);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        int i = 0;
        while (true) {
            if (i >= len) {
                return NEED_MORE;
            }
            if (b[off + i] != 3 || (i + 1 < len && b[off + i + 1] != 0)) {
                return NO;
            }
            if (i + 4 > len) {
                return NEED_MORE;
            }
            int tl = u16(b, off + i + 2);
            if (tl < 7) {
                return NO;
            }
            if (i + tl > len) {
                return NEED_MORE;
            }
            int li = u8(b, off + i + 4);
            if (li < 2 || 5 + li > tl) {
                return NO;
            }
            int type = u8(b, off + i + 5) & 0xF0;
            if (type == 0xE0 || type == 0xD0) { // CR, CC: the same for every ISO application
                i += tl;
                continue;
            }
            if (type != 0xF0 || li != 2) {
                return NO;
            }
            int p = i + 5 + li;
            int n = tl - 5 - li;
            if (n < 1) {
                return NO;
            }
            int id = u8(b, off + p);
            if (id == 0x32 && n >= 10) {
                int rosctr = u8(b, off + p + 1);
                if ((rosctr == 1 || rosctr == 2 || rosctr == 3 || rosctr == 7) && b[off + p + 2] == 0 && b[off + p + 3] == 0) {
                    return DONE;
                }
                return NO;
            }
            if (id == 0x72 && n >= 4) {
                int v = u8(b, off + p + 1);
                if (v >= 1 && v <= 3) {
                    ctx.setProtocol("S7CommPlus", "IoT-Scada");
                    return DONE;
                }
                return NO;
            }
            if ((id == 0x0D || id == 0x0E) && indexOf(b, off + p, n, MMS_OID, n) >= 0) {
                ctx.setProtocol("ISO9506-1-MMS", "IoT-Scada");
                return DONE;
            }
            return NO;
        }
    }

    /** Names given besides the descriptor's (for {@code fathom protocols}). */
    @Override
    public java.util.List<org.fathom.protocol.Service> alsoReports() {
        return java.util.List.of(new org.fathom.protocol.Service("S7CommPlus", "IoT-Scada"), new org.fathom.protocol.Service("ISO9506-1-MMS", "IoT-Scada"));
    }

    private static final long[] FIRST = org.fathom.protocol.Dissector.bytes(0x03);

    /** See {@link org.fathom.protocol.Dissector#firstBytes}. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }
}
