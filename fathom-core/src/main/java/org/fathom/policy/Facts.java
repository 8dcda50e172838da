package org.fathom.policy;

import java.util.List;
import java.util.Map;

/**
 * What a rule is matched against: a flow (its client and server, and its classification once
 * known) or a call (its signalling endpoints, whether it is an emergency call, its outcome once it
 * ended). Mutable and reused by its owner (one per worker), so matching allocates nothing of its
 * own. Addresses are 128-bit (IPv4 held IPv4-mapped); {@code src} is the client (initiator).
 */
public final class Facts {
    public int l4;
    public long srcHi, srcLo, dstHi, dstLo;
    public int srcPort, dstPort;
    public int vlan;
    /** Capture (or wall) time of the event, epoch nanoseconds: what time-of-day rules look at. */
    public long nanos;
    /** Null before classification. */
    public String protocol, application, category, confidence;
    /**
     * The four above in lower case (what rules compare), made once by {@link #classified}; valid
     * while the field still holds the string they were made from ({@code *Of}).
     */
    String protocolKey, applicationKey, categoryKey, confidenceKey;
    String protocolOf, applicationOf, categoryOf, confidenceOf;
    public List<String> risks = List.of();
    public Map<String, Object> metadata = Map.of();
    /** Calls only. */
    public boolean call;
    public boolean emergency;
    /** A finished call's outcome (completed, dropped, busy, ...), null while it goes on. */
    public String outcome;

    /** Clears everything but the addresses, ports, protocol and time (set by the caller). */
    public Facts unclassified() {
        protocol = application = category = confidence = null;
        protocolKey = applicationKey = categoryKey = confidenceKey = null;
        risks = List.of();
        metadata = Map.of();
        call = emergency = false;
        outcome = null;
        return this;
    }

    public Facts endpoints(int l4, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort, int vlan) {
        this.l4 = l4;
        this.srcHi = srcHi;
        this.srcLo = srcLo;
        this.srcPort = srcPort;
        this.dstHi = dstHi;
        this.dstLo = dstLo;
        this.dstPort = dstPort;
        this.vlan = vlan;
        return this;
    }

    public Facts classified(String protocol, String application, String category, String confidence,
                            Map<String, Object> metadata, List<String> risks) {
        this.protocol = protocol;
        this.application = application;
        this.category = category;
        this.confidence = confidence;
        this.protocolKey = Match.lower(protocolOf = protocol);
        this.applicationKey = Match.lower(applicationOf = application);
        this.categoryKey = Match.lower(categoryOf = category);
        this.confidenceKey = Match.lower(confidenceOf = confidence);
        this.metadata = metadata == null ? Map.of() : metadata;
        this.risks = risks == null ? List.of() : risks;
        return this;
    }
}
