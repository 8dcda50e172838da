package org.fathom.analysis;

import org.fathom.decode.DecodedPacket;
import org.fathom.privacy.PrivacyGuard;

/**
 * An analysis across flows (VoIP calls, attack detection) that sees every decoded packet of a
 * capture, in capture order, whichever worker owns the packet's flow: one instance per capture,
 * run by worker 0 (every worker decodes every packet anyway), so its view never depends on the
 * number of workers. Implementations keep bounded state and never throw for hostile input.
 *
 * <p>Records it produces go out through {@link PrivacyGuard#emitCall} / {@link PrivacyGuard#emitAlert}.
 */
public interface PacketAnalyzer {
    /** Sees one decoded packet; the packet's buffers are valid during the call only. */
    void onPacket(DecodedPacket d);

    /** The capture has ended: release what is still open through the guard. */
    void finish(PrivacyGuard guard);

    /** Makes one analyzer per capture. */
    @FunctionalInterface
    interface Factory {
        PacketAnalyzer create(PrivacyGuard guard);
    }
}
