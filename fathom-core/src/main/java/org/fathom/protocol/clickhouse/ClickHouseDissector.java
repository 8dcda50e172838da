package org.fathom.protocol.clickhouse;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.Risk;
import org.fathom.wire.PrefixDissector;

/**
 * ClickHouse's native TCP protocol (default port 9000; ClickHouse documentation, "Native protocol":
 * "Native client packets" and "Native server packets"). Each
 * packet starts with its type as an unsigned LEB128 varint; a String is a varint length then the
 * bytes. The client opens with Hello (type 0): client name, version major, version minor, TCP
 * protocol version (the revision, 54xxx for every release since 2016), default database, user name,
 * password. The server answers with its Hello (type 0): its name (the server sends {@code
 * "ClickHouse"}; the documentation's example writes "Clickhouse", so case is ignored), version
 * major, minor and revision (src/Core/ProtocolDefines.h numbers the revisions from 54xxx). Either side's Hello, fully read and agreeing in every field
 * (printable names, small versions, a revision in range), names the flow. A non-empty password is
 * sent in clear: the flow gets the {@code clear_text_credentials} risk. Nothing of the Hello is
 * recorded. The HTTP interface (port 8123) is named by the HTTP dissector.
 */
public final class ClickHouseDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("ClickHouse", "Database").withProbeDepth(3);
    private static final int HELLO = 0;
    private static final int MAX_NAME = 128;
    private static final int MAX_FIELD = 256;
    private static final int MAX_VERSION = 1000;
    /** Revisions: 54xxx since the first open-source releases (DBMS_TCP_PROTOCOL_VERSION). */
    private static final long MIN_REVISION = 54000;
    private static final long MAX_REVISION = 99_999;
    private static final int CAP = 1 + 2 * 3 + MAX_NAME + 3 * 3 + 3 * (2 + MAX_FIELD);
    private static final byte[] SERVER_NAME = {'C', 'l', 'i', 'c', 'k', 'H', 'o', 'u', 's', 'e'};
    private static final long[] FIRST = Dissector.bytes(HELLO);

    /** Varint answers: the bytes end first, or the encoding is not a varint in range. */
    private static final long MORE = -2;
    private static final long BAD = -1;

    public ClickHouseDissector() {
        super(DESCRIPTOR, CAP);
    }

    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (ctx.l4() != 6) {
            return NO;
        }
        if (len <= 0) {
            return NEED_MORE;
        }
        if (b[off] != HELLO) {
            return NO;
        }
        int end = off + len;
        int p = off + 1;
        // name: the client's implementation, or the server's "ClickHouse"
        long v = varint(b, p, end);
        if (v < 0) {
            return v == MORE ? NEED_MORE : NO;
        }
        int n = (int) (v >>> 32);
        p = (int) v;
        if (n < 1 || n > MAX_NAME) {
            return NO;
        }
        if (!fromClient && n != SERVER_NAME.length) {
            return NO;
        }
        for (int i = 0; i < n; i++) {
            if (p + i == end) {
                return NEED_MORE;
            }
            int c = b[p + i] & 0xFF;
            if (fromClient ? c < 0x20 || c > 0x7E : (c | 0x20) != (SERVER_NAME[i] | 0x20)) {
                return NO;
            }
        }
        p += n;
        for (int k = 0; k < 3; k++) {
            v = varint(b, p, end);
            if (v < 0) {
                return v == MORE ? NEED_MORE : NO;
            }
            long value = v >>> 32;
            p = (int) v;
            if (k < 2 ? value > MAX_VERSION : value < MIN_REVISION || value > MAX_REVISION) {
                return NO;
            }
        }
        if (!fromClient) {
            return DONE; // the server's name and versions; what follows depends on the revision
        }
        // default database, user, password
        int passwordLength = 0;
        for (int k = 0; k < 3; k++) {
            v = varint(b, p, end);
            if (v < 0) {
                return v == MORE ? NEED_MORE : NO;
            }
            n = (int) (v >>> 32);
            p = (int) v;
            if (n > MAX_FIELD) {
                return NO;
            }
            if (end - p < n) {
                return NEED_MORE;
            }
            if (k < 2) {
                for (int i = 0; i < n; i++) {
                    int c = b[p + i] & 0xFF;
                    if (c < 0x20 || c == 0x7F) {
                        return NO;
                    }
                }
            } else {
                passwordLength = n;
            }
            p += n;
        }
        if (passwordLength > 0) {
            ctx.addRisk(Risk.CLEARTEXT_CREDENTIALS);
        }
        return DONE;
    }

    /** An unsigned LEB128 varint of at most 4 bytes at {@code p}: its value in the high 32 bits, the position after it in the low. */
    private static long varint(byte[] b, int p, int end) {
        long value = 0;
        for (int shift = 0; shift < 28; shift += 7) {
            if (p == end) {
                return MORE;
            }
            int c = b[p++] & 0xFF;
            value |= (long) (c & 0x7F) << shift;
            if (c < 0x80) {
                return value << 32 | p;
            }
        }
        return BAD;
    }
}
