package org.fathom.protocol.dhcp;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fathom.protocol.FlowContext;

/**
 * The events path of DHCP and DHCPv6 ({@code --events}): one {@code dhcp} event per message, as
 * it is seen. A request's capture time is kept by transaction id so that a reply in the same flow
 * gets {@code dhcp.response_ms} (reply time minus the latest request with its id not yet
 * answered). At most {@link #MAX_PENDING} ids are remembered per flow (the oldest is forgotten).
 * Broadcast exchanges ({@code 0.0.0.0:68 → 255.255.255.255:67} answered by the server to the
 * offered address, or DHCPv6 to {@code ff02::1:2} answered to the link-local address) are two
 * flows, which are independent of each other (they may be on two workers): their replies carry no
 * response time. Renewals, releases, informs and relayed exchanges are one flow.
 */
final class DhcpEvents {
    static final int MAX_PENDING = 8;

    private final long[] xids = new long[MAX_PENDING];
    private final long[] times = new long[MAX_PENDING];
    private int count;
    private int next;

    /** A request with transaction id {@code xid} seen now. */
    void request(FlowContext ctx, long xid) {
        for (int i = 0; i < count; i++) {
            if (xids[i] == xid) {
                times[i] = ctx.timestampNanos();   // a retransmission: the latest counts
                return;
            }
        }
        int i = count < MAX_PENDING ? count++ : next++ % MAX_PENDING;
        xids[i] = xid;
        times[i] = ctx.timestampNanos();
    }

    /** The response time of a reply with {@code xid} (ms, microsecond precision), or null; forgets the request. */
    Double reply(FlowContext ctx, long xid) {
        for (int i = 0; i < count; i++) {
            if (xids[i] == xid) {
                double ms = Math.round((ctx.timestampNanos() - times[i]) / 1000.0) / 1000.0;
                count--;
                xids[i] = xids[count];
                times[i] = times[count];
                next = 0;
                return ms;
            }
        }
        return null;
    }

    /** A fresh field map in the order events are written. */
    static Map<String, Object> fields(String type, String xid) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put(Registration.DHCP_MESSAGE_TYPE.key(), type);
        m.put(Registration.DHCP_XID.key(), xid);
        return m;
    }

    /** {@code 0x} and {@code digits} hex digits of {@code v} (tshark's {@code dhcp.id}/{@code dhcpv6.xid} form). */
    static String hex(long v, int digits) {
        String s = Long.toHexString(v);
        return "0x" + "0".repeat(Math.max(0, digits - s.length())) + s;
    }
}
