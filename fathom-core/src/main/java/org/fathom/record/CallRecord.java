package org.fathom.record;

import java.util.List;

/**
 * One call attempt (a SIP INVITE dialog and its media), as it leaves the engine. Times are epoch
 * nanoseconds, 0 when the event did not happen (e.g. {@code answerNanos} of an unanswered call).
 * {@code caller} and {@code callee} are SIP URIs or numbers (personal data: the privacy guard
 * pseudonymises them).
 *
 * @param outcome   completed, dropped, busy, no_answer, cancelled, redirected, rejected, failed, in_progress
 * @param endReason why it ended (e.g. "bye", "bye_with_error_reason", "media_timeout", "no_ack", "cancel", "final_response", "dialog_timeout", "end_of_input")
 * @param pddMs     post-dial delay: INVITE to first 180/183, or -1 without ringing (written as {@code null})
 * @param policyRule   with a policy: the rule that applies to the call ({@code default} when none); null without a policy
 * @param policyAction with a policy: that rule's action; null without a policy
 */
public record CallRecord(
        String callId,
        String caller,
        String callee,
        long clientHi, long clientLo, int clientPort,
        long serverHi, long serverLo, int serverPort,
        String transport,
        long startNanos,
        long answerNanos,
        long endNanos,
        long pddMs,
        double durationS,
        int finalStatus,
        String outcome,
        String endReason,
        boolean emergency,
        List<MediaStream> media,
        String policyRule,
        String policyAction) implements ExportRecord {

    public CallRecord {
        media = media == null ? List.of() : List.copyOf(media);
    }

    /** A call record without a policy verdict. */
    public CallRecord(String callId, String caller, String callee, long clientHi, long clientLo, int clientPort,
                      long serverHi, long serverLo, int serverPort, String transport, long startNanos, long answerNanos,
                      long endNanos, long pddMs, double durationS, int finalStatus, String outcome, String endReason,
                      boolean emergency, List<MediaStream> media) {
        this(callId, caller, callee, clientHi, clientLo, clientPort, serverHi, serverLo, serverPort, transport, startNanos,
                answerNanos, endNanos, pddMs, durationS, finalStatus, outcome, endReason, emergency, media, null, null);
    }

    /** The same call with the policy's verdict on it (dry run). */
    public CallRecord withPolicy(String rule, String action) {
        return new CallRecord(callId, caller, callee, clientHi, clientLo, clientPort, serverHi, serverLo, serverPort,
                transport, startNanos, answerNanos, endNanos, pddMs, durationS, finalStatus, outcome, endReason, emergency,
                media, rule, action);
    }

    /** Quality of one RTP direction of a call. */
    public record MediaStream(String direction, String codec, long packets, double lossPct, double jitterMs,
                              long maxGapMs, double mos) {
    }

    public CallRecord withParties(String newCaller, String newCallee, String newCallId, long cHi, long cLo, long sHi, long sLo) {
        return new CallRecord(newCallId, newCaller, newCallee, cHi, cLo, clientPort, sHi, sLo, serverPort, transport,
                startNanos, answerNanos, endNanos, pddMs, durationS, finalStatus, outcome, endReason, emergency, media,
                policyRule, policyAction);
    }
}
