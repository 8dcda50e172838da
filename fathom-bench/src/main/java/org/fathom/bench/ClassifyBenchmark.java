package org.fathom.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.fathom.decode.DecodedPacket;
import org.fathom.decode.IpProtocol;
import org.fathom.flow.FlowConfig;
import org.fathom.flow.FlowTable;
import org.fathom.protocol.Classifier;
import org.fathom.protocol.ProtocolRegistry;
import org.fathom.protocol.ServiceCatalog;
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
 * The classification probe loop: every packet is the first payload packet of a new flow, given to
 * {@code Classifier.onPacket} with the shipped registry and catalogs, into a full flow table whose
 * evictions make the verdict ({@code Classifier.finish}). One operation = one new flow.
 *
 * <ul>
 *   <li>{@code traffic=unknown}: random payloads (16–300 bytes) on random high ports over TCP and
 *       UDP: no dissector matches, every one of the transport is probed (the worst case, and the
 *       one that grows with the number of protocols).</li>
 *   <li>{@code traffic=mixed}: a quarter unknown as above, the rest DNS queries, HTTP requests,
 *       STUN binding requests and TLS-looking records on their own ports.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ClassifyBenchmark {
    static final int FLOWS = 1 << 16;

    @Param({"unknown", "mixed"})
    public String traffic;

    private DecodedPacket[] packets;
    private FlowTable table;
    private Classifier classifier;
    private long ended;
    private long ts = 1_700_000_000_000_000_000L;
    private final ThreadCpu cpu = new ThreadCpu();

    @Setup(Level.Trial)
    public void setUp() {
        classifier = new Classifier(ProtocolRegistry.defaults(), ServiceCatalog.bundled());
        table = new FlowTable(FlowConfig.DEFAULTS.withMaxFlows(FLOWS / 4), (t, f, reason) -> {
            ended += classifier.finish(t, f).application().length();
        });
        SplittableRandom rnd = new SplittableRandom(15);
        packets = new DecodedPacket[FLOWS];
        for (int i = 0; i < FLOWS; i++) {
            packets[i] = packet(rnd, i, traffic.equals("unknown") || rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(4));
        }
    }

    private static DecodedPacket packet(SplittableRandom rnd, int i, int kind) {
        DecodedPacket d = new DecodedPacket();
        d.ipVersion = 4;
        d.srcLo = 0xFFFF_0A00_0000L | (i & 0xFF_FFFF);
        d.dstLo = 0xFFFF_C633_6400L | rnd.nextInt(256); // 198.51.100.x
        d.srcPort = 1024 + rnd.nextInt(60000);
        d.frames = 1;
        d.ttl = 64;
        byte[] p;
        switch (kind) {
            case 1 -> { // DNS query for www.example.com A
                d.l4 = IpProtocol.UDP;
                d.dstPort = 53;
                p = hex("12340100000100000000000003777777076578616d706c6503636f6d0000010001");
            }
            case 2 -> { // HTTP request
                d.l4 = IpProtocol.TCP;
                d.dstPort = 80;
                p = "GET /index.html HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: bench\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            }
            case 3 -> { // STUN binding request
                d.l4 = IpProtocol.UDP;
                d.dstPort = 3478;
                p = hex("000100002112a442b7e7a701bc34d686fa87dfae");
            }
            case 4 -> { // a TLS application-data record joined mid-stream
                d.l4 = IpProtocol.TCP;
                d.dstPort = 443;
                p = new byte[200];
                rnd.nextBytes(p);
                p[0] = 0x17;
                p[1] = 3;
                p[2] = 3;
                p[3] = 0;
                p[4] = (byte) 195;
            }
            default -> {
                d.l4 = rnd.nextBoolean() ? IpProtocol.TCP : IpProtocol.UDP;
                d.dstPort = 20000 + rnd.nextInt(40000);
                p = new byte[16 + rnd.nextInt(285)];
                rnd.nextBytes(p);
            }
        }
        d.tcpFlags = d.l4 == IpProtocol.TCP ? DecodedPacket.TCP_ACK | DecodedPacket.TCP_PSH : 0;
        d.tcpSeq = 1000;
        d.buf = p;
        d.payloadOffset = 0;
        d.payloadLength = p.length;
        d.wireBytes = 54 + p.length;
        return d;
    }

    private static byte[] hex(String h) {
        return java.util.HexFormat.of().parseHex(h);
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
    @OperationsPerInvocation(FLOWS)
    public long newFlows() {
        cpu.ops += FLOWS;
        long sum = 0;
        for (DecodedPacket d : packets) {
            d.timestampNanos = ts += 10_000;
            // a new source port each pass, so every packet starts a flow
            d.srcPort = d.srcPort == 65535 ? 1024 : d.srcPort + 1;
            int f = table.update(d);
            sum += classifier.onPacket(table, f, d) ? 1 : 0;
        }
        return sum + ended;
    }
}
