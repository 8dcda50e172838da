package org.fathom.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.fathom.capture.CaptureException;
import org.fathom.capture.Packet;
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
 * Walks the records of a capture with {@code CaptureReader.next}: the memory-bound floor of the
 * whole data path (each record is copied once into the reused {@link Packet}). The capture is the
 * file named by {@code -Dfathom.bench.pcap=FILE}, else a synthetic one of 200,000 mixed frames.
 * One operation = one record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class PcapWalkBenchmark {
    static final int CHUNK = 1 << 16;

    private final Packet packet = new Packet();
    private LoopingCapture capture;

    private final ThreadCpu cpu = new ThreadCpu();

    @Setup(Level.Trial)
    public void setUp() throws IOException, CaptureException {
        Path file = SyntheticTraffic.capture();
        capture = new LoopingCapture(file);
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
    public long walk() {
        cpu.ops += CHUNK;
        long bytes = 0;
        for (int i = 0; i < CHUNK; i++) {
            capture.next(packet);
            bytes += packet.wireLength;
        }
        return bytes;
    }
}
