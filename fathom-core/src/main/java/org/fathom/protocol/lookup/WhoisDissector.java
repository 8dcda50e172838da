package org.fathom.protocol.lookup;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * WHOIS (RFC 3912) on TCP 43, and the Domain Availability Service on 4343 (nDPI's name for both
 * is {@code Whois-DAS}): the client sends one query line of text ending in CRLF and nothing else,
 * the server answers with text. A query line is short and a WHOIS server never speaks first; the
 * server port is required, the format alone being too plain. The query is not recorded.
 */
public final class WhoisDissector implements Dissector {
    static final int MAX_QUERY = 512;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("Whois-DAS", "Network", 43, 4343).withProbeDepth(3);
    /** The query line read so far (its length only; the text is not kept). */
    private static final class State {
        int length;
        boolean cr;
        boolean ended;
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        int port = ctx.serverPort();
        if (ctx.l4() != 6 || port != 43 && port != 4343 || len <= 0) {
            return NO;
        }
        State st = ctx.state() instanceof State s ? s : null;
        if (fromClient) {
            if (st == null) {
                st = new State();
                ctx.setState(st);
            }
            for (int i = off; i < off + len; i++) {
                int c = b[i] & 0xFF;
                if (st.ended || ++st.length > MAX_QUERY) {
                    return NO; // one query line per connection
                }
                if (st.cr) {
                    if (c != '\n') {
                        return NO;
                    }
                    st.ended = true;
                } else if (c == '\r') {
                    st.cr = true;
                } else if (c < 0x20 && c != '\t' || c == 0x7F) {
                    return NO;
                }
            }
            return NEED_MORE;
        }
        if (st == null || !st.ended || st.length < 3) {
            return NO; // a WHOIS server never speaks first
        }
        int n = Math.min(len, 256);
        for (int i = off; i < off + n; i++) {
            int c = b[i] & 0xFF;
            if (c < 0x20 && c != '\t' && c != '\r' && c != '\n' || c == 0x7F) {
                return NO;
            }
        }
        return DONE;
    }
}
