package org.fathom.protocol.queue;

import static org.fathom.wire.Bytes.ascii;
import static org.fathom.wire.Bytes.indexOf;
import static org.fathom.wire.Bytes.prefixOf;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * NATS client protocol over TCP: the server speaks first with {@code INFO {json}} whose object has
 * a {@code "server_id"}, and the client answers {@code CONNECT {json}} with connect options such as
 * {@code "verbose"}, {@code "lang"} or {@code "protocol"}. Either line, whole up to CR LF, decides.
 * Contributes {@code nats.server_version} from INFO.
 */
public final class NatsDissector extends PrefixDissector {
    static final int CAP = 4096;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("Nats", "RPC", 4222).withProbeDepth(4);

    public NatsDissector() {
        super(DESCRIPTOR, CAP);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        boolean info = prefixOf(b, off, len, "INFO {");
        boolean connect = prefixOf(b, off, len, "CONNECT {");
        if (!info && !connect) {
            return matched ? DONE : NO;
        }
        int crlf = indexOf(b, off, len, "\r\n", len);
        if (crlf < 0) {
            return NEED_MORE;
        }
        int eol = crlf - 1; // the JSON object ends the line; servers may put a space before CR LF
        while (eol > 0 && b[off + eol] == ' ') {
            eol--;
        }
        if (b[off + eol] != '}') {
            return NO;
        }
        if (info && len >= 6) {
            if (indexOf(b, off, eol, "\"server_id\"", eol) < 0) {
                return NO;
            }
            String v = jsonString(b, off, eol, "\"version\"");
            if (v != null) {
                ctx.put(Registration.NATS_SERVER_VERSION.key(), v);
            }
            return matched ? DONE : MATCH;
        }
        if (indexOf(b, off, eol, "\"verbose\"", eol) < 0 && indexOf(b, off, eol, "\"lang\"", eol) < 0
                && indexOf(b, off, eol, "\"protocol\"", eol) < 0) {
            return NO;
        }
        return matched ? DONE : MATCH;
    }

    /** The string value of JSON key {@code key} (quoted) in the first {@code len} bytes, or null. */
    static String jsonString(byte[] b, int off, int len, String key) {
        int k = indexOf(b, off, len, key, len);
        if (k < 0) {
            return null;
        }
        int i = k + key.length();
        while (i < len && (b[off + i] == ' ' || b[off + i] == ':')) {
            i++;
        }
        if (i >= len || b[off + i] != '"') {
            return null;
        }
        int e = indexOf(b, off, len, i + 1, Math.min(len, i + 1 + 64), '"');
        return e < 0 ? null : ascii(b, off, i + 1, e, 64);
    }
}
