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
 * Packets from netfilter queues ({@link NfQueue}), each answered before the engine sees it.
 *
 * <p><b>Verdict timing.</b> {@link #read} runs on the engine's reading thread (the dispatcher, or
 * the one worker's loop). For every packet it decodes the headers, asks the {@link PacketVerdicts}
 * (the policy's verdict table), applies the token bucket of a rate limit or rewrites the DSCP of a
 * mark, sends the verdict to the kernel, and only then returns the packet to the engine. So a packet
 * waits in user space for one header decode and one table lookup, never for classification. A
 * flow's verdict exists once the engine has classified the flow; packets before it pass (the packet
 * that classifies a flow passes itself, under the verdict that was in force when it was read), and
 * every packet after it gets the verdict. Packets are never held, so no queue of ours can fill and
 * no packet waits for another.
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
                answer(p);
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

    /** Reads the packet into {@code p}, decides and sends its verdict. */
    private void answer(Packet p) {
        NfQueue q = queue;
        int len = Math.min(q.payloadLength(), Packet.MAX_FRAME);
        q.copyPayload(p.data, 0, len);
        long now = now();
        p.offset = 0;
        p.length = len;
        p.frameLength = len;
        p.wireLength = q.wireLength();
        p.timestampNanos = now;
        p.linkType = LinkType.RAW;
        p.fileOffset = packets;
        packets++;
        DecodedPacket d = headers;
        int dr = decoder.decode(p, d);
        InlineVerdict v = dr == PacketDecoder.OK || dr == PacketDecoder.FRAGMENT ? verdicts.decide(d) : null;
        int nf = NfQueue.NF_ACCEPT;
        boolean rewritten = false;
        if (v != null) {
            switch (v.kind()) {
                case InlineVerdict.DROP -> nf = NfQueue.NF_DROP;
                case InlineVerdict.MARK -> {
                    // a packet cut by the copy range cannot be sent back whole: it passes unmarked
                    if (len == p.wireLength) {
                        rewritten = Dscp.set(p.data, 0, len, v.dscp()) == Dscp.CHANGED;
                    }
                }
                case InlineVerdict.RATE_LIMIT -> {
                    if (!buckets.take(d, p.wireLength, v.rateBitsPerSecond(), now)) {
                        nf = NfQueue.NF_DROP;
                        rateDropped++;
                    }
                }
                default -> { }
            }
            InlineStats.RuleCounters c = v.counters;
            if (c == null) {
                c = rules.computeIfAbsent(v.rule(), k -> new InlineStats.RuleCounters(v.rule(), v.action()));
                v.counters = c;
            }
            c.packets++;
            c.bytes += p.wireLength;
            if (nf == NfQueue.NF_DROP) {
                c.dropped++;
            }
            if (rewritten) {
                c.marked++;
            }
        }
        q.verdict(nf, rewritten ? p.data : null, 0, len);
        if (nf == NfQueue.NF_DROP) {
            dropped++;
        } else if (rewritten) {
            marked++;
        } else {
            accepted++;
        }
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
        queue.close();
    }
}
