package org.fathom.protocol.mongodb;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.frames.FramedState;
import org.fathom.wire.frames.RecordFramer;

/**
 * MongoDB wire protocol (mongodb.com "MongoDB Wire Protocol"): every message has a 16-byte
 * little-endian header (messageLength, requestID, responseTo, opCode). The client's first message
 * must be a request (responseTo 0) with opCode OP_MSG 2013, OP_QUERY 2004 or OP_COMPRESSED 2012
 * and a body of the right shape (OP_MSG: defined flag bits, a section of kind 0 or 1 holding a
 * BSON document whose size fits; OP_QUERY: a {@code db.collection} name and a BSON document;
 * OP_COMPRESSED: a known compressor id). A server reply (OP_MSG, OP_REPLY 1 or OP_COMPRESSED)
 * whose responseTo is the request's id ends the inspection.
 */
public final class MongoDissector implements Dissector {
    static final int CAP = 256;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("MongoDB", "Database", 27017).withProbeDepth(3);
    private static final RecordFramer.Header HEADER = (b, o) -> {
        long l = le32(b, o);
        return l < 21 || l > 48_000_000 ? -1 : (int) l;
    };

    /** Framing of the TCP messages; one message per chunk is judged. */
    private static final FramedState.Framing FRAMING = new FramedState.Framing(16, CAP, HEADER, false);

    static final class State extends FramedState {
        long requestId = -1;

        @Override
        protected int onRecord(FlowContext ctx, boolean fromClient, byte[] b, int off, int len, int full) {
            return fromClient ? request(this, b, off, len, full) : reply(this, b, off);
        }
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        State st = (State) ctx.state();
        if (st == null) {
            if (!fromClient) {
                return NO;
            }
            if (len >= 16) {
                long op = le32(b, off + 12);
                if (le32(b, off + 8) != 0 || (op != 2013 && op != 2004 && op != 2012)) {
                    return NO; // a request (responseTo 0) of a known kind
                }
            }
            st = new State();
            ctx.setState(st);
        }
        return st.feed(FRAMING, ctx, fromClient, b, off, len);
    }

    private static int request(State st, byte[] b, int o, int n, int full) {
        if (st.requestId >= 0) {
            return MATCH;
        }
        long id = le32(b, o + 4);
        long responseTo = le32(b, o + 8);
        long op = le32(b, o + 12);
        if (responseTo != 0) {
            return NO;
        }
        int p = o + 16;
        int end = o + n;
        boolean ok = switch ((int) op) {
            case 2013 -> {
                long flags = le32(b, p);
                if (n < 16 + 4 + 1 + 5 || (flags & ~0x10003L) != 0) {
                    yield false;
                }
                int kind = b[p + 4];
                if (kind == 0) {
                    long size = le32(b, p + 5);
                    yield size >= 5 && size <= full - 21;
                }
                yield kind == 1;
            }
            case 2004 -> {
                int q = p + 4;
                int dot = -1;
                while (q < end && b[q] != 0) {
                    if (b[q] == '.') {
                        dot = q;
                    }
                    if (b[q] < 0x20 || b[q] > 0x7E) {
                        yield false;
                    }
                    q++;
                }
                yield q < end && dot > p + 4 && dot < q - 1;
            }
            case 2012 -> n >= 25 && (b[p + 8] & 0xFF) <= 3; // originalOpcode, uncompressedSize, compressorId
            default -> false;
        };
        if (!ok) {
            return NO;
        }
        st.requestId = id;
        return MATCH;
    }

    private static int reply(State st, byte[] b, int o) {
        // a reply names the request it answers (responseTo); other ones are fine after a match too
        if (st.requestId < 0) {
            return NO;
        }
        return DONE; // the request already decided; its reply ends the inspection
    }

    static long le32(byte[] b, int p) {
        return ((b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) | ((b[p + 2] & 0xFF) << 16) | ((b[p + 3] & 0xFF) << 24)) & 0xFFFF_FFFFL;
    }
}
