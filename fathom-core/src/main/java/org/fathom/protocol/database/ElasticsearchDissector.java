package org.fathom.protocol.database;

import static org.fathom.wire.Bytes.u32;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * Elasticsearch transport protocol (node-to-node and transport clients, TCP 9300-9400): each
 * message starts with "ES" and a 4-byte length (-1 for a ping); a message has a request id, a
 * status byte of defined flag bits (request/response, error, compressed, handshake) and the sender's
 * version id (major*1000000 + minor*10000 + revision*100 + build). Away from the transport ports
 * the version id must be plausible too.
 */
public final class ElasticsearchDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("Elasticsearch", "System", 9300).withProbeDepth(4);

    public ElasticsearchDissector() {
        super(DESCRIPTOR, 64);
    }

    private static final long[] FIRST = Dissector.bytes('E');

    /** Both directions' messages start with the {@code ES} marker. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (b[off] != 'E' || (len >= 2 && b[off + 1] != 'S')) {
            return NO;
        }
        if (len < 6) {
            return NEED_MORE;
        }
        long size = u32(b, off + 2);
        if (size == 0xFFFFFFFFL) {
            return onPort(ctx) ? DONE : NO; // ping
        }
        if (size < 13 || size > 1 << 30) {
            return NO;
        }
        if (len < 19) {
            return NEED_MORE;
        }
        int status = u8(b, off + 14);
        long version = u32(b, off + 15);
        if ((status & 0xF0) != 0) {
            return NO;
        }
        boolean plausible = version >= 1_000_000 && version <= 99_999_999;
        return plausible || onPort(ctx) ? DONE : NO;
    }

    private static boolean onPort(FlowContext ctx) {
        int s = ctx.serverPort();
        int c = ctx.clientPort();
        return (s >= 9300 && s <= 9400) || (c >= 9300 && c <= 9400);
    }
}
