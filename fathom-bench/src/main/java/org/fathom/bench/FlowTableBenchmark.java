package org.fathom.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.fathom.decode.DecodedPacket;
import org.fathom.decode.IpProtocol;
import org.fathom.flow.FlowConfig;
import org.fathom.flow.FlowTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code FlowTable.update} on pre-decoded packets. One operation = one packet.
 *
 * <ul>
 *   <li>{@code existingFlows}: a working set of {@code flows} conversations (IPv4/IPv6, TCP/UDP),
 *       all already in the table; each packet belongs to a random one, in a random direction
 *       (lookup and accounting; from cache-resident at 1k to memory-bound at 1M).</li>
 *   <li>{@code newFlows}: every packet is a new flow into a full table of {@code flows}
 *       (insertion plus eviction of the stalest flow, reported to a listener).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class FlowTableBenchmark {
    static final int STREAM = 1 << 20;

    @Param({"1000", "100000", "1000000"})
    public int flows;

    private DecodedPacket[] stream;
    private FlowTable table;
    private FlowTable full;
    private final DecodedPacket fresh = new DecodedPacket();
    private long ended;
    private int nextFresh;

    private final ThreadCpu cpu = new ThreadCpu();

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(11);
        DecodedPacket[] conv = new DecodedPacket[flows];
        for (int i = 0; i < flows; i++) {
            conv[i] = conversation(rnd, i);
        }
        table = new FlowTable(FlowConfig.DEFAULTS.withMaxFlows(Math.max(flows, FlowConfig.DEFAULT_MAX_FLOWS)),
                (t, f, reason) -> ended++);
        for (DecodedPacket c : conv) {
            table.update(c);
        }
        stream = new DecodedPacket[STREAM];
        for (int i = 0; i < STREAM; i++) {
            DecodedPacket c = conv[rnd.nextInt(flows)];
            DecodedPacket d = rnd.nextBoolean() ? copy(c) : reverse(c);
            d.tcpFlags = c.l4 == IpProtocol.TCP ? 0x18 : 0; // PSH-ACK: established, no state churn
            d.wireBytes = 60 + rnd.nextInt(1400);
            d.timestampNanos = c.timestampNanos + i;
            stream[i] = d;
        }
        // the same number of flows, held full for the insertion benchmark
        full = new FlowTable(FlowConfig.DEFAULTS.withMaxFlows(flows), (t, f, reason) -> ended++);
        fresh.l4 = IpProtocol.UDP;
        fresh.srcHi = fresh.dstHi = 0;
        fresh.dstLo = 0xFFFF_5DB8_0001L; // 93.184.0.1
        fresh.dstPort = 53;
        fresh.frames = 1;
        fresh.wireBytes = 80;
        for (int i = 0; i < flows; i++) {
            nextFresh(1_700_000_000_000_000_000L);
            full.update(fresh);
        }
    }

    private void nextFresh(long ts) {
        int i = nextFresh++;
        fresh.srcLo = 0xFFFF_0A00_0000L | (i >>> 4 & 0xFF_FFFF);
        fresh.srcPort = 1024 + (i & 0xF);
        fresh.timestampNanos = ts;
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        cpu.start();
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        cpu.report();
    }

    @Benchmark
    @OperationsPerInvocation(STREAM)
    public long existingFlows() {
        cpu.ops += STREAM;
        long sum = 0;
        for (DecodedPacket d : stream) {
            sum += table.update(d);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(STREAM)
    public long newFlows() {
        cpu.ops += STREAM;
        long sum = 0;
        long ts = 1_700_000_000_000_000_000L;
        for (int i = 0; i < STREAM; i++) {
            nextFresh(ts);
            sum += full.update(fresh);
        }
        return sum + ended;
    }

    private static DecodedPacket conversation(SplittableRandom rnd, int i) {
        DecodedPacket d = new DecodedPacket();
        boolean v6 = rnd.nextInt(4) == 0;
        d.ipVersion = v6 ? 6 : 4;
        if (v6) {
            d.srcHi = 0x2001_0db8_000c_0000L | rnd.nextInt(0x10000);
            d.srcLo = rnd.nextLong();
            d.dstHi = 0x2001_0db8_0005_0000L;
            d.dstLo = 1 + rnd.nextInt(200);
        } else {
            d.srcLo = 0xFFFF_0A00_0000L | rnd.nextInt(1 << 24);
            d.dstLo = 0xFFFF_5DB8_0000L | rnd.nextInt(1 << 10);
        }
        d.l4 = rnd.nextInt(10) < 7 ? IpProtocol.TCP : IpProtocol.UDP;
        d.srcPort = 1024 + (i % 60_000);
        d.dstPort = d.l4 == IpProtocol.TCP ? 443 : 53;
        d.tcpFlags = d.l4 == IpProtocol.TCP ? 0x10 : 0;
        d.frames = 1;
        d.wireBytes = 66;
        d.timestampNanos = 1_700_000_000_000_000_000L;
        return d;
    }

    private static DecodedPacket copy(DecodedPacket p) {
        DecodedPacket d = new DecodedPacket();
        d.ipVersion = p.ipVersion;
        d.srcHi = p.srcHi;
        d.srcLo = p.srcLo;
        d.dstHi = p.dstHi;
        d.dstLo = p.dstLo;
        d.l4 = p.l4;
        d.srcPort = p.srcPort;
        d.dstPort = p.dstPort;
        d.vlan = p.vlan;
        d.frames = 1;
        return d;
    }

    private static DecodedPacket reverse(DecodedPacket p) {
        DecodedPacket d = copy(p);
        d.srcHi = p.dstHi;
        d.srcLo = p.dstLo;
        d.dstHi = p.srcHi;
        d.dstLo = p.srcLo;
        d.srcPort = p.dstPort;
        d.dstPort = p.srcPort;
        return d;
    }
}
