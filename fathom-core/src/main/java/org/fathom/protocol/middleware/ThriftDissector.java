package org.fathom.protocol.middleware;

import static org.fathom.wire.Bytes.ascii;
import static org.fathom.wire.Bytes.u32;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * Apache Thrift messages over TCP (optionally in the framed transport) or UDP: the strict binary
 * protocol (version 0x8001, message type call/reply/exception/oneway, 4-byte name length) or the
 * compact protocol (0x82, version 1 with message type, varint sequence id and name length). The
 * method name must be a non-empty identifier of the given length. Contributes {@code thrift.method}.
 */
public final class ThriftDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.both("Thrift", "RPC", new int[0], new int[0]).withProbeDepth(3);

    public ThriftDissector() {
        super(DESCRIPTOR, 512);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        int r = message(ctx, b, off, len);
        if (r == NO && ctx.l4() == 6 && b[off] == 0) {
            // framed transport: a 4-byte frame length before the message
            if (len < 4) {
                return NEED_MORE;
            }
            long frame = u32(b, off);
            if (frame < 9 || frame > 1 << 24) {
                return NO;
            }
            return message(ctx, b, off + 4, len - 4);
        }
        return r;
    }

    private static int message(FlowContext ctx, byte[] b, int off, int len) {
        if (len < 1) {
            return NEED_MORE;
        }
        int c0 = u8(b, off);
        if (c0 == 0x80) {
            if (len < 4) {
                return len < 2 || b[off + 1] == 0x01 ? NEED_MORE : NO;
            }
            int type = u8(b, off + 3);
            if (b[off + 1] != 0x01 || b[off + 2] != 0 || type < 1 || type > 4) {
                return NO;
            }
            if (len < 8) {
                return NEED_MORE;
            }
            long n = u32(b, off + 4);
            return name(ctx, b, off, len, 8, n, 4);
        }
        if (c0 == 0x82) {
            if (len < 2) {
                return NEED_MORE;
            }
            int vt = u8(b, off + 1);
            int type = vt >> 5;
            if ((vt & 0x1F) != 1 || type < 1 || type > 4) {
                return NO;
            }
            int p = 2;
            for (int i = 0; ; i++) { // sequence id varint
                if (p >= len) {
                    return NEED_MORE;
                }
                if (i >= 5) {
                    return NO;
                }
                if ((b[off + p++] & 0x80) == 0) {
                    break;
                }
            }
            long n = 0;
            for (int i = 0; ; i++) {
                if (p >= len) {
                    return NEED_MORE;
                }
                if (i >= 3) {
                    return NO;
                }
                int c = u8(b, off + p++);
                n |= (long) (c & 0x7F) << (7 * i);
                if ((c & 0x80) == 0) {
                    break;
                }
            }
            return name(ctx, b, off, len, p, n, 0);
        }
        return NO;
    }

    private static int name(FlowContext ctx, byte[] b, int off, int len, int at, long n, int after) {
        if (n < 1 || n > 128) {
            return NO;
        }
        int avail = (int) Math.min(n, len - at);
        for (int i = 0; i < avail; i++) {
            int c = u8(b, off + at + i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':';
            if (!ok) {
                return NO;
            }
        }
        if (avail < n || len < at + n + after) {
            return NEED_MORE;
        }
        ctx.put(Registration.THRIFT_METHOD.key(), ascii(b, off, at, at + (int) n, 128));
        return DONE;
    }
}
