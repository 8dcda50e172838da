package org.fathom.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.fathom.decode.DecodedPacket;
import org.fathom.net.Cidr;
import org.junit.jupiter.api.Test;

class VerdictTableTest {
    static final Verdict BLOCK = new Verdict("b", 1, Action.BLOCK, -1, 0);
    static final Verdict PRIO = new Verdict("p", 0, Action.PRIORITISE, 46, 0);
    static final Verdict REPORT = new Verdict("r", 2, Action.REPORT, -1, 0);

    static long[] ip(String s) {
        return Cidr.parseAddress(s);
    }

    static DecodedPacket packet(String src, int sp, String dst, int dp, int l4, long ts) {
        DecodedPacket d = new DecodedPacket();
        long[] a = ip(src), b = ip(dst);
        d.srcHi = a[0];
        d.srcLo = a[1];
        d.dstHi = b[0];
        d.dstLo = b[1];
        d.srcPort = sp;
        d.dstPort = dp;
        d.l4 = l4;
        d.timestampNanos = ts;
        return d;
    }

    static void putFlow(VerdictTable t, String src, int sp, String dst, int dp, Verdict v) {
        long[] a = ip(src), b = ip(dst);
        t.putFlow(6, a[0], a[1], sp, b[0], b[1], dp, 0, v);
    }

    @Test
    void flowVerdictsHoldForBothDirectionsUntilRemoved() {
        VerdictTable t = new VerdictTable(Verdict.DEFAULT_ALLOW, 16);
        putFlow(t, "10.0.0.1", 40000, "192.0.2.1", 443, BLOCK);
        assertThat(t.lookup(packet("10.0.0.1", 40000, "192.0.2.1", 443, 6, 0))).isSameAs(BLOCK);
        assertThat(t.lookup(packet("192.0.2.1", 443, "10.0.0.1", 40000, 6, 0))).isSameAs(BLOCK);
        assertThat(t.lookup(packet("10.0.0.1", 40001, "192.0.2.1", 443, 6, 0))).isSameAs(Verdict.DEFAULT_ALLOW);
        assertThat(t.lookup(packet("10.0.0.1", 40000, "192.0.2.1", 443, 17, 0))).isSameAs(Verdict.DEFAULT_ALLOW);
        assertThat(t.lookupEvents(packet("10.0.0.1", 40000, "192.0.2.1", 443, 6, 0))).isNull();
        long[] a = ip("192.0.2.1"), b = ip("10.0.0.1");
        t.removeFlow(6, a[0], a[1], 443, b[0], b[1], 40000, 0);   // the other direction names the same flow
        assertThat(t.lookup(packet("10.0.0.1", 40000, "192.0.2.1", 443, 6, 0))).isSameAs(Verdict.DEFAULT_ALLOW);
        assertThat(t.size()).isZero();
    }

    @Test
    void addressVerdictsHoldInTheirWindowAndTheFirstRuleWins() {
        VerdictTable t = new VerdictTable(Verdict.DEFAULT_ALLOW, 16);
        long[] spammer = ip("10.0.0.66");
        assertThat(t.putAddress(spammer[0], spammer[1], BLOCK, 1000, 2000)).isTrue();
        assertThat(t.lookup(packet("10.0.0.66", 1, "192.0.2.25", 25, 6, 999))).isSameAs(Verdict.DEFAULT_ALLOW);
        assertThat(t.lookup(packet("10.0.0.66", 1, "192.0.2.25", 25, 6, 1000))).isSameAs(BLOCK);
        assertThat(t.lookup(packet("192.0.2.25", 25, "10.0.0.66", 1, 6, 1999))).isSameAs(BLOCK);
        assertThat(t.lookup(packet("10.0.0.66", 1, "192.0.2.25", 25, 6, 2000))).isSameAs(Verdict.DEFAULT_ALLOW);
        // a later rule does not replace an earlier one in force; the earlier wins over a flow's later rule
        assertThat(t.putAddress(spammer[0], spammer[1], REPORT, 1500, 9000)).isFalse();
        putFlow(t, "10.0.0.66", 1, "192.0.2.25", 25, REPORT);
        assertThat(t.lookup(packet("10.0.0.66", 1, "192.0.2.25", 25, 6, 1500))).isSameAs(BLOCK);
        putFlow(t, "10.0.0.66", 1, "192.0.2.25", 25, PRIO);
        assertThat(t.lookup(packet("10.0.0.66", 1, "192.0.2.25", 25, 6, 1500))).isSameAs(PRIO);
        // after its window, it may be replaced
        assertThat(t.putAddress(spammer[0], spammer[1], REPORT, 2500, 9000)).isTrue();
        assertThat(t.address(spammer[0], spammer[1], 3000)).isSameAs(REPORT);
    }

