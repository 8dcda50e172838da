package org.fathom.protocol.chat;

import static org.fathom.wire.Bytes.indexOf;
import static org.fathom.wire.Bytes.isPrintable;
import static org.fathom.wire.Bytes.prefixOf;
import static org.fathom.wire.Bytes.regionEquals;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.Risk;
import org.fathom.wire.PrefixDissector;

/**
 * IRC (RFC 1459, RFC 2812, IRCv3) over TCP. The client's registration lines decide: {@code NICK
 * <nick>}, {@code USER <user> <mode> <unused> :<realname>} (four parameters, unlike the one of
 * FTP's and POP3's USER), or {@code CAP LS}/{@code CAP REQ}; a leading {@code PASS} line is
 * skipped (and raises {@link Risk#CLEARTEXT_CREDENTIALS}). A server speaking first is recognised by
 * a prefixed line ({@code :server NOTICE ...}, {@code :server 001 ...}) or {@code NOTICE AUTH}.
 * Lines must be printable and at most 512 bytes as the RFC says.
 */
public final class IrcDissector extends PrefixDissector {
    static final int CAP = 1100;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("IRC", "Chat", 6667).withProbeDepth(4);

    public IrcDissector() {
        super(DESCRIPTOR, CAP);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (matched) {
            return DONE;
        }
        int c0 = b[off];
        if (c0 != 'N' && c0 != 'U' && c0 != 'C' && c0 != 'P' && c0 != ':') {
            return NO; // cheap refusal before any line scanning
        }
        int i = 0;
        boolean pass = false;
        for (int line = 0; line < 2; line++) {
            int nl = indexOf(b, off, len, i, Math.min(len, i + 512), '\n');
            if (nl < 0) {
                if (len - i >= 512) {
                    return NO;
                }
                for (int k = i; k < len; k++) {
                    int c = b[off + k] & 0xFF;
                    if (c != '\r' && !isPrintable(c) && c < 0x80) {
                        return NO;
                    }
                }
                return i == 0 && !plausibleStart(b, off + i, len - i) ? NO : NEED_MORE;
            }
            int end = nl > i && b[off + nl - 1] == '\r' ? nl - 1 : nl;
            for (int k = i; k < end; k++) {
                int c = b[off + k] & 0xFF;
                if (!isPrintable(c) && c < 0x80) {
                    return NO;
                }
            }
            if (fromClient && line == 0 && regionEquals(b, off, end, i, "PASS ")) {
                pass = true;
                i = nl + 1;
                continue;
            }
            if (!clientLine(b, off, i, end) && !serverLine(b, off, i, end)) {
                return NO;
            }
            if (pass) {
                ctx.addRisk(Risk.CLEARTEXT_CREDENTIALS);
            }
            return DONE;
        }
        return NO;
    }

    private static boolean plausibleStart(byte[] b, int off, int len) {
        return prefixOf(b, off, len, "NICK ") || prefixOf(b, off, len, "USER ") || prefixOf(b, off, len, "CAP ")
                || prefixOf(b, off, len, "PASS ") || prefixOf(b, off, len, ":") || prefixOf(b, off, len, "NOTICE ");
    }

    static boolean clientLine(byte[] b, int off, int s, int e) {
        if (regionEquals(b, off, e, s, "NICK ")) {
            int p = s + 5;
            if (p < e && b[off + p] == ':') {
                p++;
            }
            return e - p >= 1 && e - p <= 64 && indexOf(b, off, e, p, e, ' ') < 0;
        }
        if (regionEquals(b, off, e, s, "USER ")) {
            int colon = indexOf(b, off, e, s + 5, e, ':');
            if (colon < 0) {
                return false;
            }
            int params = 0;
            int p = s + 5;
            while (p < colon) {
                while (p < colon && b[off + p] == ' ') {
                    p++;
                }
                if (p >= colon) {
                    break;
                }
                params++;
                while (p < colon && b[off + p] != ' ') {
                    p++;
                }
            }
            return params == 3;
        }
        return regionEquals(b, off, e, s, "CAP LS") || regionEquals(b, off, e, s, "CAP REQ ");
    }

    static boolean serverLine(byte[] b, int off, int s, int e) {
        if (regionEquals(b, off, e, s, "NOTICE AUTH :") || regionEquals(b, off, e, s, "NOTICE * :")) {
            return true;
        }
        if (s >= e || b[off + s] != ':') {
            return false;
        }
        int sp = indexOf(b, off, e, s + 1, e, ' ');
        if (sp <= s + 1) {
            return false;
        }
        int p = sp + 1;
        if (p + 4 <= e && Character.isDigit(b[off + p]) && Character.isDigit(b[off + p + 1]) && Character.isDigit(b[off + p + 2])
                && b[off + p + 3] == ' ') {
            return true;
        }
        return regionEquals(b, off, e, p, "NOTICE ") || regionEquals(b, off, e, p, "PRIVMSG ") || regionEquals(b, off, e, p, "CAP ");
    }
}
