package org.fathom.protocol.database;

import static org.fathom.wire.Bytes.indexOf;
import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * Oracle Net (TNS) on any TCP port, registered for 1521: the client's first packet is a TNS
 * CONNECT (packet type 1) whose 8-byte header gives the packet length, a zero reserved byte and
 * header checksum, and whose connect data is an Oracle Net connect descriptor,
 * {@code (DESCRIPTION=...}, in the packet or right after it (long connect data is sent apart). The descriptor (host, service, user) is not recorded.
 */
public final class OracleTnsDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("Oracle", "Database", 1521).withProbeDepth(3);

    public OracleTnsDissector() {
        super(DESCRIPTOR, 1024);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (!fromClient) {
            return matched ? org.fathom.wire.StreamPrefix.SKIP : NO;
        }
        if (len < 8) {
            return NEED_MORE;
        }
        int length = u16(b, off);
        if (u8(b, off + 4) != 1 || u8(b, off + 5) != 0 || u16(b, off + 6) != 0 || length < 34 || length > 8192) {
            return NO;
        }
        if (indexOf(b, off, len, "(DESCRIPTION=", len) >= 0 || indexOf(b, off, len, "(description=", len) >= 0) {
            return DONE;
        }
        // connect data longer than 230 bytes follows the CONNECT packet instead of being in it
        return len >= Math.min(length + 512, 1024) ? NO : NEED_MORE;
    }
}
