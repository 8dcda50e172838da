package org.fathom.inline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fathom.capture.CaptureWarning;
import org.fathom.capture.LinkType;
import org.fathom.capture.Packet;
import org.fathom.capture.PacketSource;
import org.fathom.decode.DecodedPacket;
import org.fathom.decode.PacketDecoder;

/**
 * Packets from netfilter queues ({@link NfQueue}), each answered once the engine has taken it in.
 *
 * <p><b>Verdict timing.</b> {@link #read} runs on the engine's reading thread (the dispatcher, or
 * the one worker's loop). It hands each packet to the engine at once, and gives its verdict at the
 * next call of {@link #read}, that is as soon as the engine has taken the packet in, and before it
 * waits for anything. The verdict is the first rule (in policy order) among the verdict in force
 * when the packet arrived and the one in force once the engine has seen it (both asked of the
 * {@link PacketVerdicts}, the policy's verdict table, with the packet's decoded headers and time);
 * a rate limit's token bucket or a mark's DSCP is then applied and the kernel answered. So:
 * <ul>
 *   <li>what a packet starts counts for it: with one worker ({@code -w 1}) the engine has
 *       classified the packet's flow and run the call and attack analyzers over it, so the packet
 *       that classifies a flow, starts an emergency call or completes an attack gets the verdict
 *       it caused; with several workers the call and attack analyzers (run by the dispatcher) have
 *       seen it, while flow classification runs in a worker meanwhile, so a flow's own verdict
 *       applies from the first packet read after the worker decided it (the classifying packet,
 *       and perhaps a few after it, pass under the verdict in force before);</li>
 *   <li>what a packet ends still counts for it: the BYE that ends an emergency call is marked
 *       like the rest of the call.</li>
 * </ul>
 * Packets before a flow's verdict pass. A packet waits in user space for the engine's work on it
 * (microseconds, see fathom-bench/README.md), never for later packets: nothing is held, so no
 * queue of ours fills.
 *
 * <p>The engine sees every packet the queue delivered, dropped ones included, so a blocked flow is
 * still classified and its records say what was attempted; the summary says what was dropped.
 *
 * <p>Link type raw IP (IPv4 and IPv6, as the kernel queues them at the IP layer). Time is wall-clock
 * time, read without allocation from the monotonic clock.
 *
 * <p><b>Stopping.</b> {@link #stop} (any thread) makes the source drain: it answers every packet
 * already queued for it (with fail-open, the kernel passes new packets meanwhile), then says
 * {@link #END}; closing unbinds the queues. No packet is left without a verdict.
 */
public final class QueueSource implements PacketSource {
    private final NfQueue queue;
    private final TokenBuckets buckets;
    private volatile PacketVerdicts verdicts;
    private final PacketDecoder decoder = PacketDecoder.headersOnly();
    private final DecodedPacket headers = new DecodedPacket();
    private final List<CaptureWarning> warnings = new ArrayList<>();
    private final Map<String, InlineStats.RuleCounters> rules = new LinkedHashMap<>();
    private final long wallBase;
    private final long monoBase;
    private volatile boolean stopRequested;
    private boolean draining;
    private boolean ended;
    private long packets;
    /** A packet was handed to the engine and waits for its verdict (given at the next read). */
    private boolean pending;
    private boolean pendingDecoded;
    private InlineVerdict pendingBefore;
    private int pendingBytes;
    private long accepted;
    private long dropped;
    private long rateDropped;
    private long marked;

