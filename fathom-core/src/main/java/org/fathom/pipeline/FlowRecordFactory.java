package org.fathom.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import org.fathom.decode.IpProtocol;
import org.fathom.decode.Tunnel;
import org.fathom.flow.FlowEnd;
import org.fathom.flow.FlowTable;
import org.fathom.record.FlowRecord;

/** Turns a finished flow of a {@link FlowTable} into its {@link FlowRecord} (cold path). */
final class FlowRecordFactory {
    private FlowRecordFactory() {}

    static FlowRecord build(FlowTable t, int f, FlowEnd reason, String protocol, String application,
                            String category, String confidence, LinkedHashMap<String, Object> metadata,
                            List<String> risks) {
        long first = t.firstSeen(f);
        return new FlowRecord(
                IpProtocol.name(t.l4(f)),
                t.addrHi(f, true), t.addrLo(f, true), t.port(f, true),
                t.addrHi(f, false), t.addrLo(f, false), t.port(f, false),
                t.vlan(f),
                Tunnel.name(t.tunnel(f)),
                protocol, application, category, confidence,
                t.packetsInRecord(f, true), t.packetsInRecord(f, false),
                t.bytesInRecord(f, true), t.bytesInRecord(f, false),
                first, t.lastSeen(f),
                t.tcpFlags(f, true), t.tcpFlags(f, false),
                reason.label(),
                metadata, risks);
    }
}
