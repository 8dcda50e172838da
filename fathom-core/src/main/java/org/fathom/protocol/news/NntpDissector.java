package org.fathom.protocol.news;

import java.util.Set;
import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * NNTP, the Usenet news protocol (RFC 3977), on TCP (registered for 119 and 433; nDPI calls it
 * {@code Usenet}): the server greets first with {@code 200} (posting allowed) or {@code 201} and
 * text on one CRLF line; the client's first line is an NNTP command (RFC 3977, RFC 4643
 * AUTHINFO, RFC 2980 extensions). The greeting and a command decide on any port; on 119/433 the
 * greeting alone does. Nothing is recorded (group names and article ids can say who reads what).
 */
public final class NntpDissector implements Dissector {
    static final int MAX_LINE = 512;
    static final Set<String> COMMANDS = Set.of("CAPABILITIES", "MODE", "AUTHINFO", "GROUP", "LISTGROUP", "LIST", "ARTICLE", "HEAD",
            "BODY", "STAT", "NEXT", "LAST", "NEWGROUPS", "NEWNEWS", "POST", "IHAVE", "QUIT", "OVER", "XOVER", "HDR", "XHDR", "DATE",
            "HELP", "STARTTLS", "CHECK", "TAKETHIS", "XPAT", "XGTITLE", "SLAVE");
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("Usenet", "Web", 119, 433).withProbeDepth(3);
    private static final long[] SERVER_FIRST = Dissector.bytes('2');

    /** The side's first line, as far as read (capped). */
    private static final class State {
        final StringBuilder server = new StringBuilder();
        final StringBuilder client = new StringBuilder();
        boolean greeted;
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public long[] firstBytes(boolean fromClient) {
        return fromClient ? null : SERVER_FIRST;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.l4() != 6 || len <= 0) {
            return NO;
        }
        State st = ctx.state() instanceof State s ? s : null;
        if (st == null) {
            if (fromClient) {
                return NO; // the server speaks first
            }
            st = new State();
            ctx.setState(st);
        }
        StringBuilder line = fromClient ? st.client : st.server;
        if (fromClient && !st.greeted || !fromClient && !st.greeted && line.isEmpty() && b[off] != '2') {
            return NO;
        }
        int eol = -1;
        for (int i = 0; i < len; i++) {
            int c = b[off + i] & 0xFF;
            if (c == '\n') {
                eol = i;
                break;
            }
            if (line.length() >= MAX_LINE || c != '\r' && (c < 0x20 || c >= 0x7F) && c != '\t') {
                return NO;
            }
            line.append((char) c);
        }
        if (eol < 0) {
            return NEED_MORE;
        }
        if (line.isEmpty() || line.charAt(line.length() - 1) != '\r') {
            return NO;
        }
        if (!fromClient) {
            if (st.greeted) {
                return NEED_MORE; // a later server line before the client's command
            }
            boolean greeting = line.length() >= 5 && line.charAt(0) == '2' && line.charAt(1) == '0'
                    && (line.charAt(2) == '0' || line.charAt(2) == '1') && (line.charAt(3) == ' ' || line.charAt(3) == '\r');
            if (!greeting) {
                return NO;
            }
            st.greeted = true;
            int p = ctx.serverPort();
            return p == 119 || p == 433 ? MATCH : NEED_MORE;
        }
        String first = line.toString().strip();
        int sp = first.indexOf(' ');
        String verb = (sp < 0 ? first : first.substring(0, sp)).toUpperCase(java.util.Locale.ROOT);
        return COMMANDS.contains(verb) ? DONE : NO;
    }
}
