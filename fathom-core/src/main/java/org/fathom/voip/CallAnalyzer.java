package org.fathom.voip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import org.fathom.analysis.PacketAnalyzer;
import org.fathom.decode.DecodedPacket;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.protocol.sip.SipFramer;
import org.fathom.protocol.sip.SipMessage;
import org.fathom.protocol.sip.SipParser;
import org.fathom.record.CallRecord;

/**
 * VoIP call analytics across flows: follows SIP over UDP and TCP (any port; a payload must start
 * like a SIP message), keys calls by Call-ID, binds RTP to its call through the SDP offer/answer
 * and measures each media direction. Every call ends in exactly one {@link CallRecord} released
 * through the privacy guard, and is counted in the run's {@link CallStats}. Outcome rules and
 * limits: docs/VOIP.md. State is bounded by {@link CallConfig#maxDialogs}, {@link #MAX_TCP_STREAMS}
 * and per-call caps; nothing here throws for hostile input.
 */
public final class CallAnalyzer implements PacketAnalyzer {
    public static final int MAX_TCP_STREAMS = 10_000;
    private static final int MAX_ENDPOINTS_PER_CALL = 16;
    private static final int UDP = 17;
    private static final int TCP = 6;

    private record TcpKey(long sHi, long sLo, long dHi, long dLo, int sp, int dp) {
        // explicit equals/hashCode: the generated ones go through method handles, slow under C1
        @Override
        public boolean equals(Object o) {
            return o instanceof TcpKey k && k.sHi == sHi && k.sLo == sLo && k.dHi == dHi && k.dLo == dLo
                    && k.sp == sp && k.dp == dp;
        }

        @Override
        public int hashCode() {
            return Long.hashCode((sHi * 0x9E3779B97F4A7C15L ^ sLo) * 31 + (dHi * 0xC2B2AE3D27D4EB4FL ^ dLo)
                    + ((long) sp << 16 | dp));
        }
    }

    private final CallConfig config;
    private final CallStats stats;
    private PrivacyGuard guard;
    private final LinkedHashMap<String, Call> calls = new LinkedHashMap<>();
    /**
     * Media endpoints to the stream of packets sent to them (the call's stream toward the side that
     * announced the endpoint); audio ones are measured as RTP. Capped at 4 per tracked call.
     */
    private final MediaTable media;
    private final LinkedHashMap<TcpKey, SipTcpStream> tcp = new LinkedHashMap<>(16, 0.75f, true);
    // the TCP segment being fed, for the handler of the messages it completes (no allocation per segment)
    private DecodedPacket feeding;
    private final SipFramer.Handler tcpMessage = (b, o, l) -> {
        SipMessage m = SipParser.parse(b, o, l);
        if (m != null && m.hasDialogKeys()) {
            onSip(m, feeding, "TCP");
        }
        return true;
    };
    /**
     * Counting filters over the keys of {@link #media} and {@link #tcp}: a zero counter proves a
     * packet's endpoints are not in the map, so the common packet (not VoIP) is dismissed without
     * building a key object or hashing one.
     */
    private final int[] mediaFilter = new int[1 << 14];
    private final int[] tcpFilter = new int[1 << 12];
    private long now;
    private long nextSweep;
    private long evicted;
    /** Told of calls as they start, announce media and end (the policy engine); nobody by default. */
    private org.fathom.analysis.AnalysisEvents events = org.fathom.analysis.AnalysisEvents.NONE;

    public CallAnalyzer(CallConfig config, CallStats stats, PrivacyGuard guard) {
        this.config = config;
        this.stats = stats;
        this.guard = guard;
        this.media = new MediaTable((int) Math.min(Integer.MAX_VALUE / 8, (long) config.maxDialogs() * 4));
    }

    /** A factory for {@link org.fathom.pipeline.AnalysisOptions#withAnalyzer}; all captures count into {@code stats}. */
    public static Factory factory(CallConfig config, CallStats stats) {
        return g -> new CallAnalyzer(config, stats, g);
    }

    @Override
    public void listen(org.fathom.analysis.AnalysisEvents events) {
        this.events = events;
    }

    /** Calls ended early because {@link CallConfig#maxDialogs} was reached. */
    public long evicted() {
        return evicted;
    }

