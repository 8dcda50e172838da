package org.fathom.protocol.ldap;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.Risk;
import org.fathom.wire.frames.FramedState;
import org.fathom.wire.frames.RecordFramer;

/**
 * LDAP (RFC 4511) over TCP 389/3268 and connectionless LDAP (RFC 1798) over UDP 389: BER-encoded
 * LDAPMessages (see {@link LdapMessage}). The first message from the client must be a request.
 * A simple bind with a non-empty password is {@link Risk#CLEARTEXT_CREDENTIALS} (the bind name
 * and password are not read). Contributes {@code ldap.operation} (the first request's name).
 */
public final class LdapDissector implements Dissector {
    static final int CAP = 2048;
    private static final Descriptor DESCRIPTOR = Descriptor.both("LDAP", "System", new int[] {389}, new int[] {389}).withProbeDepth(3);
    private static final RecordFramer.Header HEADER = LdapMessage::length;
    private static final FramedState.Framing FRAMING = new FramedState.Framing(6, CAP, HEADER);

    static final class State extends FramedState {
        int messages;

        @Override
        protected int onRecord(FlowContext ctx, boolean fromClient, byte[] b, int o, int n, int full) {
            int[] bind = {0};
            int op = LdapMessage.op(b, o, n, full, fromClient ? bind : null);
            if (op < 0) {
                return verdict() == MATCH ? DONE : NO;
            }
            boolean request = op == 0 || op == 2 || op == 3 || op == 6 || op == 8 || op == 10 || op == 12 || op == 14 || op == 16 || op == 23;
            if (fromClient != request) {
                return verdict() == MATCH ? DONE : NO;
            }
            if (bind[0] == 1) {
                ctx.addRisk(Risk.CLEARTEXT_CREDENTIALS);
            }
            if (fromClient && ctx.get(Registration.LDAP_OPERATION.key()) == null) {
                ctx.put(Registration.LDAP_OPERATION.key(), LdapMessage.opName(op));
            }
            return ++messages >= 4 ? DONE : MATCH;
        }
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        State st = (State) ctx.state();
        boolean udp = ctx.l4() == 17;
        if ((st == null || udp) && len > 0 && b[off] != 0x30) {
            return st != null && st.verdict() == MATCH ? DONE : NO; // a message starts with a SEQUENCE
        }
        if (st == null) {
            st = new State();
            ctx.setState(st);
        }
        if (udp) {
            return st.datagram(ctx, fromClient, b, off, len);
        }
        return st.feed(FRAMING, ctx, fromClient, b, off, len);
    }

    private static final long[] FIRST = org.fathom.protocol.Dissector.bytes(0x30);

    /** See {@link org.fathom.protocol.Dissector#firstBytes}. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }
}
