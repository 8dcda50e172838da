package org.fathom.protocol.mysql;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.text.Ascii;
import org.fathom.wire.PrefixDissector;

/**
 * MySQL / MariaDB client/server protocol: the server speaks first with its Initial Handshake packet
 * (3-byte little-endian payload length, sequence id 0, protocol version 10, NUL-terminated server
 * version, connection id, 8 bytes of auth data, a zero filler, capability flags), or with an ERR
 * packet (0xFF, error code, message) when it refuses the host. Contributes
 * {@code mysql.server_version}.
 */
public final class MySqlDissector extends PrefixDissector {
    static final int CAP = 512;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("MySQL", "Database", 3306).withProbeDepth(3);

    public MySqlDissector() {
        super(DESCRIPTOR, CAP);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (fromClient) {
            return NO; // the server speaks first
        }
        if (len >= 5 && (b[off + 3] != 0 || (b[off + 4] != 10 && (b[off + 4] & 0xFF) != 0xFF))) {
            return NO;
        }
        if (len < 4) {
            return NEED_MORE;
        }
        int plen = (b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8) | ((b[off + 2] & 0xFF) << 16);
        if (plen < 8 || plen > CAP - 4 || b[off + 3] != 0) {
            return NO;
        }
        if (len < 4 + plen) {
            return NEED_MORE;
        }
        return greeting(ctx, b, off + 4, plen) ? DONE : NO;
    }

    static boolean greeting(FlowContext ctx, byte[] m, int p, int n) {
        int end = p + n;
        if ((m[p] & 0xFF) == 0xFF) {
            // ERR packet: code (LE), then a message
            int code = (m[p + 1] & 0xFF) | ((m[p + 2] & 0xFF) << 8);
            return code >= 1000 && code < 5000 && n >= 3 + 8 && Ascii.allText(m, p + 3, n - 3);
        }
        if (m[p] != 10) {
            return false;
        }
        int v = p + 1;
        int nul = v;
        while (nul < end && m[nul] != 0) {
            nul++;
        }
        if (nul == end || nul == v || nul - v > 64 || !Ascii.isDigit(m[v]) || !Ascii.allText(m, v, nul - v)) {
            return false;
        }
        int q = nul + 1 + 4 + 8; // connection id, auth-plugin-data part 1
        if (q + 3 > end || m[q] != 0) {
            return false; // filler
        }
        ctx.put(Registration.MYSQL_SERVER_VERSION.key(), Ascii.string(m, v, nul - v, 64));
        return true;
    }
}
