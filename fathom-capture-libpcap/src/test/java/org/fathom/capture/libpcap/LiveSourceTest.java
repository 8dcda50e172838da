package org.fathom.capture.libpcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import org.fathom.capture.LinkType;
import org.fathom.capture.Packet;
import org.fathom.capture.PacketSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real capture on the loopback interface (traffic to 127.0.0.1 only). Skips when libpcap is
 * absent or capture is not permitted (not root, no CAP_NET_RAW).
 */
class LiveSourceTest {
    @BeforeEach
    void libpcapPresent() {
        assumeTrue(LiveSource.unavailableReason() == null, "libpcap is not usable here: " + LiveSource.unavailableReason());
    }

    private static LiveSource openOrSkip(List<String> ifaces, LiveSource.Settings s) throws LiveCaptureException {
        try {
            return LiveSource.open(ifaces, s);
        } catch (LiveCaptureException e) {
            assumeTrue(e.kind() != LiveCaptureException.Kind.NOT_PERMITTED, "live capture needs root or CAP_NET_RAW: " + e.getMessage());
            throw e;
        }
    }

    @Test
    void capturesDatagramsOnLoopbackWithAFilterAndEndsWhenStopped() throws Exception {
        try (DatagramSocket rx = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket tx = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = rx.getLocalPort();
            LiveSource.Settings s = new LiveSource.Settings(65535, false, 1 << 20, "udp and dst port " + port, 50);
            try (LiveSource src = openOrSkip(List.of("lo"), s)) {
                assertThat(src.format()).isEqualTo("live (Ethernet)");
                byte[] payload = new byte[100];
                for (int i = 0; i < 20; i++) {
                    tx.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), port));
                }
                Packet p = new Packet();
                int seen = 0;
                int idle = 0;
                long before = System.currentTimeMillis() * 1_000_000L;
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (seen < 20 && System.nanoTime() < deadline) {
                    int r = src.read(p);
                    if (r == PacketSource.PACKET) {
                        seen++;
                        assertThat(p.linkType).isEqualTo(LinkType.ETHERNET);
                        assertThat(p.frameLength).isEqualTo(14 + 20 + 8 + 100);
                        assertThat(p.wireLength).isEqualTo(p.frameLength);
                        assertThat(p.timestampNanos).isBetween(before - 1_000_000_000L, before + 10_000_000_000L);
                    } else if (r == PacketSource.IDLE) {
                        idle++;
                    }
                }
                assertThat(seen).isEqualTo(20);
                // quiet now: IDLE with the wall clock
                long t0 = System.currentTimeMillis() * 1_000_000L;
                assertThat(src.read(p)).isEqualTo(PacketSource.IDLE);
                assertThat(p.timestampNanos).isGreaterThanOrEqualTo(t0 - 1_000_000L);
                src.stop();
                assertThat(src.read(p)).isEqualTo(PacketSource.END);
                assertThat(src.stats()).singleElement().satisfies(st -> {
                    assertThat(st.name()).isEqualTo("lo");
                    assertThat(st.captured()).isEqualTo(20);
                    assertThat(st.dropped()).isZero();
                });
            }
        }
    }

    @Test
    void prefixThenCompleteGivesTheWholeFrame() throws Exception {
        try (DatagramSocket rx = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket tx = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = rx.getLocalPort();
            try (LiveSource src = openOrSkip(List.of("lo"), LiveSource.Settings.defaults().withFilter("udp and dst port " + port))) {
                src.copyPrefixOnly(64);
                byte[] payload = new byte[500];
                payload[499] = 0x5a;
                tx.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), port));
                Packet p = new Packet();
                long deadline = System.nanoTime() + 5_000_000_000L;
                int r;
                while ((r = src.read(p)) != PacketSource.PACKET && System.nanoTime() < deadline) {
                    // wait for it
                }
                assertThat(r).isEqualTo(PacketSource.PACKET);
                assertThat(p.length).isEqualTo(64);
                assertThat(p.frameLength).isEqualTo(14 + 28 + 500);
                byte[] ring = new byte[1000];
                src.copyFrame(p, ring, 7);
                assertThat(ring[7 + p.frameLength - 1]).isEqualTo((byte) 0x5a);
                src.complete(p);
                assertThat(p.length).isEqualTo(p.frameLength);
                assertThat(p.data[p.frameLength - 1]).isEqualTo((byte) 0x5a);
            }
        }
    }

    @Test
    void aMissingInterfaceIsOneClearError() {
        assertThatThrownBy(() -> openOrSkip(List.of("fathom-nosuch0"), LiveSource.Settings.defaults()))
                .isInstanceOfSatisfying(LiveCaptureException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LiveCaptureException.Kind.NO_SUCH_INTERFACE);
                    assertThat(e.getMessage()).isEqualTo("fathom-nosuch0: no such interface");
                });
    }

    @Test
    void aBadFilterNamesTheFilterAndLibpcapsReason() {
        assertThatThrownBy(() -> openOrSkip(List.of("lo"), LiveSource.Settings.defaults().withFilter("port nonsense and")))
                .isInstanceOfSatisfying(LiveCaptureException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LiveCaptureException.Kind.BAD_FILTER);
                    assertThat(e.getMessage()).startsWith("bad --filter 'port nonsense and': ").doesNotContain("\n");
                });
    }

    @Test
    void dropsInTheKernelBufferAreCountedAndReported() throws Exception {
        try (DatagramSocket rx = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket tx = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = rx.getLocalPort();
            // the smallest buffer, and nobody reading while 3,000 frames arrive
            LiveSource.Settings s = new LiveSource.Settings(65535, false, 1 << 16, "udp and dst port " + port, 20);
            try (LiveSource src = openOrSkip(List.of("lo"), s)) {
                List<long[]> reports = new java.util.ArrayList<>();
                src.onDrops((iface, kernel, ifDrops, nanos) -> reports.add(new long[] {kernel, ifDrops}), 0);
                byte[] payload = new byte[1000];
                for (int i = 0; i < 3000; i++) {
                    tx.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), port));
                }
                Packet p = new Packet();
                int seen = 0;
                int idle = 0;
                while (idle < 3) {
                    int r = src.read(p);
                    if (r == PacketSource.PACKET) {
                        seen++;
                    } else if (r == PacketSource.IDLE) {
                        idle++;
                    }
                }
                LiveSource.InterfaceStats st = src.stats().getFirst();
                assertThat(st.captured()).isEqualTo(seen);
                assertThat(st.dropped()).as("captured %d", seen).isPositive();
                // on loopback the kernel sees each frame twice (out and in; libpcap keeps one) and
                // counts a drop for either pass: on a veth the sum is exact (docs/ARCHITECTURE.md)
                assertThat(st.captured() + st.dropped()).isBetween(3000L, 6000L);
                assertThat(reports).isNotEmpty();
                assertThat(reports.stream().mapToLong(x -> x[0]).sum()).isEqualTo(st.dropped());
            }
        }
    }

    @Test
    void readingAllocatesNothingPerPacketOnceWarm() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (DatagramSocket rx = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket tx = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = rx.getLocalPort();
            try (LiveSource src = openOrSkip(List.of("lo"), new LiveSource.Settings(65535, false, 8 << 20, "udp and dst port " + port, 20))) {
                src.copyPrefixOnly(256);
                byte[] payload = new byte[600];
                byte[] ring = new byte[1 << 16];
                Packet p = new Packet();
                for (int round = 0; round < 2; round++) {
                    for (int i = 0; i < 2000; i++) {
                        tx.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), port));
                    }
                    long before = mx.getCurrentThreadAllocatedBytes();
                    int seen = 0;
                    while (seen < 2000) {
                        if (src.read(p) == PacketSource.PACKET) {
                            seen++;
                            src.copyFrame(p, ring, 0);
                            src.complete(p);
                        }
                    }
                    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
                    if (round == 1) {
                        // warmed up: the frames go from libpcap's buffer into the reused Packet and ring
                        assertThat(allocated).as("bytes allocated for 2,000 packets").isLessThan(2000);
                    }
                }
            }
        }
    }
}
