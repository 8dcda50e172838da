package org.fathom.pipeline;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.fathom.bench.SyntheticTraffic;
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
 * The engine's hand-over of a frame from the dispatcher to a worker ({@link PacketRing}): the
 * benchmark thread is the dispatcher (header decode, owner hash, copy into the ring), a second
 * thread the worker (take, decode in place, release). One operation = one packet; the score is the
 * dispatcher's time per packet, and {@code -prof gc} counts what both threads allocate.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "--enable-native-access=ALL-UNNAMED"})
public class DispatchBenchmark {
    static final int CHUNK = 1 << 14;

    private SyntheticTraffic traffic;
    private final Packet packet = new Packet();
    private final PacketDecoder probe = PacketDecoder.headersOnly();
    private final DecodedPacket headers = new DecodedPacket();
    private PacketRing ring;
    private Thread worker;
    private volatile boolean stop;
    private final AtomicLong decoded = new AtomicLong();
    private int cursor;

    @Setup(Level.Trial)
    public void setUp() {
        traffic = SyntheticTraffic.generate(SyntheticTraffic.DEFAULT_PACKETS, 42);
        packet.linkType = LinkType.ETHERNET;
        ring = new PacketRing();
        worker = Thread.ofPlatform().daemon().start(() -> {
            Packet view = new Packet(ring.arena);
            PacketDecoder decoder = new PacketDecoder();
            DecodedPacket d = new DecodedPacket();
            long n = 0;
            while (true) {
                int k = ring.take(view);
                if (k == PacketRing.END) {
                    ring.release();
                    break;
                }
                if (decoder.decode(view, d) == PacketDecoder.OK) {
                    n++;
                }
                ring.release();
            }
            decoded.set(n);
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        ring.signal(PacketRing.END, 0);
        worker.join();
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public long handOver() {
        SyntheticTraffic t = traffic;
        Packet p = packet;
        long owners = 0;
        for (int i = 0; i < CHUNK; i++) {
            int c = cursor;
            cursor = c + 1 == t.count ? 0 : c + 1;
            int len = t.length[c];
            System.arraycopy(t.blob, t.offset[c], p.data, 0, len);
            p.length = p.frameLength = len;
            p.wireLength = len;
            p.timestampNanos = c;
            if (probe.decode(p, headers) == PacketDecoder.OK) {
                owners += Engine.owner(headers, 2);
            }
            int at = ring.claim(len);
            System.arraycopy(p.data, 0, ring.arena, at, len);
            ring.commit(PacketRing.PACKET, at, p, len, c);
        }
        ring.publish();
        return owners;
    }
}