    /**
     * @param queue    the bound queues; closed with this source
     * @param verdicts the policy (may be replaced while running, {@link #verdicts(PacketVerdicts)})
     * @param buckets  token buckets for rate limits
     */
    public QueueSource(NfQueue queue, PacketVerdicts verdicts, TokenBuckets buckets) {
        this.queue = queue;
        this.verdicts = verdicts;
        this.buckets = buckets;
        java.time.Instant now = java.time.Instant.now();
        this.monoBase = System.nanoTime();
        this.wallBase = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Replaces the policy (a reload); takes effect from the next packet. Any thread. */
    public void verdicts(PacketVerdicts v) {
        this.verdicts = v;
    }

    /** The policy's verdicts in use now. */
    public PacketVerdicts verdicts() {
        return verdicts;
    }

    /** Makes the source answer what is queued and then end (any thread). */
    public void stop() {
        stopRequested = true;
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    private long now() {
        return wallBase + (System.nanoTime() - monoBase);
    }

    @Override
    public int read(Packet p) {
        if (pending) {
            answer();   // the engine is done with the packet read last: its verdict now
        }
        if (ended) {
            return END;
        }
        while (true) {
            if (stopRequested && !draining) {
                draining = true;
                if (queue.settings().failOpen()) {
                    queue.passNewPackets();
                }
            }
            int r = queue.next(!draining);
            if (r == NfQueue.PACKET) {
                take(p);
                return PACKET;
            }
            if (r == NfQueue.IDLE) {
                if (draining) {
                    ended = true;   // everything queued for us has its verdict
                    return END;
                }
                p.timestampNanos = now();
                p.length = 0;
                p.frameLength = 0;
                p.wireLength = 0;
                return IDLE;
            }
            warnings.add(new CaptureWarning(Path.of(name()), 0, "queue stopped: "
                    + (queue.lastError() == 0 ? "socket closed" : Libc.strerror(queue.lastError()))));
            ended = true;
            return END;
        }
    }

    /** Copies the packet into {@code p} and decodes its headers; its verdict waits for the next read. */
    private void take(Packet p) {
        NfQueue q = queue;
        int len = Math.min(q.payloadLength(), Packet.MAX_FRAME);
        q.copyPayload(p.own(), 0, len);
        p.length = len;
        p.frameLength = len;
        p.wireLength = q.wireLength();
        p.timestampNanos = now();
        p.linkType = LinkType.RAW;
        p.fileOffset = packets;
        packets++;
        pendingBytes = p.wireLength;
        int dr = decoder.decode(p, headers);
        pendingDecoded = dr == PacketDecoder.OK || dr == PacketDecoder.FRAGMENT;
        // the verdict in force as it arrives: what ends with this packet (a call's BYE ends the
        // call's verdict) still applies to it
        pendingBefore = pendingDecoded ? verdicts.decide(headers) : null;
        pending = true;
    }

    /** Decides and sends the verdict of the packet read last. */
    private void answer() {
        pending = false;
        NfQueue q = queue;
        DecodedPacket d = headers;
        InlineVerdict v = pendingDecoded ? verdicts.decide(d) : null;
        InlineVerdict before = pendingBefore;
        pendingBefore = null;
        if (before != null && (v == null || before.order() < v.order())) {
            v = before;   // first match wins between the verdict on arrival and the one after the engine's look
        }
        if (v == null) {
            q.acceptLater();   // unchanged: may leave with the next accepts as one batch verdict
            accepted++;
            return;
        }
        boolean drop = false;
        boolean rewritten = false;
        switch (v.kind()) {
            case InlineVerdict.DROP -> drop = true;
            case InlineVerdict.MARK -> rewritten = q.acceptWithDscp(v.dscp()) == Dscp.CHANGED;
            case InlineVerdict.RATE_LIMIT -> {
                if (!buckets.take(d, pendingBytes, v.rateBitsPerSecond(), now())) {
                    drop = true;
                    rateDropped++;
                }
            }
            default -> { }
        }
        if (drop) {
            q.verdict(NfQueue.NF_DROP);
        } else if (v.kind() != InlineVerdict.MARK) {
            q.acceptLater();   // accepted unchanged (allow, report, within the rate): batched
        }
        InlineStats.RuleCounters c = v.counters;
        if (c == null) {
            c = counters(v);
        }
        c.packets++;
        c.bytes += pendingBytes;
        if (drop) {
            c.dropped++;
            dropped++;
        } else if (rewritten) {
            c.marked++;
            marked++;
        } else {
            accepted++;
        }
    }

    /** The counters of {@code v}'s rule, made at its first packet. */
    private InlineStats.RuleCounters counters(InlineVerdict v) {
        InlineStats.RuleCounters c = rules.computeIfAbsent(v.rule(), k -> new InlineStats.RuleCounters(v.rule(), v.action()));
        v.counters = c;
        return c;
    }

    /** What the queue did so far (call from the reading thread, or after it ended). */
    public InlineStats stats() {
        List<InlineStats.RuleStats> l = new ArrayList<>();
        for (InlineStats.RuleCounters c : rules.values()) {
            l.add(c.snapshot());
        }
        return new InlineStats(packets, accepted, dropped - rateDropped, rateDropped, marked, queue.verdictErrors(), l,
                buckets.size(), buckets.evictions());
    }

    public NfQueue queue() {
        return queue;
    }

    @Override
    public void copyPrefixOnly(int bytesPerFrame) {
        // the whole packet is copied anyway: its verdict may rewrite it
    }

    @Override
    public void complete(Packet packet) {
        // always whole
    }

    @Override
    public String name() {
        StringBuilder b = new StringBuilder("nfqueue");
        for (int n : queue.queues()) {
            b.append(b.length() == 7 ? " " : ",").append(n);
        }
        return b.toString();
    }

    @Override
    public String format() {
        return "NFQUEUE (raw IP)";
    }

    @Override
    public long position() {
        return 0;
    }

    @Override
    public long size() {
        return 0;
    }

    @Override
    public List<CaptureWarning> warnings() {
        return warnings;
    }

    @Override
    public void close() {
        if (pending) {
            answer();   // the engine stopped reading (a failure): the last packet still gets its verdict
        }
        queue.close();
    }
}
