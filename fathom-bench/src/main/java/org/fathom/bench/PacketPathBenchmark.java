package org.fathom.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.fathom.capture.CaptureException;
import org.fathom.capture.LinkType;
import org.fathom.capture.Packet;
import org.fathom.decode.DecodedPacket;
import org.fathom.decode.PacketDecoder;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-packet data path without dissection or records: decode, then account to the flow
 * table (flows that end are counted by a listener, not turned into records). One operation =
 * one packet.
 *
 * <ul>
 *   <li>{@code decodeAndUpdate}: frames from memory (the synthetic traffic, 200,000 frames,
 *       ~4,000 concurrent conversations), each copied into the reused {@link Packet} as the reader
 *       would, then decoded and accounted. Time moves on across passes, so flows end and start
 *       as in a long capture.</li>
 *   <li>{@code walkDecodeUpdate}: the same from the capture file through {@code CaptureReader}
 *       (or {@code -Dfathom.bench.pcap=FILE}): the whole single-threaded path, comparable with
 *       the "walk + decode + flow table" row of the shared benchmark figures.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "--enable-native-access=ALL-UNNAMED"})
public class PacketPathBenchmark {
    static final int CHUNK = 1 << 16;

    private final Packet packet = new Packet();
    private final DecodedPacket decoded = new DecodedPacket();
    private final PacketDecoder decoder = new PacketDecoder();
    private final PacketDecoder fileDecoder = new PacketDecoder();
    private FlowTable table;
    private FlowTable fileTable;
    private SyntheticTraffic traffic;
    private LoopingCapture capture;
    private int cursor;
    private long timeOffset;
    private long ended;

    private final ThreadCpu cpu = new ThreadCpu();

    @Setup(Level.Trial)
    public void setUp() throws IOException, CaptureException {
        traffic = SyntheticTraffic.generate(SyntheticTraffic.DEFAULT_PACKETS, 42);
        table = new FlowTable(FlowConfig.DEFAULTS, (t, f, reason) -> ended++);
        fileTable = new FlowTable(FlowConfig.DEFAULTS, (t, f, reason) -> ended++);
        capture = new LoopingCapture(SyntheticTraffic.capture());
        packet.linkType = LinkType.ETHERNET;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        capture.close();
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
    @OperationsPerInvocation(CHUNK)
    public long decodeAndUpdate() {
        cpu.ops += CHUNK;
        SyntheticTraffic t = traffic;
        Packet p = packet;
        long sum = 0;
        for (int i = 0; i < CHUNK; i++) {
            int k = cursor;
            if (++cursor == t.count) {
                cursor = 0;
                timeOffset += t.timestampNanos[t.count - 1] - t.timestampNanos[0] + 1_000_000_000L;
            }
            int n = t.length[k];
            System.arraycopy(t.blob, t.offset[k], p.data, 0, n);
            p.length = n;
            p.wireLength = n;
            p.timestampNanos = t.timestampNanos[k] + timeOffset;
            if (decoder.decode(p, decoded) == PacketDecoder.OK) {
                sum += table.update(decoded);
            }
        }
        return sum + ended;
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public long walkDecodeUpdate() {
        cpu.ops += CHUNK;
        long sum = 0;
        for (int i = 0; i < CHUNK; i++) {
            capture.next(packet);
            if (fileDecoder.decode(packet, decoded) == PacketDecoder.OK) {
                sum += fileTable.update(decoded);
            }
        }
        return sum + ended;
    }
}
