package org.fathom.protocol.chat;

import static org.fathom.wire.Bytes.indexOf;
import static org.fathom.wire.Bytes.isPrintable;
import static org.fathom.wire.Bytes.prefixOf;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * XMPP (RFC 6120) over TCP, named Jabber as nDPI does: a stream opens with an optional XML
 * declaration and the {@code <stream:stream ...>} start tag, which declares the
 * {@code http://etherx.jabber.org/streams} namespace and a {@code jabber:client} or
 * {@code jabber:server} default namespace. The whole start tag is read (up to 2 KiB); its
 * {@code to} attribute (client side) names the service: it becomes the flow's host and
 * {@code jabber.to}.
 */
public final class XmppDissector extends PrefixDissector {
    static final int CAP = 2048;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("Jabber", "Web", 5222, 5269).withProbeDepth(4);

    public XmppDissector() {
        super(DESCRIPTOR, CAP);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        int i = 0;
        while (i < len && (b[off + i] == ' ' || b[off + i] == '\n' || b[off + i] == '\r' || b[off + i] == '\t')) {
            i++;
        }
        if (i >= len) {
            return i >= 16 ? NO : NEED_MORE;
        }
        if (prefixOf(b, off + i, len - i, "<?xml")) {
            if (len - i < 5) {
                return NEED_MORE;
            }
            int end = indexOf(b, off + i, len - i, "?>", 256);
            if (end < 0) {
                return len - i >= 256 ? NO : NEED_MORE;
            }
            i += end + 2;
            while (i < len && (b[off + i] == ' ' || b[off + i] == '\n' || b[off + i] == '\r' || b[off + i] == '\t')) {
                i++;
            }
            if (i >= len) {
                return NEED_MORE;
            }
        }
        if (!prefixOf(b, off + i, len - i, "<stream:stream")) {
            return NO;
        }
        if (len - i < 15) {
            return NEED_MORE;
        }
        int c = b[off + i + 14];
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
            return NO;
        }
        int start = i;
        int close = -1;
        for (int k = i; k < len; k++) {
            int ch = b[off + k] & 0xFF;
            if (ch == '>') {
                close = k;
                break;
            }
            if (ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t') {
                return NO;
            }
        }
        if (close < 0) {
            return NEED_MORE;
        }
        int tagLen = close - start;
        if (indexOf(b, off + start, tagLen, "http://etherx.jabber.org/streams", tagLen) < 0
                || (indexOf(b, off + start, tagLen, "jabber:client", tagLen) < 0
                && indexOf(b, off + start, tagLen, "jabber:server", tagLen) < 0)) {
            return NO;
        }
        if (fromClient) {
            String to = attribute(b, off + start, tagLen, " to=");
            if (to != null && !to.isEmpty()) {
                ctx.put(Registration.JABBER_TO.key(), to);
                ctx.setHost(to, false);
            }
        }
        return matched ? DONE : MATCH;
    }

    /** Value of an attribute (e.g. " to=") in single or double quotes, or null. */
    static String attribute(byte[] b, int off, int len, String name) {
        int k = indexOf(b, off, len, name, len);
        if (k < 0) {
            k = indexOf(b, off, len, "\n" + name.substring(1), len);
            if (k < 0) {
                return null;
            }
        }
        int q = k + name.length();
        if (q >= len || (b[off + q] != '\'' && b[off + q] != '"')) {
            return null;
        }
        int quote = b[off + q];
        StringBuilder sb = new StringBuilder();
        for (int i = q + 1; i < len && sb.length() < 255; i++) {
            int ch = b[off + i] & 0xFF;
            if (ch == quote) {
                return sb.toString();
            }
            if (!isPrintable(ch)) {
                return null;
            }
            sb.append((char) ch);
        }
        return null;
    }

    private static final long[] FIRST = org.fathom.protocol.Dissector.bytes('<');

    /** See {@link org.fathom.protocol.Dissector#firstBytes}. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }
}
