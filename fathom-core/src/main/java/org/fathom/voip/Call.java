package org.fathom.voip;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fathom.record.CallRecord;

/** State of one call attempt (all dialogs of one Call-ID: forks, re-INVITEs, auth retries). */
final class Call {
    final String callId;
    final String caller;
    final String callee;
    final long clientHi, clientLo, serverHi, serverLo;
    final int clientPort, serverPort;
    final String transport;
    final long startNanos;
    final boolean emergency;
    long lastSipNanos;
    long inviteCseq;
    long inviteNanos;
    long pddMs = -1;
    int finalStatus;
    long finalNanos;
    long answerNanos;
    long ackNanos;
    boolean cancelSeen;
    boolean challenged;
    long byeNanos;
    /** Last packet on a bound endpoint that was not measured as audio RTP (video, T.38, RTCP). */
    long otherMediaNanos;
    int byeCause = -1;
    /** The handle the analyzer's listener gave for this call (the policy's state), or null. */
    Object listener;
    /** Media announced by each side: SDP of the caller's offers and of the callee's answers. */
    Map<Integer, String> callerRtpmap = Map.of();
    Map<Integer, String> calleeRtpmap = Map.of();
    final List<long[]> endpoints = new ArrayList<>();   // hi, lo, port, side(0 caller, 1 callee)
    final RtpStream callerToCallee = new RtpStream(this, false);
    final RtpStream calleeToCaller = new RtpStream(this, true);

    Call(String callId, String caller, String callee, long cHi, long cLo, int cPort, long sHi, long sLo, int sPort,
         String transport, long start, boolean emergency) {
        this.callId = callId;
        this.caller = caller;
        this.callee = callee;
        this.clientHi = cHi;
        this.clientLo = cLo;
        this.clientPort = cPort;
        this.serverHi = sHi;
        this.serverLo = sLo;
        this.serverPort = sPort;
        this.transport = transport;
        this.startNanos = start;
        this.emergency = emergency;
        this.lastSipNanos = start;
    }

    /** Whether a packet goes between the endpoints of the first INVITE (either way). */
    boolean firstLeg(org.fathom.decode.DecodedPacket d) {
        return d.srcHi == clientHi && d.srcLo == clientLo && d.srcPort == clientPort && d.dstHi == serverHi
                && d.dstLo == serverLo && d.dstPort == serverPort
                || d.srcHi == serverHi && d.srcLo == serverLo && d.srcPort == serverPort && d.dstHi == clientHi
                && d.dstLo == clientLo && d.dstPort == clientPort;
    }

    long lastMediaNanos() {
        return Math.max(Math.max(callerToCallee.lastNanos, calleeToCaller.lastNanos), otherMediaNanos);
    }

    boolean answered() {
        return answerNanos > 0;
    }

    CallRecord toRecord(String outcome, String endReason, long endNanos) {
        List<CallRecord.MediaStream> media = new ArrayList<>(2);
        if (callerToCallee.packets > 0) {
            media.add(callerToCallee.toRecord());
        }
        if (calleeToCaller.packets > 0) {
            media.add(calleeToCaller.toRecord());
        }
        double dur = answered() && endNanos > answerNanos ? RtpStream.round((endNanos - answerNanos) / 1e9, 3) : 0;
        return new CallRecord(callId, caller, callee, clientHi, clientLo, clientPort, serverHi, serverLo, serverPort,
                transport, startNanos, answerNanos, endNanos, pddMs, dur, finalStatus, outcome, endReason, emergency, media);
    }

    /** Outcome of a final non-2xx response (RFC 3261 status classes, see docs/VOIP.md). */
    static String outcomeOf(int status, boolean cancelSeen) {
        if (status == 487 && cancelSeen) {
            return "cancelled";
        }
        if (status == 486 || status == 600) {
            return "busy";
        }
        if (status == 408 || status == 480) {
            return "no_answer";
        }
        if (status >= 300 && status < 400) {
            return "redirected";
        }
        if (status >= 500 && status < 600) {
            return "failed";
        }
        return "rejected";
    }
}
