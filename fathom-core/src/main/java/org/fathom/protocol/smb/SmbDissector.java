package org.fathom.protocol.smb;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.frames.FramedState;
import org.fathom.wire.frames.RecordFramer;

/**
 * SMB over TCP 445 (direct hosting, [MS-SMB2] 2.1) and 139 (NetBIOS session service, RFC 1002):
 * each message is preceded by a four-byte header (type 0 and a 24-bit length; on 139 the session
 * request/response/keepalive packets that precede are passed over). The message must start with
 * an SMB protocol id: 0xFF 'SMB' (SMB1, which nDPI names {@code NetBIOS} carrying {@code SMBv1}),
 * 0xFE 'SMB' with a 64-byte header (SMB2/3), or the SMB3 transform (0xFD 'SMB') and compression
 * (0xFC 'SMB') headers ({@code SMBv23}). Contributes {@code smb.version} (1 or 2). With events
 * ({@code --events}), every SMB2 message is read ({@link Smb2Events}), and every SMB1 message
 * ({@link Smb1Events}).
 */
public final class SmbDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("SMBv23", "System", 445).withProbeDepth(4);
    private static final RecordFramer.Header SESSION = (b, o) -> {
        int type = b[o] & 0xFF;
        int len = ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
        return switch (type) {
            case 0x00 -> len >= 4 ? len + 4 : -1;
            case 0x81 -> len >= 4 && len <= 512 ? len + 4 : -1; // session request: two encoded names
            case 0x82, 0x85 -> len == 0 ? 4 : -1;
            case 0x83 -> len == 1 ? 5 : -1;
            case 0x84 -> len == 6 ? 10 : -1;
            default -> -1;
        };
    };

    private static final FramedState.Framing FRAMING = new FramedState.Framing(4, 72, SESSION);
    /** With events: messages are read further (security buffers, tree paths), up to this many bytes. */
    private static final FramedState.Framing EVENTS_FRAMING = new FramedState.Framing(4, 16 * 1024, SESSION);

    static final class State extends FramedState implements org.fathom.protocol.PendingTransactions {
        /** Events path: requests of interest waiting for their responses, by message id. */
        Smb2Events events;
        /** Events path of SMB1: requests waiting, by process and multiplex id. */
        Smb1Events events1;

        @Override
        protected int onRecord(FlowContext ctx, boolean fromClient, byte[] b, int off, int len, int full) {
            if (b[off] != 0) {
                return NEED_MORE; // NetBIOS session service packets before the first message
            }
            int r = message(ctx, b, off + 4, len - 4, full - 4);
            if (r == DONE && ctx.transactions() && (b[off + 4] & 0xFF) == 0xFE) {
                if (events == null) {
                    events = new Smb2Events();
                }
                events.message(ctx, fromClient, b, off + 4, len - 4);
                if (events1 != null) {
                    events1.answeredBySmb2();
                }
                return MATCH;   // every message is read for its events
            }
            if (r == DONE && ctx.transactions() && (b[off + 4] & 0xFF) == 0xFF) {
                if (events1 == null) {
                    events1 = new Smb1Events();
                }
                events1.message(ctx, b, off + 4, len - 4);
                return MATCH;
            }
            if (r == NO && verdict() == MATCH && ctx.transactions()) {
                return MATCH;   // a message of another kind (encrypted, compressed) once matched
            }
            return r;
        }

        @Override
        public void flush(FlowContext ctx) {
            if (events1 != null) {
                events1.flush(ctx);
            }
            if (events != null) {
                events.flush(ctx);
            }
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
            if (len > 0 && b[off] != 0 && ((b[off] & 0xFF) < 0x81 || (b[off] & 0xFF) > 0x85)) {
                return NO;
            }
            if (len >= 8 && b[off] == 0 && (b[off + 5] != 'S' || b[off + 6] != 'M' || b[off + 7] != 'B')) {
                return NO; // a session message must carry an SMB protocol id
            }
            st = new State();
            ctx.setState(st);
        }
        int r = st.feed(ctx.transactions() ? EVENTS_FRAMING : FRAMING, ctx, fromClient, b, off, len);
        if (r == NEED_MORE && st.records(fromClient) > 4) {
            return NO;
        }
        return r;
    }

    private static int message(FlowContext ctx, byte[] b, int p, int n, int full) {
        if (n < 4 || b[p + 1] != 'S' || b[p + 2] != 'M' || b[p + 3] != 'B') {
            return NO;
        }
        int id = b[p] & 0xFF;
        switch (id) {
            case 0xFF -> {
                if (full < 32) {
                    return NO;
                }
                if (ctx.get(Registration.SMB_VERSION.key()) == null) {   // with events, later messages change nothing
                    ctx.setProtocol("NetBIOS", "System");
                    ctx.setApplication("SMBv1", "System");
                    ctx.put(Registration.SMB_VERSION.key(), 1L);
                }
                return DONE;
            }
            case 0xFE -> {
                if (full < 64 || n < 6 || b[p + 4] != 64 || b[p + 5] != 0) {
                    return NO; // StructureSize 64
                }
            }
            case 0xFD -> {
                if (full < 52) {
                    return NO;
                }
            }
            case 0xFC -> {
                if (full < 16) {
                    return NO;
                }
            }
            default -> {
                return NO;
            }
        }
        if (ctx.get(Registration.SMB_VERSION.key()) == null) {
            ctx.put(Registration.SMB_VERSION.key(), 2L);
        }
        return DONE;
    }

    /** Names given besides the descriptor's (for {@code fathom protocols}). */
    @Override
    public java.util.List<org.fathom.protocol.Service> alsoReports() {
        return java.util.List.of(new org.fathom.protocol.Service("SMBv1", "System"), new org.fathom.protocol.Service("NetBIOS", "System"));
    }
}
