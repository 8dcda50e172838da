package org.fathom.record;

import java.util.List;
import java.util.Map;

/**
 * One finished flow, as it leaves the engine: the record contract of DESIGN.md ("Flow records").
 * Built at the cold edge, once per flow. Addresses are text (IPv6 in RFC 5952 form); {@code vlan}
 * is 0 when untagged and {@code tunnel} null when the addresses are not inner ones.
 *
 * @param metadata protocol metadata under dotted keys ({@code tls.sni}, {@code dns.query}, ...),
 *                 values are String, Long, Boolean or List of String; iteration order is output order
 */
public record FlowRecord(
        String l4,
        String srcIp, int srcPort,
        String dstIp, int dstPort,
        int vlan,
        String tunnel,
        String protocol,
        String application,
        String category,
        String confidence,
        long packetsC2s, long packetsS2c,
        long bytesC2s, long bytesS2c,
        long firstSeenNanos, long lastSeenNanos,
        int tcpFlagsC2s, int tcpFlagsS2c,
        String endReason,
        Map<String, Object> metadata,
        List<String> risks) {

    public FlowRecord {
        metadata = metadata == null ? Map.of() : metadata;
        risks = risks == null ? List.of() : List.copyOf(risks);
    }
}