    /**
     * With several workers, packets of other workers arrive decoded from their headers only; SIP
     * messages (by content, any port), segments of tracked SIP-over-TCP connections and packets
     * to or from announced media endpoints are asked for whole.
     */
    @Override
    public boolean needsPayload(DecodedPacket h) {
        if (h.payloadLength <= 0 || h.buf == null) {
            return false;
        }
        if (h.l4 == UDP) {
            int skip = SipParser.skipBlank(h.buf, h.payloadOffset, h.payloadLength);
            if (SipParser.looksLikeSip(h.buf, h.payloadOffset + skip, h.payloadLength - skip)) {
                return true;
            }
            return mayBeMedia(h.dstHi, h.dstLo, h.dstPort) && media.find(h.dstHi, h.dstLo, h.dstPort) >= 0
                    || mayBeMedia(h.srcHi, h.srcLo, h.srcPort) && media.find(h.srcHi, h.srcLo, h.srcPort) >= 0;
        }
        if (h.l4 == TCP) {
            if (mayBeTcp(h) && tcp.containsKey(new TcpKey(h.srcHi, h.srcLo, h.dstHi, h.dstLo, h.srcPort, h.dstPort))) {
                return true;
            }
            int skip = SipParser.skipBlank(h.buf, h.payloadOffset, h.payloadLength);
            return SipParser.looksLikeSip(h.buf, h.payloadOffset + skip, h.payloadLength - skip);
        }
        return false;
    }

    @Override
    public void onPacket(DecodedPacket d) {
        now = d.timestampNanos;
        if (now >= nextSweep) {
            if (nextSweep != 0) {
                sweep();
            }
            nextSweep = now + 1_000_000_000L;
        }
        int len = d.payloadLength;
        if (len <= 0 || d.buf == null) {
            if (d.l4 == TCP && (d.tcpFlags & (DecodedPacket.TCP_FIN | DecodedPacket.TCP_RST)) != 0 && mayBeTcp(d)) {
                tcpRemove(new TcpKey(d.srcHi, d.srcLo, d.dstHi, d.dstLo, d.srcPort, d.dstPort));
            }
            return;
        }
        byte[] b = d.buf;
        int off = d.payloadOffset;
        try {
            if (d.l4 == UDP) {
                int skip = SipParser.skipBlank(b, off, len);
                if (SipParser.looksLikeSip(b, off + skip, len - skip)) {
                    SipMessage m = SipParser.parse(b, off, len);
                    if (m != null && m.hasDialogKeys()) {
                        onSip(m, d, "UDP");
                    }
                } else if (mayBeMedia(d.dstHi, d.dstLo, d.dstPort) || mayBeMedia(d.srcHi, d.srcLo, d.srcPort)) {
                    onMedia(d, b, off, len);
                }
            } else if (d.l4 == TCP) {
                onTcp(d, b, off, len);
            }
        } catch (RuntimeException e) {
            // hostile input must never stop the capture; the packet is simply not used
        }
    }

    private void onTcp(DecodedPacket d, byte[] b, int off, int len) {
        TcpKey k = null;
        SipTcpStream s = null;
        if (mayBeTcp(d)) {
            k = new TcpKey(d.srcHi, d.srcLo, d.dstHi, d.dstLo, d.srcPort, d.dstPort);
            s = tcp.get(k);
        }
        if (s == null) {
            int skip = SipParser.skipBlank(b, off, len);
            if (skip == len || !SipParser.couldStart(b, off + skip, len - skip)) {
                return;
            }
            if (k == null) {
                k = new TcpKey(d.srcHi, d.srcLo, d.dstHi, d.dstLo, d.srcPort, d.dstPort);
            }
            if (tcp.size() >= MAX_TCP_STREAMS) {
                Iterator<TcpKey> it = tcp.keySet().iterator();
                TcpKey eldest = it.next();
                it.remove();
                tcpFilter[tcpSlot(eldest)]--;
            }
            s = new SipTcpStream();
            tcp.put(k, s);
            tcpFilter[tcpSlot(k)]++;
        }
        feeding = d;
        try {
            s.segment(d.tcpSeq, b, off, len, tcpMessage);
        } finally {
            feeding = null;
        }
        if ((d.tcpFlags & (DecodedPacket.TCP_FIN | DecodedPacket.TCP_RST)) != 0) {
            tcpRemove(k);
        }
    }

