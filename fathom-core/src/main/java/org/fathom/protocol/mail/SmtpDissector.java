package org.fathom.protocol.mail;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.PendingTransactions;
import org.fathom.protocol.Risk;
import org.fathom.wire.text.Ascii;
import org.fathom.wire.text.StartTls;
import org.fathom.wire.text.TextDissector;
import org.fathom.wire.text.TextSession;

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
    private static final StartTls STARTTLS = new StartTls(Registration.SMTP_STARTTLS.key(), "SMTPS", "Email");
    static final String[] COMMANDS = {"EHLO", "HELO", "LHLO", "MAIL", "RCPT", "DATA", "RSET", "NOOP", "QUIT", "VRFY",
        "EXPN", "HELP", "STARTTLS", "AUTH", "BDAT", "ETRN"};
    /** The commands that open a session: the session's {@code command} is its hello. */
    static final String[] HELLO = {"EHLO", "HELO", "LHLO"};

    static final class Session extends TextSession implements PendingTransactions {
        boolean data;
        // events path: the mail transaction under way (MAIL FROM ... RCPT TO ... DATA ... '.')
        private boolean tx;
        private String mailFrom;
        private long rcpts;
        private long messageBytes;
        private boolean awaitingDataReply;

        private void emit(FlowContext ctx, int code) {
            java.util.LinkedHashMap<String, Object> e = new java.util.LinkedHashMap<>();
            e.put(Registration.SMTP_EHLO.key(), ctx.get(Registration.SMTP_EHLO.key()));
            e.put(Registration.SMTP_MAIL_FROM.key(), mailFrom);
            e.put(Registration.SMTP_RCPT_COUNT.key(), rcpts);
            e.put(Registration.SMTP_MESSAGE_BYTES.key(), messageBytes);
            if (code >= 0) {
                e.put(Registration.SMTP_REPLY_CODE.key(), (long) code);
            }
            ctx.transaction("smtp", e);
            tx = false;
            awaitingDataReply = false;
            mailFrom = null;
            rcpts = 0;
            messageBytes = 0;
        }

        @Override
        public void flush(FlowContext ctx) {
            if (tx) {
                emit(ctx, -1);
            }
        }

        private void transaction(FlowContext ctx, String c, byte[] b, int off, int len) {
            switch (c) {
                case "MAIL" -> {
                    if (tx) {
                        emit(ctx, -1);
                    }
                    tx = true;
                    mailFrom = path(b, off, len);
                }
                case "RCPT" -> {
                    if (tx) {
                        rcpts++;
                    }
                }
                case "RSET", "QUIT" -> {
                    if (tx && !awaitingDataReply) {
                        emit(ctx, -1);
                    }
                }
                default -> { }
            }
        }

        private static String path(byte[] b, int off, int len) {
            // MAIL FROM:<address> [parameters]: the address between the angle brackets
            int lt = -1;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '<') {
                    lt = i;
                } else if (b[i] == '>' && lt >= 0) {
                    return Ascii.string(b, lt + 1, i - lt - 1, 254);
                }
            }
            return null;
        }

        @Override
        protected int line(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
            if (fromClient) {
                if (data) {
                    if (len == 1 && b[off] == '.') {
                        data = false;
                        awaitingDataReply = tx;
                    } else if (tx) {
                        messageBytes += len + 2;   // counted, never read
                    }
                    return MATCH; // message content is not read
                }
                String c = MailCommands.command(b, off, len, COMMANDS);
                if (c == null) {
                    return verdict == MATCH ? MATCH : NO; // AUTH continuation lines and the like
                }
                if (ctx.transactions() && verdict == MATCH) {
                    transaction(ctx, c, b, off, len);
                }
                switch (c) {
                    case "EHLO", "HELO", "LHLO" -> {
                        command = true;
                        String d = MailCommands.argument(b, off, len, 4, 255);
                        if (!d.isEmpty() && !noted(ctx, Registration.SMTP_EHLO.key())) {
                            note(ctx, Registration.SMTP_EHLO.key(), d);
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
            if (awaitingDataReply && len > 3 && b[off + 3] == ' ') {
                emit(ctx, code);   // the server's verdict on the message
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
