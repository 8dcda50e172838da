package org.fathom.protocol.kerberos;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.frames.FramedState;
import org.fathom.wire.frames.RecordFramer;

/**
 * Kerberos V5 to a KDC (RFC 4120): one message per UDP datagram on 88, or over TCP 88 each message
 * behind a four-byte big-endian length whose top bit is reserved (zero). A message is recognised
 * by its outer structure (see {@link KerberosMessage}). Contributes {@code kerberos.request} and
 * {@code kerberos.reply} (message type names), {@code kerberos.realm} and, for errors,
 * {@code kerberos.error_code}. Client principal names are personal data: they are read only for
 * events ({@code --events}: one {@code kerberos} event per message, with {@code kerberos.cname},
 * dropped outside identified mode, {@code kerberos.sname} and {@code kerberos.etypes}).
 */
public final class KerberosDissector implements Dissector {
    static final int CAP = 8 * 1024;
    private static final int MAX_MESSAGE = 1 << 20;
    private static final Descriptor DESCRIPTOR = Descriptor.both("Kerberos", "Network", new int[] {88}, new int[] {88}).withProbeDepth(3);
    private static final RecordFramer.Header TCP_HEADER = (b, o) -> {
        int l = ((b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
        return l < 12 || l > MAX_MESSAGE ? -1 : l + 4;
    };

    private static final FramedState.Framing FRAMING = new FramedState.Framing(4, CAP, TCP_HEADER);

    static final class State extends FramedState {
        boolean seenRequest;
        boolean seenReply;

        @Override
        protected int onRecord(FlowContext ctx, boolean fromClient, byte[] b, int off, int len, int full) {
            return message(ctx, this, b, off + 4, len - 4, full - 4);
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
            // cheap checks before any allocation: an application tag first (UDP), or a length
            // below 2^24 followed by one (TCP)
            int tagAt = ctx.l4() == 17 ? off : off + 4;
            if (len > 0 && ctx.l4() != 17 && b[off] != 0) {
                return NO;
            }
            if (len > tagAt - off && !applicationTag(b[tagAt] & 0xFF)) {
                return NO;
            }
            st = new State();
            ctx.setState(st);
        }
        if (ctx.l4() == 17) {
            return message(ctx, st, b, off, len, len);
        }
        return st.feed(FRAMING, ctx, fromClient, b, off, len);
    }

    private static boolean applicationTag(int t) {
        return t == 0x6A || t == 0x6B || t == 0x6C || t == 0x6D || t == 0x7E;
    }

    private static int message(FlowContext ctx, State st, byte[] b, int off, int len, int full) {
        int t = KerberosMessage.type(b, off, len, full);
        if (t < 0) {
            return st.verdict() == NEED_MORE ? NO : DONE;
        }
        st.verdict(MATCH);
        if (ctx.transactions()) {
            event(ctx, b, off, len, t);
        }
        boolean request = t == 10 || t == 12;
        if (request && !st.seenRequest) {
            st.seenRequest = true;
            ctx.put(Registration.KERBEROS_REQUEST.key(), KerberosMessage.typeName(t));
        } else if (!request && !st.seenReply) {
            st.seenReply = true;
            ctx.put(Registration.KERBEROS_REPLY.key(), KerberosMessage.typeName(t));
            if (t == 30) {
                long code = KerberosMessage.errorCode(b, off, len);
                if (code >= 0) {
                    ctx.put(Registration.KERBEROS_ERROR_CODE.key(), code);
                }
            }
        }
        if (ctx.get(Registration.KERBEROS_REALM.key()) == null) {
            String realm = KerberosMessage.realm(b, off, len, t);
            if (realm != null) {
                ctx.put(Registration.KERBEROS_REALM.key(), realm);
            }
        }
        if (ctx.transactions()) {
            return MATCH;   // every message is an event
        }
        return st.seenRequest && st.seenReply && ctx.get(Registration.KERBEROS_REALM.key()) != null ? DONE : MATCH;
    }

    /** The events path: one {@code kerberos} event per message. */
    private static void event(FlowContext ctx, byte[] b, int off, int len, int t) {
        KerberosMessage.Details d = KerberosMessage.details(b, off, len, t);
        java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>();
        m.put(Registration.KERBEROS_MSG_TYPE.key(), KerberosMessage.typeName(t));
        if (d != null) {
            m.put(Registration.KERBEROS_REALM.key(), d.realm());
            m.put(Registration.KERBEROS_CNAME.key(), d.cname());
            m.put(Registration.KERBEROS_SNAME.key(), d.sname());
            if (d.errorCode() >= 0) {
                m.put(Registration.KERBEROS_ERROR_CODE.key(), d.errorCode());
            }
            m.put(Registration.KERBEROS_ETYPES.key(), d.etypes());
        }
        ctx.transaction("kerberos", m);
    }
}
