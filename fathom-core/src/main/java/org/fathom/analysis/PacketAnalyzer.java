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
     * workers it comes from the dispatcher's decode of the whole frame, and fragments are
     * reassembled by the dispatcher (a datagram arrives here once complete); its payload is cut
     * short only where a source hands a frame's first {@link #HEADER_BYTES} bytes and no analyzer's
     * {@link #needsPayload} asks for the rest.
     */
    void onPacket(DecodedPacket d);

    /**
     * Sees a fragment that did not complete a datagram (held for reassembly, or dropped): only its
     * addresses, time and wire length are meaningful. The fragment that completes a datagram
     * arrives through {@link #onPacket} as the whole datagram ({@code frames > 1}) instead.
     */
    default void onFragment(DecodedPacket d) {
    }

    /**
     * Bytes of a frame a source may hand at first ({@code PacketSource.copyPrefixOnly}); the
     * engine's dispatcher reads whole frames today, so analyzers see the whole payload.
     */
    int HEADER_BYTES = 256;

    /** Whether this packet (decoded from its headers) must be decoded with its whole payload. */
    default boolean needsPayload(DecodedPacket headers) {
        return false;
    }

    /**
     * Tells this analyzer whom to tell of its events (alerts raised, calls started and ended) as
     * they happen; analyzers without such events ignore it. Called once, before the first packet.
     */
    default void listen(AnalysisEvents events) {
    }

    /** The capture has ended: release what is still open through the guard. */
    void finish(PrivacyGuard guard);

    /** Makes one analyzer per capture. */
    @FunctionalInterface
    interface Factory {
        PacketAnalyzer create(PrivacyGuard guard);
    }
}