    private void onSip(SipMessage m, DecodedPacket d, String transport) {
        Call c = calls.get(m.callId());
        long t = d.timestampNanos;
        if (c != null) {
            c.lastSipNanos = t;
            if (c.listener != null && !c.firstLeg(d)) {
                events.signalling(c.listener, "TCP".equals(transport) ? TCP : UDP, d.srcHi, d.srcLo, d.srcPort, d.dstHi,
                        d.dstLo, d.dstPort, t);
            }
        }
        if (m.isRequest()) {
            switch (m.method().toUpperCase(Locale.ROOT)) {
                case "INVITE" -> {
                    if (c == null) {
                        if (m.toTag() != null) {
                            return; // re-INVITE of a dialog we never saw start
                        }
                        if (calls.size() >= config.maxDialogs()) {
                            Call old = calls.values().iterator().next();
                            evicted++;
                            finish(old, "in_progress", "evicted", t);
                        }
                        boolean sos = emergency(m.requestUri()) || emergency(m.to());
                        c = new Call(m.callId(), m.from(), m.to(), d.srcHi, d.srcLo, d.srcPort, d.dstHi, d.dstLo,
                                d.dstPort, transport, t, sos);
                        c.inviteCseq = m.cseq();
                        c.inviteNanos = t;
                        calls.put(m.callId(), c);
                        c.listener = events.callStarted(sos, "TCP".equals(transport) ? TCP : UDP, d.srcHi, d.srcLo,
                                d.srcPort, d.dstHi, d.dstLo, d.dstPort, t);
                    } else if (!c.answered() && (c.finalStatus == 401 || c.finalStatus == 407) && m.cseq() > c.inviteCseq) {
                        c.finalStatus = 0;      // the challenge was answered: same call goes on
                        c.inviteCseq = m.cseq();
                        c.inviteNanos = t;
                        c.pddMs = -1;
                    }
                    bindSdp(c, m, senderSide(c, d, 0));
                }
                case "ACK" -> {
                    if (c == null) {
                        return;
                    }
                    bindSdp(c, m, senderSide(c, d, 0));
                    if (c.answered()) {
                        if (c.ackNanos == 0) {
                            c.ackNanos = t;
                        }
                    } else if (c.finalStatus >= 300 && c.finalStatus != 401 && c.finalStatus != 407) {
                        finish(c, Call.outcomeOf(c.finalStatus, c.cancelSeen), "final_response", c.finalNanos);
                    }
                }
                case "CANCEL" -> {
                    if (c != null) {
                        c.cancelSeen = true;
                    }
                }
                case "BYE" -> {
                    if (c == null) {
                        return;
                    }
                    c.byeNanos = t;
                    c.byeCause = m.q850Cause();
                    if (c.answered()) {
                        boolean error = c.byeCause >= 0 && c.byeCause != 16;
                        finish(c, error ? "dropped" : "completed", error ? "bye_with_error_reason" : "bye", t);
                    } else {
                        finish(c, "cancelled", "bye", t);
                    }
                }
                default -> { }
            }
            return;
        }
        if (c == null || !"INVITE".equals(m.cseqMethod())) {
            return;
        }
        int side = senderSide(c, d, 1);
        int st = m.status();
        if (st < 200) {
            if ((st == 180 || st == 183) && c.pddMs < 0) {
                c.pddMs = (t - c.inviteNanos) / 1_000_000;
            }
            bindSdp(c, m, side);
        } else if (st < 300) {
            if (!c.answered()) {
                c.answerNanos = t;
                c.finalStatus = st;
                c.finalNanos = t;
            }
            bindSdp(c, m, side);
        } else if (!c.answered() && m.cseq() >= c.inviteCseq && c.finalStatus == 0) {
            c.finalStatus = st;
            c.finalNanos = t;
        }
    }

    /**
     * Which party sent a message: the caller when it comes from the address and port the first
     * INVITE came from, the callee when it comes from where that INVITE went (a re-INVITE may come
     * from either side); otherwise {@code dflt} (requests: caller, responses: callee).
     */
    private static int senderSide(Call c, DecodedPacket d, int dflt) {
        if (d.srcHi == c.clientHi && d.srcLo == c.clientLo && d.srcPort == c.clientPort) {
            return 0;
        }
        if (d.srcHi == c.serverHi && d.srcLo == c.serverLo && d.srcPort == c.serverPort) {
            return 1;
        }
        return dflt;
    }

