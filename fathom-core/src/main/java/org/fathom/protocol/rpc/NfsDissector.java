package org.fathom.protocol.rpc;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.frames.FramedState;
import org.fathom.wire.frames.RecordFramer;

/**
 * NFS and its companions on ONC RPC (RFC 5531): a CALL message (xid, message type 0, RPC version 2,
 * program, version, procedure, credential and verifier with flavors and lengths that fit) to the
 * NFS program 100003 (versions 2..4), its MOUNT protocol 100005 (1..3) or the portmapper 100000
 * (2..4), which nDPI names {@code NFS} alike. Over UDP one datagram is one message; over TCP each
 * message is sent as record-marked fragments (a four-byte mark: last-fragment bit and length).
 * Contributes {@code nfs.program} ({@code nfs}, {@code mount}, {@code portmap}) and
 * {@code nfs.version}.
 */
public final class NfsDissector implements Dissector {
    static final int CAP = 512;
    private static final Descriptor DESCRIPTOR = Descriptor.both("NFS", "DataTransfer", new int[] {2049}, new int[] {2049}).withProbeDepth(3);
    private static final RecordFramer.Header MARK = (b, o) -> {
        long m = be32(b, o);
        long len = m & 0x7FFF_FFFFL;
        return len < 40 || len > (1 << 24) ? -1 : (int) len + 4;
    };

    private static final FramedState.Framing FRAMING = new FramedState.Framing(4, CAP, MARK);

    /** Over TCP: the client's first record-marked fragment. */
    static final class State extends FramedState {
        @Override
        protected int onRecord(FlowContext ctx, boolean fromClient, byte[] b, int off, int len, int full) {
            return call(ctx, b, off + 4, len - 4, full - 4) ? DONE : NO;
        }
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.l4() == 17) {
            if (!fromClient) {
                return ctx.payloadPackets(true) == 0 ? NO : NEED_MORE; // a reply cannot open the flow
            }
            return call(ctx, b, off, len, len) ? DONE : NO;
        }
        State st = (State) ctx.state();
        if (!fromClient) {
            return st == null ? NO : NEED_MORE;
        }
        if (st == null) {
            // cheap check before any allocation: message type CALL (0) and RPC version 2 after mark and xid
            if (len >= 16 && (be32(b, off + 8) != 0 || be32(b, off + 12) != 2)) {
                return NO;
            }
            st = new State();
            ctx.setState(st);
        }
        return st.feed(FRAMING, ctx, true, b, off, len);
    }

    /** Whether {@code b[o..o+n)} (the start of a message of {@code full} bytes) is a CALL to an NFS-family program. */
    static boolean call(FlowContext ctx, byte[] b, int o, int n, int full) {
        if (n < 40) {
            return false;
        }
        if (be32(b, o + 4) != 0 || be32(b, o + 8) != 2) {
            return false;
        }
        long prog = be32(b, o + 12);
        long vers = be32(b, o + 16);
        long proc = be32(b, o + 20);
        String name;
        if (prog == 100003 && vers >= 2 && vers <= 4) {
            name = "nfs";
        } else if (prog == 100005 && vers >= 1 && vers <= 3) {
            name = "mount";
        } else if (prog == 100000 && vers >= 2 && vers <= 4) {
            name = "portmap";
        } else {
            return false;
        }
        if (proc > 255) {
            return false;
        }
        // credential and verifier: flavor, opaque length (max 400), padded body
        int p = o + 24;
        for (int k = 0; k < 2; k++) {
            if (p + 8 > o + full) {
                return false;
            }
            if (p + 8 > o + n) {
                break; // not held: what was checked must do
            }
            long flavor = be32(b, p);
            long alen = be32(b, p + 4);
            boolean known = flavor <= 6 || flavor == 390003 || flavor == 390004 || flavor == 390005;
            if (!known || alen > 400) {
                return false;
            }
            p += 8 + (int) ((alen + 3) & ~3L);
        }
        if (p > o + full) {
            return false;
        }
        ctx.put(Registration.NFS_PROGRAM.key(), name);
        ctx.put(Registration.NFS_VERSION.key(), vers);
        return true;
    }

    static long be32(byte[] b, int q) {
        return (((b[q] & 0xFF) << 24) | ((b[q + 1] & 0xFF) << 16) | ((b[q + 2] & 0xFF) << 8) | (b[q + 3] & 0xFF)) & 0xFFFF_FFFFL;
    }
}