    @Test
    void endpointsAndCallFlowsEndWithTheirCall() {
        VerdictTable t = new VerdictTable(Verdict.DEFAULT_ALLOW, 16);
        long[] m = ip("10.0.0.5");
        t.putEndpoint(m[0], m[1], 4000, 17, PRIO, 100, Long.MAX_VALUE);
        assertThat(t.lookup(packet("198.51.100.7", 9000, "10.0.0.5", 4000, 17, 150))).isSameAs(PRIO);
        assertThat(t.lookup(packet("10.0.0.5", 4000, "198.51.100.7", 9000, 17, 150))).isSameAs(PRIO);
        assertThat(t.lookup(packet("10.0.0.5", 4001, "198.51.100.7", 9000, 17, 150))).isSameAs(Verdict.DEFAULT_ALLOW);
        assertThat(t.lookupEvents(packet("10.0.0.5", 4000, "198.51.100.7", 9000, 17, 150))).isSameAs(PRIO);
        t.endEndpoint(m[0], m[1], 4000, 17, PRIO, 500);
        assertThat(t.lookup(packet("10.0.0.5", 4000, "198.51.100.7", 9000, 17, 499))).isSameAs(PRIO);
        assertThat(t.lookup(packet("10.0.0.5", 4000, "198.51.100.7", 9000, 17, 500))).isSameAs(Verdict.DEFAULT_ALLOW);
        long[] c = ip("10.0.0.5"), s = ip("192.0.2.60");
        t.putCallFlow(17, c[0], c[1], 5060, s[0], s[1], 5060, PRIO, 100);
        assertThat(t.lookup(packet("192.0.2.60", 5060, "10.0.0.5", 5060, 17, 200))).isSameAs(PRIO);
        t.endCallFlow(17, s[0], s[1], 5060, c[0], c[1], 5060, PRIO, 300);
        assertThat(t.lookup(packet("192.0.2.60", 5060, "10.0.0.5", 5060, 17, 300))).isSameAs(Verdict.DEFAULT_ALLOW);
    }

    @Test
    void callsSharingAnEndpointHoldItTogetherAndEarlierWindowsStay() {
        VerdictTable t = new VerdictTable(Verdict.DEFAULT_ALLOW, 16);
        long[] m = ip("10.0.0.5");
        t.putEndpoint(m[0], m[1], 4000, 17, PRIO, 100, Long.MAX_VALUE);    // call 1
        t.putEndpoint(m[0], m[1], 4000, 17, PRIO, 200, Long.MAX_VALUE);    // call 2, same endpoint
        t.endEndpoint(m[0], m[1], 4000, 17, PRIO, 300);                    // call 1 ends
        assertThat(t.lookup(packet("10.0.0.5", 4000, "198.51.100.7", 9000, 17, 350))).isSameAs(PRIO);
        t.endEndpoint(m[0], m[1], 4000, 17, PRIO, 400);                    // call 2 ends
        assertThat(t.lookup(packet("10.0.0.5", 4000, "198.51.100.7", 9000, 17, 400))).isSameAs(Verdict.DEFAULT_ALLOW);
        t.putEndpoint(m[0], m[1], 4000, 17, PRIO, 1000, Long.MAX_VALUE);   // call 3, later
        // a packet of call 1 still on its way through a worker is judged by its own time
        assertThat(t.lookup(packet("10.0.0.5", 4000, "198.51.100.7", 9000, 17, 150))).isSameAs(PRIO);
        assertThat(t.lookup(packet("10.0.0.5", 4000, "198.51.100.7", 9000, 17, 500))).isSameAs(Verdict.DEFAULT_ALLOW);
        assertThat(t.lookup(packet("10.0.0.5", 4000, "198.51.100.7", 9000, 17, 1000))).isSameAs(PRIO);
        // an alert raised again extends its address's window
        long[] a = ip("10.0.0.66");
        t.putAddress(a[0], a[1], BLOCK, 0, 100);
        t.putAddress(a[0], a[1], BLOCK, 50, 150);
        assertThat(t.address(a[0], a[1], 120)).isSameAs(BLOCK);
        assertThat(t.address(a[0], a[1], 150)).isNull();
    }

