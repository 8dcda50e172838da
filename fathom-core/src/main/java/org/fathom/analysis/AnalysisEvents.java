package org.fathom.analysis;

import org.fathom.record.CallRecord;

/**
 * What the cross-flow analyzers tell a listener while they run, before any record is written: the
 * attack detector when it raises an alert (at detection, not when the attack ends), the call
 * analyzer when a call starts, announces media and ends. This is how something that acts on
 * traffic (the policy engine) learns of attacks and calls in time. Called on the analyzers' thread
 * (the dispatcher, or the single worker), in packet order; calls must be cheap and never throw.
 * Addresses are 128-bit (IPv4 held IPv4-mapped) and are the real ones: a listener that writes
 * anything out does so through the privacy guard.
 */
public interface AnalysisEvents {
    /** Listens to nothing. */
    AnalysisEvents NONE = new AnalysisEvents() {
    };

    /**
     * An alert was raised at capture time {@code nanos}.
     *
     * @param hasSource whether the alert has one source (scans, spam runs, brute force); floods
     *                  have many, often spoofed, and name none here
     */
    default void alertRaised(String kind, long targetHi, long targetLo, int targetPort, boolean hasSource,
                             long sourceHi, long sourceLo, long nanos) {
    }

    /**
     * A call attempt started (its first INVITE, at capture time {@code nanos}).
     *
     * @return a handle the analyzer passes back with the call's later events (null: not interested)
     */
    default Object callStarted(boolean emergency, int l4, long clientHi, long clientLo, int clientPort,
                               long serverHi, long serverLo, int serverPort, long nanos) {
        return null;
    }

    /**
     * A SIP message of a started call went between other endpoints than its first INVITE (another
     * leg of the same Call-ID through a proxy or gateway). Called for each such message.
     */
    default void signalling(Object call, int l4, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort,
                            long nanos) {
    }

    /** A call's SDP announced a media endpoint (RTP goes to that address and port). */
    default void mediaAnnounced(Object call, long hi, long lo, int port, long nanos) {
    }

    /**
     * A call ended; its record is on its way to the guard.
     *
     * @return the record to release (the listener may add to it, e.g. the policy's verdict)
     */
    default CallRecord callEnded(Object call, CallRecord record) {
        return record;
    }
}
