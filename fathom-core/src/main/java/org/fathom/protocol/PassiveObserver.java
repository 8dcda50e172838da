package org.fathom.protocol;

import org.fathom.decode.DecodedPacket;

/**
 * Learns cross-flow facts (addresses from DNS answers) from every packet, whichever worker owns
 * its flow. The engine hands every packet an observer {@link #wants} to every worker, in order
 * with the worker's own packets, so what a worker knows when a flow starts does not depend on
 * how flows are spread over workers.
 * Implementations must filter cheaply (ports first) and never throw.
 */
public interface PassiveObserver {
    /** Cheap test on the headers: does this packet need to be observed (with its payload)? */
    boolean wants(DecodedPacket headers);

    void observe(DecodedPacket d, AddressBook book);

    /** Where observers put what they learn. */
    interface AddressBook {
        /** {@code hi}/{@code lo}: the address (IPv4 mapped) that DNS resolved from {@code name}. */
        void learn(long hi, long lo, String name);
    }
}
