package org.fathom.protocol.mail;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.Risk;
import org.fathom.protocol.textline.Ascii;
import org.fathom.protocol.textline.StartTls;
import org.fathom.protocol.textline.TextDissector;
import org.fathom.protocol.textline.TextSession;

/**
 * SMTP (RFC 5321) and its submission variant (RFC 6409). The server greets with reply code 220
 * (single or multi-line); the client introduces itself with EHLO or HELO (LHLO for LMTP). A flow is
 * recognised from a greeting followed by EHLO/HELO, or (greeting missed) EHLO/HELO answered by a
 * 250 reply. Contributes {@code smtp.ehlo} (the client's announced domain), {@code smtp.starttls}
 * (STARTTLS answered 220: the flow is then named {@code SMTPS}, as nDPI does, and the inspection ends). AUTH PLAIN/LOGIN outside TLS is
 * {@link Risk#CLEARTEXT_CREDENTIALS}. Mail addresses and message contents are not read.
 */
public final class SmtpDissector extends TextDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("SMTP", "Email", 25, 587).withProbeDepth(4);
    private static final StartTls STARTTLS = new StartTls("smtp.starttls", "SMTPS", "Email");
    static final String[] COMMANDS = {"EHLO", "HELO", "LHLO", "MAIL", "RCPT", "DATA", "RSET", "NOOP", "QUIT", "VRFY",
        "EXPN", "HELP", "STARTTLS", "AUTH", "BDAT", "ETRN"};
    /** The commands that open a session: the session's {@code command} is its hello. */
    static final String[] HELLO = {"EHLO", "HELO", "LHLO"};

    static final class Session extends TextSession {
        boolean data;

        @Override
        protected int line(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
            if (fromClient) {
                if (data) {
                    if (len == 1 && b[off] == '.') {
                        data = false;
                    }
                    return MATCH; // message content is not read
                }
                String c = MailCommands.command(b, off, len, COMMANDS);
                if (c == null) {
                    return verdict == MATCH ? MATCH : NO; // AUTH continuation lines and the like
                }
                switch (c) {
                    case "EHLO", "HELO", "LHLO" -> {
                        command = true;
                        String d = MailCommands.argument(b, off, len, 4, 255);
                        if (!d.isEmpty() && !noted(ctx, "smtp.ehlo")) {
                            note(ctx, "smtp.ehlo", d);
                        }
                    }
                    case "AUTH" -> {
                        if (MailCommands.cleartextSasl(MailCommands.argument(b, off, len, 4, 32))) {
                            risk(ctx, Risk.CLEARTEXT_CREDENTIALS);
                        }
                    }
                    case "STARTTLS" -> STARTTLS.request(this);
                    case "DATA" -> data = verdict == MATCH;
                    default -> {
                        if (verdict != MATCH) {
                            return NO; // a session opens with EHLO/HELO
                        }
                    }
                }
                return greeted ? MATCH : NEED_MORE;
            }
            int code = Ascii.replyCode(b, off, len);
            if (code < 0) {
                return verdict == MATCH ? MATCH : NO;
            }
            if (!greeted && !command) {
                if (code != 220) {
                    return NO;
                }
                greeted = true;
                return NEED_MORE;
            }
            if (!greeted) {
                if (code != 250) {
                    return NO;
                }
                greeted = true;
                return MATCH;
            }
            if (STARTTLS.answered(this, ctx, code == 220, len > 3 && b[off + 3] == ' ')) {
                return DONE;
            }
            return command ? MATCH : NEED_MORE;
        }
    }

    public SmtpDissector() {
        super(DESCRIPTOR, Session::new, HELLO, "220");
    }

    /** Names given besides the descriptor's (for {@code fathom protocols}). */
    @Override
    public java.util.List<org.fathom.protocol.Service> alsoReports() {
        return java.util.List.of(new org.fathom.protocol.Service("SMTPS", "Email"));
    }
}
