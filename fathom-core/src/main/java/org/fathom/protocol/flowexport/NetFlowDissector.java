package org.fathom.protocol.flowexport;

import static org.fathom.wire.Bytes.u16;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Cisco NetFlow export (v1, v5, v7, v9 per RFC 3954) and IPFIX (RFC 7011, "version 10") over UDP.
 * Exact lengths carry the check: v1/v5/v7 datagrams are the header plus {@code count} fixed-size
 * records; v9 flowsets and IPFIX sets (template, options template, data ids) must tile the
 * datagram exactly, and IPFIX's message length must equal it. Contributes {@code netflow.version}.
 */
public final class NetFlowDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("NetFlow", "Network", 2055, 9995, 9996, 4739).withProbeDepth(3);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (len < 16 || b[off] != 0) {
            return NO;
        }
        int v = b[off + 1];
        int count = u16(b, off + 2);
        boolean ok = switch (v) {
            case 1 -> count >= 1 && count <= 24 && len == 16 + count * 48;
            case 5 -> count >= 1 && count <= 30 && len == 24 + count * 48;
            case 7 -> count >= 1 && count <= 28 && len == 24 + count * 52;
            case 9 -> len >= 24 && sets(b, off, len, 20, 0, 1);
            case 10 -> count == len && len >= 20 && sets(b, off, len, 16, 2, 3);
            default -> false;
        };
        if (!ok) {
            return NO;
        }
        ctx.put(Registration.NETFLOW_VERSION.key(), (long) v);
        return DONE;
    }

    /** Whether (flow)sets from {@code p} tile the datagram, with template ids {@code t1}, {@code t2} or data ids 256+. */
    private static boolean sets(byte[] b, int off, int len, int p, int t1, int t2) {
        int n = 0;
        while (p < len) {
            if (p + 4 > len) {
                return false;
            }
            int id = u16(b, off + p);
            int l = u16(b, off + p + 2);
            if ((id != t1 && id != t2 && id < 256) || l < 4 || p + l > len) {
                return false;
            }
            p += l;
            n++;
        }
        return n > 0;
    }
}
