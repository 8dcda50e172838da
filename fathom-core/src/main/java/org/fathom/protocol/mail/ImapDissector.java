package org.fathom.protocol.mail;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.Risk;
import org.fathom.wire.text.Ascii;
import org.fathom.wire.text.StartTls;
import org.fathom.wire.text.TextDissector;
import org.fathom.wire.text.TextSession;

/**
 * IMAP4 (RFC 3501, RFC 9051). The server greets with an untagged {@code * OK}, {@code * PREAUTH}
 * or {@code * BYE}; the client sends tagged commands ({@code tag SP command ...}). A flow is
 * recognised from a greeting followed by a tagged IMAP command, or from a tagged command answered
 * by an untagged or tagged response. LOGIN and AUTHENTICATE PLAIN/LOGIN outside TLS are
 * {@link Risk#CLEARTEXT_CREDENTIALS}; the LOGIN user name is kept as {@code imap.user}, the password
 * never. STARTTLS answered OK sets {@code imap.starttls}, names the flow {@code IMAPS} (as nDPI does)
 * and ends the inspection.
 */
public final class ImapDissector extends TextDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("IMAP", "Email", 143).withProbeDepth(4);
    private static final StartTls STARTTLS = new StartTls(Registration.IMAP_STARTTLS.key(), "IMAPS", "Email");
    static final String[] COMMANDS = {"CAPABILITY", "NOOP", "LOGOUT", "STARTTLS", "AUTHENTICATE", "LOGIN", "SELECT",
        "EXAMINE", "CREATE", "DELETE", "RENAME", "SUBSCRIBE", "UNSUBSCRIBE", "LIST", "LSUB", "STATUS", "APPEND", "CHECK",
        "CLOSE", "EXPUNGE", "SEARCH", "FETCH", "STORE", "COPY", "MOVE", "UID", "ID", "ENABLE", "IDLE", "NAMESPACE",
        "GETQUOTAROOT", "GETQUOTA", "XLIST", "COMPRESS", "UNSELECT", "GETACL", "MYRIGHTS"};

    static final class Session extends TextSession {
        String starttlsTag;

        @Override
        protected int line(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
            if (fromClient) {
                int tagLen = tag(b, off, len);
                String c = tagLen > 0 ? MailCommands.command(b, off + tagLen + 1, len - tagLen - 1, COMMANDS) : null;
                if (c == null) {
                    return verdict == MATCH ? MATCH : NO; // literals, AUTHENTICATE continuations, IDLE's DONE
                }
                command = true;
                int argOff = off + tagLen + 1 + c.length();
                int argLen = len - tagLen - 1 - c.length();
                switch (c) {
                    case "LOGIN" -> {
                        risk(ctx, Risk.CLEARTEXT_CREDENTIALS);
                        String user = firstAtom(b, argOff, argLen);
                        if (user != null) {
                            note(ctx, Registration.IMAP_USER.key(), user);
                        }
                    }
                    case "AUTHENTICATE" -> {
                        if (MailCommands.cleartextSasl(MailCommands.argument(b, argOff, argLen, 0, 32))) {
                            risk(ctx, Risk.CLEARTEXT_CREDENTIALS);
                        }
                    }
                    case "STARTTLS" -> {
                        starttlsTag = Ascii.string(b, off, tagLen, 32);
                        STARTTLS.request(this);
                    }
                    default -> { }
                }
                return greeted || verdict == MATCH ? MATCH : NEED_MORE;
            }
            boolean untagged = len >= 2 && b[off] == '*' && b[off + 1] == ' ';
            if (!greeted && !command) {
                if (!untagged || !(Ascii.startsWithIgnoreCase(b, off + 2, len - 2, "OK")
                        || Ascii.startsWithIgnoreCase(b, off + 2, len - 2, "PREAUTH")
                        || Ascii.startsWithIgnoreCase(b, off + 2, len - 2, "BYE"))) {
                    return NO;
                }
                greeted = true;
                return NEED_MORE;
            }
            if (STARTTLS.requested(this) && STARTTLS.answered(this, ctx, taggedOk(b, off, len, starttlsTag), false)) {
                return DONE;
            }
            if (verdict != MATCH && !untagged && !(len >= 1 && b[off] == '+') && tag(b, off, len) < 0) {
                return NO;
            }
            return command ? MATCH : NEED_MORE;
        }
    }

    /** Whether a line is the tagged OK completing the command of that tag. */
    private static boolean taggedOk(byte[] b, int off, int len, String tag) {
        int t = tag.length();
        return len > t + 3 && Ascii.startsWith(b, off, len, tag) && b[off + t] == ' ' && Ascii.startsWithIgnoreCase(b, off + t + 1, len - t - 1, "OK");
    }

    /** Length of an IMAP tag at the start of the line followed by a space (1..32 tag characters), or -1. */
    static int tag(byte[] b, int off, int len) {
        int i = 0;
        while (i < len && i <= 32) {
            int c = b[off + i] & 0xFF;
            if (c == ' ') {
                break;
            }
            if (c <= 0x20 || c >= 0x7F || c == '(' || c == ')' || c == '{' || c == '%' || c == '*' || c == '"' || c == '\\' || c == '+' || c == ']') {
                return -1;
            }
            i++;
        }
        return i > 0 && i <= 32 && i < len ? i : -1;
    }

    /** The first argument (atom or quoted string), bounded, or null. */
    private static String firstAtom(byte[] b, int off, int len) {
        int p = off;
        int end = off + len;
        while (p < end && b[p] == ' ') {
            p++;
        }
        if (p >= end) {
            return null;
        }
        int s;
        int e;
        if (b[p] == '"') {
            s = p + 1;
            e = s;
            while (e < end && b[e] != '"') {
                e++;
            }
        } else {
            s = p;
            e = s;
            while (e < end && b[e] != ' ') {
                e++;
            }
        }
        if (e <= s || !Ascii.allText(b, s, e - s)) {
            return null;
        }
        return Ascii.string(b, s, e - s, 64);
    }

    public ImapDissector() {
        super(DESCRIPTOR, Session::new);
    }

    @Override
    protected boolean opens(boolean fromClient, byte[] b, int off, int len) {
        return fromClient ? len == 0 || tagChar(b[off]) : Ascii.couldStartWith(b, off, len, "* ");
    }

    private static boolean tagChar(byte c) {
        return Ascii.isAlpha(c) || Ascii.isDigit(c) || c == '.' || c == '-' || c == '_';
    }

    /** Names given besides the descriptor's (for {@code fathom protocols}). */
    @Override
    public java.util.List<org.fathom.protocol.Service> alsoReports() {
        return java.util.List.of(new org.fathom.protocol.Service("IMAPS", "Email"));
    }
}