    private void bindSdp(Call c, SipMessage m, int side) {
        if (m.body().isEmpty() || (m.contentType() != null && !m.contentType().toLowerCase(Locale.ROOT).contains("sdp"))) {
            return;
        }
        List<Sdp.Media> l = Sdp.parse(m.body());
        if (l.isEmpty()) {
            return;
        }
        // a new offer/answer from this side replaces what it announced before (re-INVITE)
        for (Iterator<long[]> it = c.endpoints.iterator(); it.hasNext(); ) {
            long[] e = it.next();
            if (e[3] == side) {
                mediaRemove(e[0], e[1], (int) e[2], null);
                it.remove();
            }
        }
        for (Sdp.Media md : l) {
            if (c.endpoints.size() >= MAX_ENDPOINTS_PER_CALL) {
                continue;
            }
            boolean audio = md.kind().equals("audio");
            if (audio && side == 0) {
                c.callerRtpmap = md.rtpmap();
            } else if (audio) {
                c.calleeRtpmap = md.rtpmap();
            }
            // packets sent to what the caller announced go to the caller
            int r = media.put(md.hi(), md.lo(), md.port(), side == 0 ? c.calleeToCaller : c.callerToCallee, audio);
            if (r != 0) {
                if (r == 1) {
                    mediaFilter[mediaSlot(md.hi(), md.lo(), md.port())]++;
                }
                c.endpoints.add(new long[] {md.hi(), md.lo(), md.port(), side});
                events.mediaAnnounced(c.listener, md.hi(), md.lo(), md.port(), now);
            }
        }
    }

    private void onMedia(DecodedPacket d, byte[] b, int off, int len) {
        int slot = mayBeMedia(d.dstHi, d.dstLo, d.dstPort) ? media.find(d.dstHi, d.dstLo, d.dstPort) : -1;
        RtpStream s;
        if (slot >= 0) {
            s = media.stream(slot);
        } else {
            slot = mayBeMedia(d.srcHi, d.srcLo, d.srcPort) ? media.find(d.srcHi, d.srcLo, d.srcPort) : -1;
            if (slot < 0) {
                return;
            }
            // symmetric RTP: sent from the port one receives on, so the opposite direction
            RtpStream to = media.stream(slot);
            s = to.toCaller ? to.call.callerToCallee : to.call.calleeToCaller;
        }
        int pt = len >= 2 ? b[off + 1] & 0x7f : 0;
        if (!media.audio(slot) || len < 12 || (b[off] & 0xc0) != 0x80 || (pt >= 72 && pt <= 76)) {
            s.call.otherMediaNanos = d.timestampNanos;   // video, T.38, RTCP: signs of life only
            return;
        }
        s.onPacket(b, off, len, d.timestampNanos);
    }

    private void sweep() {
        long t = now;
        List<Call> done = new ArrayList<>();
        for (Call c : calls.values()) {
            if (decideOnTime(c, t, false) != null) {
                done.add(c);
            }
        }
        for (Call c : done) {
            String[] o = decideOnTime(c, t, false);
            finish(c, o[0], o[1], Long.parseLong(o[2]));
        }
    }

    /** The outcome {outcome, reason, end} that time alone gives a call, or null while it goes on. */
    private String[] decideOnTime(Call c, long t, boolean endOfInput) {
        if (!c.answered()) {
            if (c.finalStatus == 0) {
                if (t - c.inviteNanos > config.dialogTimeout().toNanos()) {
                    return of("no_answer", "dialog_timeout", c.inviteNanos + config.dialogTimeout().toNanos());
                }
                return endOfInput ? of("in_progress", "end_of_input", t) : null;
            }
            // a challenged caller may take long to retry with credentials (a user typing a
            // password, a slow client): one Call-ID stays one call for the dialog timeout
            long wait = c.finalStatus == 401 || c.finalStatus == 407 ? config.dialogTimeout().toNanos()
                    : config.lingerTimeout().toNanos();
            if (endOfInput || t - c.finalNanos > wait) {
                return of(Call.outcomeOf(c.finalStatus, c.cancelSeen), "final_response", c.finalNanos);
            }
            return null;
        }
        if (c.ackNanos == 0) {
            if (t - c.answerNanos > config.noAckTimeout().toNanos()) {
                return of("dropped", "no_ack", c.answerNanos + config.noAckTimeout().toNanos());
            }
            return endOfInput ? of("in_progress", "end_of_input", t) : null;
        }
        long lastMedia = c.lastMediaNanos();
        long mediaEnd = Math.max(lastMedia, c.ackNanos);
        if (lastMedia > 0 && t - mediaEnd > config.mediaTimeout().toNanos()) {
            // suspect: media stopped both ways. Signalling still decides (a later BYE ends the call
            // by its own rule); dropped only when the dialog is silent too for the dialog timeout,
            // or the input ends with no signalling after the media stopped.
            long quiet = Math.max(mediaEnd, c.lastSipNanos);
            if (t - quiet > config.dialogTimeout().toNanos() || endOfInput && c.lastSipNanos <= mediaEnd) {
                return of("dropped", "media_timeout", lastMedia);
            }
        }
        return endOfInput ? of("in_progress", "end_of_input", t) : null;
    }

