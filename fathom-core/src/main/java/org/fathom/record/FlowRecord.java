package org.fathom.record;

import java.util.List;
import java.util.Map;
import org.fathom.net.Addresses;

/**
 * One finished flow, as it leaves the engine: the record contract of DESIGN.md ("Flow records").
 * Built at the cold edge, once per flow. Addresses are 128-bit values (IPv4 held IPv4-mapped),
 * rendered as text by {@link #srcIp()} and {@link #dstIp()}; {@code vlan} is 0 when untagged and
 * {@code tunnel} null when the addresses are not inner ones.
 *
 * @param metadata protocol metadata under dotted keys ({@code tls.sni}, {@code dns.query}, ...),
 *                 values are String, Long, Boolean or List of String; iteration order is output order
 */
public record FlowRecord(
        String l4,
        long srcHi, long srcLo, int srcPort,
        long dstHi, long dstLo, int dstPort,
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
        List<String> risks) implements ExportRecord {

    public FlowRecord {
        metadata = metadata == null ? Map.of() : metadata;
        risks = risks == null ? List.of() : List.copyOf(risks);
    }

    /** Client address as text: dotted quad, or RFC 5952 IPv6. */
    public String srcIp() {
        return Addresses.format(srcHi, srcLo);
    }

    /** Server address as text. */
    public String dstIp() {
        return Addresses.format(dstHi, dstLo);
    }

    /** The same record with other addresses and metadata (used by the privacy guard). */
    public FlowRecord with(long sHi, long sLo, long dHi, long dLo, Map<String, Object> meta) {
        return new FlowRecord(l4, sHi, sLo, srcPort, dHi, dLo, dstPort, vlan, tunnel, protocol, application, category,
                confidence, packetsC2s, packetsS2c, bytesC2s, bytesS2c, firstSeenNanos, lastSeenNanos, tcpFlagsC2s,
                tcpFlagsS2c, endReason, meta, risks);
    }
}
