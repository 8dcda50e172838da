package org.fathom.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.fathom.capture.CaptureException;
import org.fathom.capture.CaptureFiles;
import org.fathom.capture.CaptureReader;
import org.fathom.capture.LinkType;
import org.fathom.capture.Packet;
import org.fathom.decode.DecodedPacket;
import org.fathom.decode.PacketDecoder;
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
 * {@code PacketDecoder.decode} over a pre-built array of mixed frames (link layer to L4 into the
 * reused {@link DecodedPacket}). Frames are cache-hot, as they are in the data path right after
 * the reader copied them. With {@code -Dfathom.bench.pcap=FILE} the frames are the first
 * {@value #PACKETS} records of that capture. One operation = one frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
public class DecodeBenchmark {
    /** Each Packet holds a 256 KiB buffer: 2,048 of them take 512 MiB. */
    static final int PACKETS = 2048;

    private final Packet[] packets = new Packet[PACKETS];
    private final DecodedPacket out = new DecodedPacket();
    private final PacketDecoder decoder = new PacketDecoder();

    private final ThreadCpu cpu = new ThreadCpu();

    @Setup(Level.Trial)
    public void setUp() throws IOException, CaptureException {
        String named = System.getProperty(SyntheticTraffic.PCAP_PROPERTY);
        if (named != null && !named.isBlank()) {
            System.out.println("[first " + PACKETS + " records of " + named + "]");
            try (CaptureReader r = CaptureFiles.open(Path.of(named))) {
                int n = 0;
                Packet p = new Packet();
                while (n < PACKETS && r.next(p)) {
                    packets[n++] = p;
                    p = new Packet();
                }
                // a short capture: repeat what it has
                for (int i = n; i < PACKETS; i++) {
                    packets[i] = packets[i % n];
                }
            }
            return;
        }
        SyntheticTraffic t = SyntheticTraffic.generate(PACKETS, 7);
        for (int i = 0; i < PACKETS; i++) {
            Packet p = new Packet();
            System.arraycopy(t.blob, t.offset[i], p.data, 0, t.length[i]);
            p.length = p.wireLength = t.length[i];
            p.timestampNanos = t.timestampNanos[i];
            p.linkType = LinkType.ETHERNET;
            packets[i] = p;
        }
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
    @OperationsPerInvocation(PACKETS)
    public long decode() {
        cpu.ops += PACKETS;
        long sum = 0;
        for (Packet p : packets) {
            sum += decoder.decode(p, out) + out.srcPort + out.dstLo;
        }
        return sum;
    }
}