    @Test
    void boundedWithCountedEvictions() {
        VerdictTable t = new VerdictTable(Verdict.DEFAULT_ALLOW, 100);
        for (int i = 0; i < 1000; i++) {
            putFlow(t, "10.0.0.1", 1024 + i, "192.0.2.1", 80, BLOCK);
        }
        assertThat(t.size()).isEqualTo(100);
        assertThat(t.evicted()).isEqualTo(900);
        int found = 0;
        for (int i = 0; i < 1000; i++) {
            if (t.lookup(packet("10.0.0.1", 1024 + i, "192.0.2.1", 80, 6, 0)) == BLOCK) {
                found++;
            }
        }
        assertThat(found).isEqualTo(100);
        // passed windows are reused before anything is evicted
        VerdictTable u = new VerdictTable(Verdict.DEFAULT_ALLOW, 10);
        for (int i = 0; i < 10; i++) {
            u.putAddress(0, 0xffff_0a00_0000L + i, BLOCK, 0, 10);
        }
        u.putAddress(0, 0xffff_0a00_00ffL, BLOCK, 20, 30);
        assertThat(u.evicted()).isZero();
        assertThat(u.size()).isEqualTo(10);
    }

    @Test
    void lookupsAllocateNothing() {
        VerdictTable t = new VerdictTable(Verdict.DEFAULT_ALLOW, 1024);
        for (int i = 0; i < 500; i++) {
            putFlow(t, "10.0.0.1", 1024 + i, "192.0.2.1", 80, BLOCK);
        }
        long[] a = ip("10.0.0.66"), m = ip("10.0.0.5");
        t.putAddress(a[0], a[1], BLOCK, 0, Long.MAX_VALUE);
        t.putEndpoint(m[0], m[1], 4000, 17, PRIO, 0, Long.MAX_VALUE);
        DecodedPacket[] ps = {packet("10.0.0.1", 1100, "192.0.2.1", 80, 6, 5), packet("192.0.2.9", 80, "10.0.0.66", 5, 6, 5),
                packet("198.51.100.7", 9000, "10.0.0.5", 4000, 17, 5), packet("203.0.113.1", 1, "203.0.113.2", 2, 17, 5)};
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int i = 0; i < 200_000; i++) {   // warm up (JIT)
            sink += t.lookup(ps[i & 3]).index() + (t.lookupEvents(ps[i & 3]) == null ? 0 : 1);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000_000; i++) {
            sink += t.lookup(ps[i & 3]).index() + (t.lookupEvents(ps[i & 3]) == null ? 0 : 1);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(sink).isNotZero();
        assertThat(allocated).as("bytes allocated by 2 M lookups").isLessThan(10_000);
    }

    @Test
    void readersNeverSeeAnotherFlowsVerdictWhileWritersChurn() throws Exception {
        VerdictTable t = new VerdictTable(Verdict.DEFAULT_ALLOW, 512);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] writers = new Thread[2];
        for (int w = 0; w < writers.length; w++) {
            int id = w;
            writers[w] = Thread.ofPlatform().start(() -> {
                try {
                    Verdict mine = id == 0 ? BLOCK : REPORT;
                    for (int n = 0; n < 200_000; n++) {
                        int port = 1024 + id * 1000 + n % 300;
                        putFlow(t, "10.0.0." + (id + 1), port, "192.0.2.1", 80, mine);
                        if (n % 3 == 0) {
                            long[] a = ip("10.0.0." + (id + 1)), b = ip("192.0.2.1");
                            t.removeFlow(6, a[0], a[1], port, b[0], b[1], 80, 0);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
        }
        DecodedPacket p0 = packet("10.0.0.1", 1100, "192.0.2.1", 80, 6, 0);
        DecodedPacket p1 = packet("10.0.0.2", 2100, "192.0.2.1", 80, 6, 0);
        long reads = 0;
        while (writers[0].isAlive() || writers[1].isAlive()) {
            Verdict a = t.lookup(p0);
            Verdict b = t.lookup(p1);
            assertThat(a == BLOCK || a == Verdict.DEFAULT_ALLOW).as("writer 0's flow").isTrue();
            assertThat(b == REPORT || b == Verdict.DEFAULT_ALLOW).as("writer 1's flow").isTrue();
            reads++;
        }
        for (Thread w : writers) {
            w.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(reads).isPositive();
        assertThat(t.size()).isLessThanOrEqualTo(512);
    }
}
