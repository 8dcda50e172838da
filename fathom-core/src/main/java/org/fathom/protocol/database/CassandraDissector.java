package org.fathom.protocol.database;

import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u32;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;
import org.fathom.wire.StreamPrefix;

/**
 * Cassandra native protocol (CQL binary protocol v1..v5) over TCP: the frame header (version with
 * the direction bit, defined flags, stream id of 1 byte before v3 and 2 bytes since, a defined
 * opcode, body length). A connection opens with OPTIONS (empty body; only accepted on TCP 9042)
 * or STARTUP, whose body is a string map keyed by upper-case option names such as CQL_VERSION.
 * Contributes {@code cassandra.protocol_version}.
 */
public final class CassandraDissector extends PrefixDissector {
    static final int PORT = 9042;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("Cassandra", "Database", PORT).withProbeDepth(4);

    public CassandraDissector() {
        super(DESCRIPTOR, 256);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        int v = u8(b, off);
        if (!fromClient || v < 1 || v > 5) {
            return matched ? DONE : (fromClient ? NO : StreamPrefix.SKIP);
        }
        int h = v >= 3 ? 9 : 8;
        if (len >= 2 && (u8(b, off + 1) & 0xE0) != 0) {
            return NO;
        }
        if (len < h) {
            return NEED_MORE;
        }
        int op = u8(b, off + h - 5);
        long body = u32(b, off + h - 4);
        boolean onPort = ctx.serverPort() == PORT || ctx.clientPort() == PORT;
        if (op == 0x05) {
            if (body != 0 || !onPort) {
                return NO;
            }
        } else if (op == 0x01) {
            if (body < 4 || body > 4096) {
                return NO;
            }
            if (len < h + 4) {
                return NEED_MORE;
            }
            int pairs = u16(b, off + h);
            int klen = u16(b, off + h + 2);
            if (pairs < 1 || pairs > 32 || klen < 3 || klen > 64) {
                return NO;
            }
            int avail = Math.min(klen, len - h - 4);
            for (int i = 0; i < avail; i++) {
                int c = u8(b, off + h + 4 + i);
                if (!((c >= 'A' && c <= 'Z') || c == '_')) {
                    return NO;
                }
            }
            if (avail < klen) {
                return NEED_MORE;
            }
        } else {
            return NO;
        }
        ctx.put(Registration.CASSANDRA_PROTOCOL_VERSION.key(), (long) v);
        return DONE;
    }
}
