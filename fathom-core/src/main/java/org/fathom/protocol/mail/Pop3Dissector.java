package org.fathom.protocol.mail;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.Risk;
import org.fathom.wire.text.Ascii;
import org.fathom.wire.text.StartTls;
import org.fathom.wire.text.TextDissector;
import org.fathom.wire.text.TextSession;

/**
 * POP3 (RFC 1939, 2449, 2595). The server greets with {@code +OK}; the client sends POP3 commands
 * (USER, PASS, APOP, AUTH, CAPA, STLS, ...); replies start with {@code +OK} or {@code -ERR}. A flow
 * is recognised from a greeting followed by a POP3 command, or (when the greeting was missed) a
 * command answered by a status reply. USER/PASS and AUTH PLAIN/LOGIN outside TLS are
 * {@link Risk#CLEARTEXT_CREDENTIALS}; the user name is kept as {@code pop3.user}, the password
 * never. STLS answered with {@code +OK} sets {@code pop3.starttls}, names the flow {@code POPS} (as nDPI does) and ends
 * the inspection.
 */
public final class Pop3Dissector extends TextDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("POP3", "Email", 110).withProbeDepth(4);
    private static final StartTls STLS = new StartTls(Registration.POP3_STARTTLS.key(), "POPS", "Email");
    static final String[] COMMANDS = {"USER", "PASS", "APOP", "AUTH", "CAPA", "STLS", "QUIT", "STAT", "LIST", "RETR",
        "DELE", "NOOP", "RSET", "TOP", "UIDL", "UTF8"};

    static final class Session extends TextSession {
        boolean pendingReply;

        @Override
        protected int line(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
            if (fromClient) {
                String c = MailCommands.command(b, off, len, COMMANDS);
                if (c == null) {
                    // after a match, AUTH continuation lines (base64) and the like are fine
                    return verdict == MATCH ? MATCH : NO;
                }
                command = true;
                pendingReply = true;
                switch (c) {
                    case "USER" -> {
                        String u = MailCommands.argument(b, off, len, 4, 64);
                        if (!u.isEmpty()) {
                            note(ctx, Registration.POP3_USER.key(), u);
                        }
                    }
                    case "PASS" -> risk(ctx, Risk.CLEARTEXT_CREDENTIALS);
                    case "AUTH" -> {
                        String m = MailCommands.argument(b, off, len, 4, 32);
                        if (MailCommands.cleartextSasl(m)) {
                            risk(ctx, Risk.CLEARTEXT_CREDENTIALS);
                        }
                    }
                    case "STLS" -> STLS.request(this);
                    default -> { }
                }
                return greeted || verdict == MATCH ? MATCH : NEED_MORE;
            }
            boolean ok = Ascii.startsWith(b, off, len, "+OK") && (len == 3 || b[off + 3] == ' ');
            boolean err = Ascii.startsWith(b, off, len, "-ERR") && (len == 4 || b[off + 4] == ' ');
            if (!greeted && !command) {
                if (!ok) {
                    return NO;
                }
                greeted = true;
                return NEED_MORE;
            }
            if (verdict != MATCH && !(ok || err)) {
                return NO;
            }
            if (STLS.answered(this, ctx, pendingReply && ok, true)) {
                return DONE;
            }
            pendingReply = false;
            return command ? MATCH : NEED_MORE;
        }
    }

    public Pop3Dissector() {
        super(DESCRIPTOR, Session::new, COMMANDS, "+OK");
    }

    /** Names given besides the descriptor's (for {@code fathom protocols}). */
    @Override
    public java.util.List<org.fathom.protocol.Service> alsoReports() {
        return java.util.List.of(new org.fathom.protocol.Service("POPS", "Email"));
    }
}
