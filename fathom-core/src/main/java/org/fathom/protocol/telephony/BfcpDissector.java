package org.fathom.protocol.telephony;

import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;
import org.fathom.wire.StreamPrefix;

/**
 * Binary Floor Control Protocol (RFC 8855, RFC 4582) over TCP or UDP: the 12-byte common header
 * with version 1 (or 2 over UDP), reserved bits clear, a defined primitive (1..17), a payload
 * length in 4-octet units that (over UDP) accounts for the datagram exactly, and a non-zero
 * conference id; the attributes (defined type, length of at least 2, padded to 4 bytes) fill the
 * payload exactly.
 *
 * <p>Some peers send bare 12-byte headers whose payload length (in 4-octet units, excluding the
 * common header, RFC 8855 section 5.1) announces attributes that never follow. Such a header alone
 * proves nothing, so it is kept (its conference, transaction and user ids) and the flow is only
 * claimed when the other side answers with a bare header of another primitive that echoes all
 * three ids, the way RFC 8855 section 8 has a response copy them from its request.
 */
public final class BfcpDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.both("BFCP", "Video", new int[0], new int[0]).withProbeDepth(3);

    public BfcpDissector() {
        super(DESCRIPTOR, 64);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        int b0 = u8(b, off);
        int ver = b0 >> 5;
        boolean udp = ctx.l4() == 17;
        if ((ver != 1 && !(udp && ver == 2)) || (b0 & 0x07) != 0 || (ver == 1 && (b0 & 0x08) != 0)) {
            return NO;
        }
        if (len >= 2 && (u8(b, off + 1) < 1 || u8(b, off + 1) > 17)) {
            return NO;
        }
        if (len < 12) {
            return udp ? NO : NEED_MORE;
        }
        int payload = u16(b, off + 2) * 4;
        if (len == 12 && payload > 0 && payload <= 64 && (b[off + 4] | b[off + 5] | b[off + 6] | b[off + 7]) != 0) {
            return bareHeader(ctx, fromClient, b, off);
        }
        if ((udp && 12 + payload != len) || payload > 65536 || ((b[off + 4] | b[off + 5] | b[off + 6] | b[off + 7]) == 0)) {
            return NO;
        }
        if (payload > 64 - 12 && !udp) {
            return NO; // longer openings are not buffered
        }
        if (len < 12 + payload) {
            return NEED_MORE;
        }
        // the attributes (type, length, value padded to 4 bytes) fill the payload exactly
        int p = 12;
        int end = 12 + payload;
        while (p < end) {
            if (p + 2 > end) {
                return NO;
            }
            int type = u8(b, off + p) >> 1;
            int alen = u8(b, off + p + 1);
            if (type < 1 || type > 25 || alen < 2) {
                return NO;
            }
            p += (alen + 3) & ~3;
        }
        if (p != end) {
            return NO;
        }
        return DONE;
    }

    /**
     * A bare header: the client's is remembered (ids and primitive), the server's must echo the
     * ids under another primitive.
     */
    private static int bareHeader(FlowContext ctx, boolean fromClient, byte[] b, int off) {
        long ids = u64(b, off + 4);
        int prim = u8(b, off + 1);
        if (fromClient) {
            // the client's primitive goes into the top byte (xor), the ids fill the rest
            long note = ids ^ ((long) prim << 56);
            StreamPrefix st = StreamPrefix.attach(ctx);
            if (st.note != 0 && st.note != note) {
                return NO; // one bare request per flow (repeats aside) is all we wait on
            }
            st.note = note;
            return NEED_MORE;
        }
        StreamPrefix st = StreamPrefix.of(ctx);
        if (st == null || st.note == 0) {
            return NEED_MORE;
        }
        long diff = st.note ^ ids;
        int requested = (int) (diff >>> 56);
        return (diff & 0x00FF_FFFF_FFFF_FFFFL) == 0 && requested >= 1 && requested <= 17 && requested != prim ? DONE : NEED_MORE;
    }

    private static long u64(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
