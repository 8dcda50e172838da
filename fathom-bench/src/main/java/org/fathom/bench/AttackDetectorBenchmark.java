package org.fathom.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.fathom.capture.CaptureException;
import org.fathom.capture.CaptureFiles;
import org.fathom.capture.CaptureReader;
import org.fathom.capture.LinkType;
import org.fathom.capture.Packet;
import org.fathom.decode.DecodedPacket;
import org.fathom.decode.PacketDecoder;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.privacy.PrivacyPolicy;
import org.fathom.security.AttackDetector;
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
 * {@code AttackDetector.onPacket}/{@code onFragment} as the dispatcher calls them
 * ({@code Engine.Dispatcher.analyze}), over real traffic, {@value #PACKETS} packets a pass: the first packets of
 * the capture named by {@code -Dfathom.bench.pcap} (e.g. the benchmark capture
 * /work/bench/bench.pcap; else a synthetic mix), followed by the attack captures of
 * fathom-core's tests (floods, spoofed floods, scans, a busy web server; directory
 * {@code -Dfathom.bench.attacks}, default {@code fathom-core/src/test/resources/captures/attacks}),
 * each shifted in time to follow the one before. The packets are decoded once at set-up, and
 * what the detector reads of them (addresses, ports, flags, sizes, time and the first
 * {@value #PAYLOAD} bytes of payload) is kept in flat arrays; per packet the benchmark fills one
 * reused {@link DecodedPacket} from them, as the dispatcher's decoder fills its reused one (hot in
 * cache, not one object per packet scattered over the heap). Each pass shifts capture time on by the span of the whole mix, so the detector sees
 * time going forward, its once-a-second sweep runs, alerts are raised and end, and tracked
 * destinations are admitted and evicted as in a capture. One operation = one packet.
 *
 * <p>The dispatcher runs C1-compiled ({@code -XX:TieredStopAtLevel=1}, see ./fathom): run with
 * {@code -jvmArgsAppend -XX:TieredStopAtLevel=1} for the figure that matters.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
public class AttackDetectorBenchmark {
    /** Packets per pass: the first of the main capture, then the attack captures (a short mix is repeated). */
    static final int PACKETS = 1 << 19;
    static final long SEC = 1_000_000_000L;
    /** Payload bytes kept per packet: the detector looks at most at 8 ("RCPT TO:", "REGISTER"). */
    static final int PAYLOAD = 16;

    /** Per packet: srcHi, srcLo, dstHi, dstLo, wireBytes. */
    private long[] addr;
    /** Per packet: l4 << 16 | tcpFlags << 8 | icmpType, srcPort << 16 | dstPort, payloadLength, frames. */
    private int[] meta;
    /** The first payload bytes, {@value #PAYLOAD} per packet. */
    private byte[] payload;
    private boolean[] fragment;
    private long[] ts;
    private final DecodedPacket d = new DecodedPacket();
    private int n;
    private long span;
    private long shift;

    private AttackDetector detector;
    private PrivacyGuard guard;
    private Path state;

    private final ThreadCpu cpu = new ThreadCpu();

    @Setup(Level.Trial)
    public void setUp() throws IOException, CaptureException {
        // the attack captures first (to know how many there are), rebased to start at 0
        List<DecodedPacket> atk = new ArrayList<>();
        List<Boolean> atkFrag = new ArrayList<>();
        long atkEnd = 0;
        Path attacks = Path.of(System.getProperty("fathom.bench.attacks", "fathom-core/src/test/resources/captures/attacks"));
        if (Files.isDirectory(attacks)) {
            try (Stream<Path> files = Files.list(attacks)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".pcap")).sorted().toList()) {
                    atkEnd = read(f, Integer.MAX_VALUE, atk, atkFrag, atkEnd);
                }
            }
        } else {
            System.out.println("[no attack captures at " + attacks + "]");
        }
        List<DecodedPacket> ps = new ArrayList<>();
        List<Boolean> frag = new ArrayList<>();
        String named = System.getProperty(SyntheticTraffic.PCAP_PROPERTY);
        long end = 0;
        if (named != null && !named.isBlank()) {
            end = read(Path.of(named), PACKETS - atk.size(), ps, frag, end);
        } else {
            SyntheticTraffic t = SyntheticTraffic.generate(SyntheticTraffic.DEFAULT_PACKETS, 7);
            PacketDecoder decoder = new PacketDecoder();
            Packet p = new Packet();
            for (int i = 0; i < t.count && ps.size() < PACKETS - atk.size(); i++) {
                System.arraycopy(t.blob, t.offset[i], p.data, 0, t.length[i]);
                p.offset = 0;
                p.length = p.frameLength = p.wireLength = t.length[i];
                p.timestampNanos = t.timestampNanos[i];
                p.linkType = LinkType.ETHERNET;
                add(decoder, p, ps, frag, 0);
            }
            end = ps.isEmpty() ? 0 : ps.getLast().timestampNanos + SEC;
        }
        // the attacks follow the main capture in time
        for (DecodedPacket d : atk) {
            d.timestampNanos += end;
        }
        end += atkEnd;
        ps.addAll(atk);
        frag.addAll(atkFrag);
        int distinct = ps.size();
        if (distinct == 0) {
            throw new IllegalStateException("no packets");
        }
        // a short mix is repeated (same packet objects, later time) to fill the pass
        n = PACKETS;
        addr = new long[5 * n];
        meta = new int[4 * n];
        payload = new byte[PAYLOAD * n];
        fragment = new boolean[n];
        ts = new long[n];
        for (int i = 0; i < n; i++) {
            int k = i % distinct;
            DecodedPacket p = ps.get(k);
            addr[5 * i] = p.srcHi;
            addr[5 * i + 1] = p.srcLo;
            addr[5 * i + 2] = p.dstHi;
            addr[5 * i + 3] = p.dstLo;
            addr[5 * i + 4] = p.wireBytes;
            meta[4 * i] = p.l4 << 16 | p.tcpFlags << 8 | p.icmpType;
            meta[4 * i + 1] = p.srcPort << 16 | p.dstPort;
            meta[4 * i + 2] = p.payloadLength;
            meta[4 * i + 3] = p.frames;
            System.arraycopy(p.buf, 0, payload, PAYLOAD * i, PAYLOAD);
            fragment[i] = frag.get(k);
            ts[i] = ps.get(k).timestampNanos + (long) (i / distinct) * (end + 10 * SEC);
        }
        end = ts[n - 1] + SEC;
        System.out.println("[" + distinct + " distinct packets (" + atk.size() + " from attack captures), "
                + frag.stream().filter(b -> b).count() + " fragments]");
        span = end + 10 * SEC;   // a quiet gap between passes: the alerts of one pass end before the next
        System.out.println("[" + (span / SEC) + " s of capture time per pass]");
        state = Files.createTempDirectory("fathom-bench-attack");
        PrivacyPolicy policy = PrivacyPolicy.defaults().withAuditLog(state.resolve("audit.log"))
                .withKeyFile(state.resolve("pseudonym.key"));
        guard = new PrivacyGuard(policy, AuditLog.open(policy.auditLog()), List.of());
        detector = new AttackDetector(guard);
    }

    /** Appends up to {@code max} packets of {@code file}, its time rebased to start at {@code start}; returns its end. */
    private static long read(Path file, int max, List<DecodedPacket> ps, List<Boolean> frag, long start)
            throws IOException, CaptureException {
        PacketDecoder decoder = new PacketDecoder();
        long first = Long.MIN_VALUE, last = start;
        try (CaptureReader r = CaptureFiles.open(file)) {
            Packet p = new Packet();
            int k = 0;
            while (k++ < max && r.next(p)) {
                if (first == Long.MIN_VALUE) first = p.timestampNanos;
                long t = start + Math.max(0, p.timestampNanos - first);
                DecodedPacket d = add(decoder, p, ps, frag, t - p.timestampNanos);
                if (d != null) last = Math.max(last, d.timestampNanos);
            }
        }
        return last + SEC;
    }

    private static DecodedPacket add(PacketDecoder decoder, Packet p, List<DecodedPacket> ps, List<Boolean> frag, long shift) {
        DecodedPacket d = new DecodedPacket();
        int r = decoder.decode(p, d);
        if (r != PacketDecoder.OK && r != PacketDecoder.FRAGMENT) {
            return null;
        }
        // keep only the first payload bytes, at offset 0: the detector reads no more
        byte[] b = new byte[PAYLOAD];
        int len = d.buf == null ? 0 : Math.max(0, Math.min(PAYLOAD, Math.min(d.payloadLength, d.buf.length - d.payloadOffset)));
        if (len > 0) System.arraycopy(d.buf, d.payloadOffset, b, 0, len);
        d.buf = b;
        d.payloadOffset = 0;
        d.timestampNanos += shift;
        ps.add(d);
        frag.add(r == PacketDecoder.FRAGMENT);
        return d;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        detector.finish(guard);
        guard.close();
        try (var files = Files.walk(state)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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

    /** One pass over the whole mix. */
    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public int packets() {
        AttackDetector a = detector;
        DecodedPacket p = d;
        long[] ad = addr;
        int[] m = meta;
        boolean[] fr = fragment;
        long[] t = ts;
        long s = shift;
        int count = n;
        p.buf = payload;
        for (int i = 0; i < count; i++) {
            p.srcHi = ad[5 * i];
            p.srcLo = ad[5 * i + 1];
            p.dstHi = ad[5 * i + 2];
            p.dstLo = ad[5 * i + 3];
            p.wireBytes = ad[5 * i + 4];
            int x = m[4 * i];
            p.l4 = x >>> 16;
            p.tcpFlags = x >>> 8 & 0xFF;
            p.icmpType = x & 0xFF;
            int ports = m[4 * i + 1];
            p.srcPort = ports >>> 16;
            p.dstPort = ports & 0xFFFF;
            p.payloadLength = m[4 * i + 2];
            p.frames = m[4 * i + 3];
            p.payloadOffset = PAYLOAD * i;
            p.timestampNanos = t[i] + s;
            if (fr[i]) a.onFragment(p); else a.onPacket(p);
        }
        shift = s + span;
        cpu.ops += count;
        return count;
    }
}
