package org.fathom.inline;

import java.util.List;
import org.fathom.capture.Packet;
import org.fathom.capture.PacketSource;

/**
 * Run in its own JVM (tiered compilation, as {@code fathom inline} runs; the test JVM is C1-only,
 * where the FFM downcalls are not scalar-replaced): answers queue {@code args[0]} with a mark for
 * UDP port 7101 and a rate limit for the rest, and prints the bytes the reading thread allocated
 * per packet after {@code args[1]} packets of warm-up, in five chunks of {@code args[2]} packets.
 */
public final class AllocationProbe {
    public static void main(String[] args) throws Exception {
        int queue = Integer.parseInt(args[0]);
        long warm = Long.parseLong(args[1]);
        long measure = Long.parseLong(args[2]);
        InlineVerdict mark = InlineVerdict.mark("mark", "mark", Dscp.EF);
        InlineVerdict limit = InlineVerdict.rateLimit("limit", "rate_limit", 10_000_000_000L);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (QueueSource s = new QueueSource(NfQueue.open(List.of(queue), NfQueue.Settings.defaults().withFailOpen(true)),
                d -> d.dstPort == 7101 ? mark : limit, new TokenBuckets(1024))) {
            System.out.println("ready");
            Packet p = new Packet();
            long n = 0;
            long bytes0 = 0;
            StringBuilder chunks = new StringBuilder();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (n < warm + 5 * measure && System.nanoTime() < deadline) {
                if (s.read(p) == PacketSource.PACKET && ++n >= warm && (n - warm) % measure == 0) {
                    long b = mx.getCurrentThreadAllocatedBytes();
                    if (n > warm) {
                        chunks.append(' ').append((double) (b - bytes0) / measure);
                    }
                    bytes0 = b;
                }
            }
            System.out.println("packets " + n + " marked " + s.stats().marked() + " bytes/packet per chunk" + chunks);
        }
    }
}