    private static String[] of(String outcome, String reason, long end) {
        return new String[] {outcome, reason, Long.toString(end)};
    }

    private void finish(Call c, String outcome, String reason, long end) {
        calls.remove(c.callId);
        for (long[] e : c.endpoints) {
            mediaRemove(e[0], e[1], (int) e[2], c);
        }
        CallRecord r = events.callEnded(c.listener, c.toRecord(outcome, reason, end));
        stats.add(r);
        guard.emitCall(r);
    }

    @Override
    public void finish(PrivacyGuard g) {
        this.guard = g;
        for (Call c : new ArrayList<>(calls.values())) {
            String[] o = decideOnTime(c, now, true);
            finish(c, o[0], o[1], Long.parseLong(o[2]));
        }
        tcp.clear();
        Arrays.fill(tcpFilter, 0);
    }

    private boolean mayBeMedia(long hi, long lo, int port) {
        return mediaFilter[mediaSlot(hi, lo, port)] != 0;
    }

    private boolean mayBeTcp(DecodedPacket d) {
        return tcpFilter[tcpSlot(d.srcHi, d.srcLo, d.dstHi, d.dstLo, d.srcPort, d.dstPort)] != 0;
    }

    /** Unbinds an endpoint (only if bound to {@code c}, unless null). */
    private void mediaRemove(long hi, long lo, int port, Call c) {
        if (media.remove(hi, lo, port, c)) {
            mediaFilter[mediaSlot(hi, lo, port)]--;
        }
    }

    private void tcpRemove(TcpKey k) {
        if (tcp.remove(k) != null) {
            tcpFilter[tcpSlot(k)]--;
        }
    }

    private static int tcpSlot(TcpKey k) {
        return tcpSlot(k.sHi(), k.sLo(), k.dHi(), k.dLo(), k.sp(), k.dp());
    }

    private static int mediaSlot(long hi, long lo, int port) {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo * 0xC2B2AE3D27D4EB4FL ^ port * 0x165667B19E3779F9L;
        return (int) ((h ^ h >>> 31) * 0xBF58476D1CE4E5B9L >>> 50);   // 14 bits
    }

    private static int tcpSlot(long sHi, long sLo, long dHi, long dLo, int sp, int dp) {
        long h = sHi * 0x9E3779B97F4A7C15L ^ sLo * 0xC2B2AE3D27D4EB4FL ^ dHi * 0x94D049BB133111EBL
                ^ dLo * 0xD6E8FEB86659FD93L ^ ((long) sp << 16 | dp) * 0x165667B19E3779F9L;
        return (int) ((h ^ h >>> 31) * 0xBF58476D1CE4E5B9L >>> 52);   // 12 bits
    }

    /** urn:service:sos (and its sub-services) or a dialled number in the configured list. */
    boolean emergency(String uri) {
        if (uri == null) {
            return false;
        }
        String u = uri.trim().toLowerCase(Locale.ROOT);
        if (u.startsWith("urn:service:sos")) {
            return true;
        }
        int colon = u.indexOf(':');
        String user = colon >= 0 ? u.substring(colon + 1) : u;
        int at = user.indexOf('@');
        if (at >= 0) {
            user = user.substring(0, at);
        }
        int semi = user.indexOf(';');
        if (semi >= 0) {
            user = user.substring(0, semi);
        }
        user = user.replaceAll("[-.() ]", "");
        return config.emergencyNumbers().contains(user);
    }

    /** Open calls right now (tests, monitoring). */
    public int openCalls() {
        return calls.size();
    }
}
