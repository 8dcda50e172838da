package org.fathom.protocol.protobuf;

import static org.fathom.wire.Bytes.allPrintable;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Protocol Buffers messages sent bare in UDP datagrams (nDPI's Protobuf), by the wire format of
 * the Protocol Buffers documentation ("Encoding"): a message is a run of fields, each a tag
 * (varint: field number &lt;&lt; 3 | wire type) and a value: VARINT (0) a varint, I64 (1) 8
 * bytes, LEN (2) a varint length and that many bytes, I32 (5) 4 bytes. Wire types 3 and 4 (the
 * deprecated groups), 6 and 7 do not exist in messages written today and are refused, as is
 * field number 0. Varints are at most 10 bytes (tags 5) and, as every encoder writes them,
 * minimal (no final zero continuation byte). A LEN value may be a nested message, a string or
 * bytes, which the wire does not distinguish, so its content is not required to parse.
 *
 * <p>Statistical: any one datagram may parse by chance, so every datagram must be exactly one
 * whole message (the last field ending at the last byte), not only printable ASCII (text
 * protocols parse too often: {@code 'X'} is the tag of a varint field), and the flow is named
 * after four of them (nDPI's protobuf.c waits for four packets too), one of which holds at
 * least two fields. The first datagram that does not parse ends the probe. Only UDP: over TCP
 * messages need a framing of their own. It writes no metadata.
 */
public final class ProtobufDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("Protobuf", "Network").withProbeDepth(8);
    static final int NEEDED = 4;
    private static final long[] FIRST = firstTagBytes();

    /** Flow state, a small Integer (cached by Integer.valueOf: no allocation): messages seen, and this bit. */
    private static final int SEVERAL_FIELDS = 0x10;

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST.clone();
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.l4() != 17 || len < 2 || !firstTag(b[off] & 0xFF)) {
            return NO;
        }
        int fields = fields(b, off, len);
        if (fields <= 0 || allPrintable(b, off, 0, len)) {
            return NO;
        }
        int run = ctx.state() instanceof Integer q ? q : 0;
        int messages = Math.min(NEEDED, (run & 0xF) + 1);
        int several = run & SEVERAL_FIELDS | (fields >= 2 ? SEVERAL_FIELDS : 0);
        if (messages >= NEEDED && several != 0) {
            return DONE;
        }
        ctx.setState(messages | several);
        return NEED_MORE;
    }

    /** Whether a message can start with this byte: a valid wire type and, for a one-byte tag, a field number from 1. */
    static boolean firstTag(int c) {
        int wt = c & 7;
        boolean type = wt == 0 || wt == 1 || wt == 2 || wt == 5;
        return type && (c >= 0x80 || c >= 8);
    }

    private static long[] firstTagBytes() {
        long[] set = new long[4];
        for (int c = 0; c < 256; c++) {
            if (firstTag(c)) {
                set[c >>> 6] |= 1L << (c & 63);
            }
        }
        return set;
    }

    /** The number of fields when {@code b[off..off+len)} is exactly one message, else -1. */
    static int fields(byte[] b, int off, int len) {
        int end = off + len;
        int p = off;
        int n = 0;
        while (p < end) {
            long tag = varint(b, p, end, 5);
            if (tag < 0) {
                return -1;
            }
            p += (int) (tag >>> 56);
            tag &= 0x00FF_FFFF_FFFF_FFFFL;
            if (tag > 0xFFFF_FFFFL || tag >>> 3 == 0) {
                return -1;
            }
            switch ((int) (tag & 7)) {
                case 0 -> {
                    long v = varint(b, p, end, 10);
                    if (v < 0) {
                        return -1;
                    }
                    p += (int) (v >>> 56);
                }
                case 1 -> p += 8;
                case 5 -> p += 4;
                case 2 -> {
                    long l = varint(b, p, end, 5);
                    if (l < 0) {
                        return -1;
                    }
                    p += (int) (l >>> 56);
                    l &= 0x00FF_FFFF_FFFF_FFFFL;
                    if (l > end - p) {
                        return -1;
                    }
                    p += (int) l;
                }
                default -> {
                    return -1;
                }
            }
            if (p > end) {
                return -1;
            }
            n++;
        }
        return n;
    }

    /**
     * A minimal varint of at most {@code max} bytes at {@code p} before {@code end}: its byte count
     * in the top 8 bits, the low 56 bits of its value below (enough for tags and lengths; a longer
     * value only needs its size), or -1.
     */
    private static long varint(byte[] b, int p, int end, int max) {
        long v = 0;
        for (int i = 0; i < max && p + i < end; i++) {
            int c = b[p + i] & 0xFF;
            if (i < 8) {
                v |= (long) (c & 0x7F) << (7 * i);
            }
            if ((c & 0x80) == 0) {
                if (c == 0 && i > 0) {
                    return -1; // not minimal
                }
                return (long) (i + 1) << 56 | v & 0x00FF_FFFF_FFFF_FFFFL;
            }
        }
        return -1;
    }
}
