package org.fathom.record;

import java.util.Map;
import org.fathom.net.Addresses;

/**
 * One application transaction of a flow, as it leaves the engine (an HTTP request and its
 * response, a DNS query or answer, a TLS handshake, an FTP command and its reply, ...): what
 * Zeek logs and Suricata's EVE give per request. Built at the cold edge, only when some output
 * takes events; linked to its flow by {@code flowId}, the same value the flow record carries
 * under {@code flow_id}.
 *
 * @param event           the transaction kind: {@code http}, {@code dns}, {@code tls}, {@code ssh},
 *                        {@code ftp}, {@code smtp}, {@code sip}, ...
 * @param flowId          the flow's keyed id ({@code privacy.FlowIds}), as 16 hex digits
 * @param flowFirstSeenNanos first packet of the flow (selects the pseudonym epoch, so a flow and its
 *                        events carry the same pseudonyms)
 * @param timestampNanos  capture time of the packet that completed the transaction
 * @param fields          protocol fields under the dotted keys of the field inventory
 *                        ({@code http.method}, {@code dns.query}, ...), in output order
 */
public record EventRecord(
        String event,
        String flowId,
        long flowFirstSeenNanos,
        long timestampNanos,
        String l4,
        long srcHi, long srcLo, int srcPort,
        long dstHi, long dstLo, int dstPort,
        int vlan,
        Map<String, Object> fields) implements ExportRecord {

    public EventRecord {
        fields = fields == null ? Map.of() : fields;
    }

    public String srcIp() {
        return Addresses.format(srcHi, srcLo);
    }

    public String dstIp() {
        return Addresses.format(dstHi, dstLo);
    }

    /** The same event with other addresses and fields (used by the privacy guard). */
    public EventRecord with(long sHi, long sLo, long dHi, long dLo, Map<String, Object> f) {
        return new EventRecord(event, flowId, flowFirstSeenNanos, timestampNanos, l4, sHi, sLo, srcPort, dHi, dLo,
                dstPort, vlan, f);
    }
}
