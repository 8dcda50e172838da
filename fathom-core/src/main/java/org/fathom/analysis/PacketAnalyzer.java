package org.fathom.analysis;

import org.fathom.decode.DecodedPacket;
import org.fathom.privacy.PrivacyGuard;

/**
 * An analysis across flows (VoIP calls, attack detection) that sees every decoded packet of a
 * capture, in capture order, whichever worker owns the packet's flow: one instance per engine
 * run, run by the engine's dispatcher (or by the one worker when there is no dispatcher), so its
 * view never depends on the number of workers. Implementations keep bounded state and never
 * throw for hostile input.
 *
 * <p>Records it produces go out through {@link PrivacyGuard#emitCall} / {@link PrivacyGuard#emitAlert}.
 */
public interface PacketAnalyzer {
    /**
     * Sees one decoded packet; the packet's buffers are valid during the call only. With several
     * workers, a packet arrives decoded from its first {@link #HEADER_BYTES} bytes (payload cut
     * short) unless {@link #needsPayload} asked for it whole.
     */
    void onPacket(DecodedPacket d);

    /**
     * Sees a fragment that did not complete a datagram (held for reassembly, or dropped): only its
     * addresses, time and wire length are meaningful. The fragment that completes a datagram
     * arrives through {@link #onPacket} as the whole datagram ({@code frames > 1}) instead.
     */
    default void onFragment(DecodedPacket d) {
    }

    /** Bytes of each frame the dispatcher reads to decode its headers; the rest only when needed. */
    int HEADER_BYTES = 256;

    /** Whether this packet (decoded from its headers) must be decoded with its whole payload. */
    default boolean needsPayload(DecodedPacket headers) {
        return false;
    }

    /** The capture has ended: release what is still open through the guard. */
    void finish(PrivacyGuard guard);

    /** Makes one analyzer per capture. */
    @FunctionalInterface
    interface Factory {
        PacketAnalyzer create(PrivacyGuard guard);
    }
}
