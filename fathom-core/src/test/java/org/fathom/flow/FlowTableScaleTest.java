package org.fathom.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.fathom.decode.DecodedPacket;
import org.fathom.decode.IpProtocol;
import org.junit.jupiter.api.Test;

/**
 * Memory stays bounded, and no packet allocates, however many flows pass through (surefire runs with -Xmx2g). Ten million
 * flows took 9–17 s under surefire's C1-only JVM on the shared 2-core machine (limit: 10 s, and the
 * whole suite should stay under 20 s), so two million it is (~1 s).
 */
class FlowTableScaleTest {
    private static final int FLOWS = 2_000_000;
    private static final int MAX_FLOWS = 100_000;

    @Test
    void twoMillionDistinctFlowsThroughAHundredThousandSlotsStayBounded() {
        long[] ended = new long[FlowEnd.values().length];
        FlowTable t = new FlowTable(FlowConfig.DEFAULTS.withMaxFlows(MAX_FLOWS), (tab, f, reason) -> ended[reason.ordinal()]++);
        DecodedPacket d = Packets.udp("10.0.0.1", 1, "192.0.2.1", 53);
        d.wireBytes = 80;
        long base = d.srcLo & ~0xFFFF_FFFFL;
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = 0;
        for (int i = 0; i < FLOWS; i++) {
            if (i == FLOWS / 2) {
                // full and grown by now: from here on nothing may allocate
                allocatedBefore = mx.getCurrentThreadAllocatedBytes();
            }
            // 10.x.y.z clients, one port each, every 16th flow TCP; 1 µs apart (2 s of capture time)
            d.srcLo = base | 0x0A00_0000L | (i >>> 4);
            d.srcPort = 1024 + (i & 0xF);
            d.l4 = (i & 0xF) == 0 ? IpProtocol.TCP : IpProtocol.UDP;
            d.tcpFlags = Packets.SYN;
            d.timestampNanos = i * 1000L;
            t.update(d);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - allocatedBefore;
        assertThat(allocated).as("bytes allocated by %d updates", FLOWS / 2).isLessThan(64 * 1024);
        assertThat(t.active()).isEqualTo(MAX_FLOWS);
        assertThat(t.peak()).isEqualTo(MAX_FLOWS);
        assertThat(t.created()).isEqualTo(FLOWS);
        assertThat(t.evicted()).isEqualTo(FLOWS - MAX_FLOWS);
        assertThat(t.meanProbeLength()).isLessThan(2.0);
        t.flush();
        assertThat(ended[FlowEnd.EVICTED.ordinal()] + ended[FlowEnd.END_OF_INPUT.ordinal()]).isEqualTo(FLOWS);
    }
}
