package org.fathom.inline;

import org.fathom.decode.DecodedPacket;

/**
 * Decides what happens to one queued packet, from its decoded headers: the policy's verdict table
 * (filled by the engine when flows are classified and alerts raised) behind a small interface, so
 * the queue does not depend on how the policy is written.
 *
 * <p>Called on the queue's reading thread, once per packet, before the packet is handed to the
 * engine: it must not allocate or take a lock.
 */
@FunctionalInterface
public interface PacketVerdicts {
    /** Every packet passes unchanged: no policy. */
    PacketVerdicts NONE = d -> null;

    /**
     * @param d the packet's decoded headers (addresses, ports, protocol, VLAN)
     * @return the verdict of the rule that applies, or null when none does (accept unchanged)
     */
    InlineVerdict decide(DecodedPacket d);
}
