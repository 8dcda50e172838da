package org.fathom.protocol.hpvirtgrp;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.frames.FramedState;

/**
 * HP_VIRTGRP, as nDPI names it ("HP Virtual Machine Group Management", nDPI's hpvirtgrp.c): a TCP
 * protocol of records {@code [type:1][length:2, big-endian, header included]...}. The client opens
 * with a type 0x16 record whose fourth byte is 0. nDPI takes that one record; here both directions
 * must agree with the framing: the server answers with a type 0x17 record (fourth byte 0 too), and
 * every later record is type 0x30, its header found exactly where the previous record's length
 * ends. The flow is named once both opening records and one 0x30 record header (either direction)
 * have been read. No public specification is known beyond nDPI's description. TLS cannot pass: a
 * server answers a ClientHello with a handshake record (0x16), not 0x17.
 */
public final class HpVirtGrpDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("HP_VIRTGRP", "Network").withProbeDepth(4);
    static final int OPEN = 0x16;
    static final int ANSWER = 0x17;
    static final int DATA = 0x30;
    private static final int MAX_RECORD = 16_384;

    private static final FramedState.Framing FRAMING = new FramedState.Framing(4, 8, (b, off) -> {
        int type = b[off] & 0xFF;
        int len = (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF);
        return (type == OPEN || type == ANSWER || type == DATA) && len >= 8 && len <= MAX_RECORD ? len : -1;
    });

    private static final long[] CLIENT_FIRST = Dissector.bytes(OPEN);
    private static final long[] SERVER_FIRST = Dissector.bytes(ANSWER);

    static final class State extends FramedState {
        boolean opened;
        boolean answered;
        boolean data;

        @Override
        protected int onRecord(FlowContext ctx, boolean fromClient, byte[] b, int off, int len, int full) {
            int type = b[off] & 0xFF;
            if (records(fromClient) == 1) {
                if (type != (fromClient ? OPEN : ANSWER) || b[off + 3] != 0) {
                    return NO;
                }
                if (fromClient) {
                    opened = true;
                } else {
                    answered = true;
                }
            } else if (type != DATA) {
                return NO;
            } else {
                data = true;
            }
            return opened && answered && data ? DONE : NEED_MORE;
        }
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public long[] firstBytes(boolean fromClient) {
        return fromClient ? CLIENT_FIRST : SERVER_FIRST;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        State st = ctx.state() instanceof State s ? s : null;
        if (st == null) {
            if (len <= 0) {
                return NEED_MORE;
            }
            if ((b[off] & 0xFF) != (fromClient ? OPEN : ANSWER)) {
                return NO;
            }
            st = new State();
            ctx.setState(st);
        }
        if (len <= 0) {
            return st.verdict();
        }
        int r = st.feed(FRAMING, ctx, fromClient, b, off, len);
        return r == DONE || r == NO ? r : NEED_MORE;
    }
}
