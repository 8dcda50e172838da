package org.fathom.protocol.syslog;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Syslog (RFC 3164, RFC 5424; over TCP RFC 6587 with optional octet counting) on port 514: a
 * message starts with {@code <PRI>}, PRI a number from 0 to 191 written without leading zeros,
 * followed by a printable character. Off port 514 only the RFC 5424 form ({@code <PRI>1 } and a
 * timestamp or {@code -}) is taken. Metadata: {@code syslog.facility}, {@code syslog.severity}.
 */
public final class SyslogDissector implements Dissector {
    private static final Descriptor DESCRIPTOR =
            Descriptor.both("Syslog", "System", new int[] {514, 601, 6514}, new int[] {514}).withProbeDepth(2); // TCP 514 is also rsh, told apart by content

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        boolean onPort = ctx.serverPort() == 514 || ctx.clientPort() == 514;
        int p = off;
        int end = off + len;
        if (ctx.l4() == 6) {
            // octet counting: MSG-LEN SP SYSLOG-MSG
            int q = p;
            while (q < end && q - p < 6 && b[q] >= '0' && b[q] <= '9') {
                q++;
            }
            if (q > p && q < end && b[q] == ' ' && b[p] != '0') {
                p = q + 1;
            }
        }
        if (end - p < 4 || b[p] != '<') {
            return NO;
        }
        int pri = 0;
        int q = p + 1;
        while (q < end && q - p <= 3 && b[q] >= '0' && b[q] <= '9') {
            pri = pri * 10 + (b[q] - '0');
            q++;
        }
        int digits = q - p - 1;
        if (digits == 0 || digits > 3 || q >= end || b[q] != '>' || pri > 191 || (digits > 1 && b[p + 1] == '0')) {
            return NO;
        }
        q++;
        if (q >= end) {
            return NO;
        }
        int c = b[q] & 0xFF;
        if (c < 0x20 || c >= 0x7F) {
            return NO;
        }
        if (!onPort) {
            // RFC 5424: VERSION SP TIMESTAMP, the timestamp a full date or the nil value
            if (q + 3 > end || b[q] != '1' || b[q + 1] != ' ' || !(b[q + 2] == '-' || (b[q + 2] >= '1' && b[q + 2] <= '9'))) {
                return NO;
            }
        }
        ctx.put(Registration.SYSLOG_FACILITY.key(), (long) (pri >> 3));
        ctx.put(Registration.SYSLOG_SEVERITY.key(), (long) (pri & 7));
        return DONE;
    }

    private static final long[] FIRST_CLIENT = org.fathom.protocol.Dissector.bytes('<');

    /** See {@link org.fathom.protocol.Dissector#firstBytes}: the client's opening only. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return fromClient ? FIRST_CLIENT : null;
    }
}
