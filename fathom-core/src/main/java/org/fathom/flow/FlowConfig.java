package org.fathom.flow;

/**
 * Limits and timeouts of the flow table. Timeouts are in capture time (the packets' own clock),
 * so a capture file is cut into flows the same way however fast it is read.
 *
 * @param maxFlows           flows held at once; when full, the stalest flow is evicted and counted
 * @param tcpTimeoutNanos    idle timeout of an established TCP flow
 * @param tcpSynTimeoutNanos idle timeout of a TCP flow whose handshake never completed
 * @param tcpClosedNanos     how long a TCP flow is kept after FIN from both sides or RST, to
 *                           account its last segments
 * @param udpTimeoutNanos    idle timeout of a UDP flow
 * @param otherTimeoutNanos  idle timeout of ICMP and other flows
 * @param activeTimeoutNanos a flow that lives longer than this emits an interim record
 *                           ({@code end_reason} {@code active}) every such interval, as NetFlow and
 *                           IPFIX probes do, so that long downloads and calls are seen while they
 *                           last; 0 is off (the default: a capture file gets one record per flow)
 */
public record FlowConfig(int maxFlows, long tcpTimeoutNanos, long tcpSynTimeoutNanos, long tcpClosedNanos,
                         long udpTimeoutNanos, long otherTimeoutNanos, long activeTimeoutNanos) {
    public static final int DEFAULT_MAX_FLOWS = 2_000_000;
    private static final long S = 1_000_000_000L;

    public static final FlowConfig DEFAULTS = new FlowConfig(DEFAULT_MAX_FLOWS, 600 * S, 30 * S, 10 * S, 180 * S, 60 * S);

    public FlowConfig(int maxFlows, long tcpTimeoutNanos, long tcpSynTimeoutNanos, long tcpClosedNanos,
                      long udpTimeoutNanos, long otherTimeoutNanos) {
        this(maxFlows, tcpTimeoutNanos, tcpSynTimeoutNanos, tcpClosedNanos, udpTimeoutNanos, otherTimeoutNanos, 0);
    }

    public FlowConfig {
        if (activeTimeoutNanos < 0) {
            throw new IllegalArgumentException("the active timeout cannot be negative");
        }
        if (maxFlows < 1) {
            throw new IllegalArgumentException("maximum flows must be at least 1, not " + maxFlows);
        }
        if (tcpTimeoutNanos <= 0 || tcpSynTimeoutNanos <= 0 || tcpClosedNanos <= 0 || udpTimeoutNanos <= 0 || otherTimeoutNanos <= 0) {
            throw new IllegalArgumentException("flow timeouts must be positive");
        }
    }

    public FlowConfig withMaxFlows(int n) {
        return new FlowConfig(n, tcpTimeoutNanos, tcpSynTimeoutNanos, tcpClosedNanos, udpTimeoutNanos, otherTimeoutNanos,
                activeTimeoutNanos);
    }

    /** Interim records every {@code nanos} of a flow's life; 0 switches them off. */
    public FlowConfig withActiveTimeout(long nanos) {
        return new FlowConfig(maxFlows, tcpTimeoutNanos, tcpSynTimeoutNanos, tcpClosedNanos, udpTimeoutNanos, otherTimeoutNanos,
                nanos);
    }

    public FlowConfig withTimeouts(long tcp, long udp, long other) {
        return new FlowConfig(maxFlows, tcp, tcpSynTimeoutNanos, tcpClosedNanos, udp, other, activeTimeoutNanos);
    }
}
