package org.fathom.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.fathom.decode.DecodedPacket;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.privacy.PrivacyPolicy;
import org.fathom.voip.CallAnalyzer;
import org.fathom.voip.CallConfig;
import org.fathom.voip.CallStats;
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
 * {@code CallAnalyzer.onPacket} on the RTP packets of {@code calls} answered calls (two media
 * streams each, so 2 K calls are 4 K streams), as the dispatcher hands them over: one reused
 * {@link DecodedPacket} and payload buffer (hot, as right after the copy), the per-stream state
 * cold. Each packet belongs to a random stream and carries that stream's next sequence number and
 * timestamp; capture time advances so each stream sees a packet about every 20 ms, and the
 * analyzer's once-a-second sweep runs as in a capture. One operation = one RTP packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class CallAnalyzerBenchmark {
    static final int STREAM = 1 << 20;
    static final long SEC = 1_000_000_000L;

    @Param({"2000", "20000"})
    public int calls;

    private CallAnalyzer analyzer;
    private PrivacyGuard guard;
    private Path state;
    private int streams;
    /** Per stream, interleaved so the harness costs one cache line per packet: source, destination, ports, sequence. */
    private long[] st;
    private int[] order;
    private final DecodedPacket d = new DecodedPacket();
    private final byte[] rtp = new byte[12 + 160];
    private long now = 1_700_000_000L * SEC;
    private long step;

    private final ThreadCpu cpu = new ThreadCpu();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        state = Files.createTempDirectory("fathom-bench-calls");
        PrivacyPolicy policy = PrivacyPolicy.defaults().withAuditLog(state.resolve("audit.log"))
                .withKeyFile(state.resolve("pseudonym.key"));
        guard = new PrivacyGuard(policy, AuditLog.open(policy.auditLog()), List.of());
        analyzer = new CallAnalyzer(CallConfig.defaults().withMaxDialogs(Math.max(calls, 100_000)), new CallStats(), guard);
        streams = 2 * calls;
        st = new long[4 * streams];
        SplittableRandom rnd = new SplittableRandom(16);
        for (int c = 0; c < calls; c++) {
            long caller = 0xFFFF_0A00_0000L | (c & 0xFFFF);          // 10.0.x.x phones
            long callee = 0xFFFF_AC10_0000L | (c * 7 & 0xFFFF);      // 172.16.x.x gateways
            int cport = 10_000 + 2 * (c % 20_000);
            int sport = 30_000 + 2 * (c % 15_000);
            String id = "bench-" + c;
            sip(caller, 5060, callee, 5060, invite(id, caller, cport));
            sip(callee, 5060, caller, 5060, ok(id, callee, sport));
            sip(caller, 5060, callee, 5060, ack(id));
            int up = 8 * c;
            st[up] = caller;
            st[up + 1] = callee;
            st[up + 2] = (long) cport << 16 | sport;
            st[up + 3] = rnd.nextInt(65_536);
            st[up + 4] = callee;
            st[up + 5] = caller;
            st[up + 6] = (long) sport << 16 | cport;
            st[up + 7] = rnd.nextInt(65_536);
        }
        if (analyzer.openCalls() != calls) {
            throw new IllegalStateException(analyzer.openCalls() + " calls open, wanted " + calls);
        }
        order = new int[STREAM];
        for (int i = 0; i < STREAM; i++) {
            order[i] = rnd.nextInt(streams);
        }
        step = 20_000_000L / streams;   // every stream about every 20 ms
        rtp[0] = (byte) 0x80;
        rtp[1] = 8;                      // PCMA
        d.ipVersion = 4;
        d.l4 = 17;
        d.buf = rtp;
        d.payloadOffset = 0;
        d.payloadLength = rtp.length;
        d.frames = 1;
        d.wireBytes = 14 + 20 + 8 + rtp.length;
    }

    private void sip(long src, int sp, long dst, int dp, String msg) {
        byte[] b = msg.getBytes(StandardCharsets.ISO_8859_1);
        DecodedPacket p = new DecodedPacket();
        p.ipVersion = 4;
        p.l4 = 17;
        p.srcLo = src;
        p.dstLo = dst;
        p.srcPort = sp;
        p.dstPort = dp;
        p.buf = b;
        p.payloadLength = b.length;
        p.timestampNanos = now;
        analyzer.onPacket(p);
    }

    private static String sdp(long addr, int port) {
        return "v=0\r\no=- 1 1 IN IP4 x\r\ns=-\r\nc=IN IP4 " + ip(addr) + "\r\nt=0 0\r\nm=audio " + port
                + " RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
    }

    private static String ip(long a) {
        return (a >>> 24 & 0xFF) + "." + (a >>> 16 & 0xFF) + "." + (a >>> 8 & 0xFF) + "." + (a & 0xFF);
    }

    private static String invite(String id, long addr, int port) {
        String body = sdp(addr, port);
        return "INVITE sip:bob@example.net SIP/2.0\r\nVia: SIP/2.0/UDP x;branch=z9hG4bK-" + id + "\r\nFrom: <sip:alice@example.org>;tag=1\r\n"
                + "To: <sip:bob@example.net>\r\nCall-ID: " + id + "\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
    }

    private static String ok(String id, long addr, int port) {
        String body = sdp(addr, port);
        return "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP x;branch=z9hG4bK-" + id + "\r\nFrom: <sip:alice@example.org>;tag=1\r\n"
                + "To: <sip:bob@example.net>;tag=2\r\nCall-ID: " + id + "\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
    }

    private static String ack(String id) {
        return "ACK sip:bob@example.net SIP/2.0\r\nVia: SIP/2.0/UDP x;branch=z9hG4bK-a" + id + "\r\nFrom: <sip:alice@example.org>;tag=1\r\n"
                + "To: <sip:bob@example.net>;tag=2\r\nCall-ID: " + id + "\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
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
        if (analyzer.openCalls() != calls) {
            throw new IllegalStateException("calls ended during the benchmark: " + analyzer.openCalls());
        }
    }

    @Benchmark
    @OperationsPerInvocation(STREAM)
    public long rtpPackets() {
        cpu.ops += STREAM;
        DecodedPacket p = d;
        byte[] b = rtp;
        int[] o = order;
        for (int i = 0; i < STREAM; i++) {
            int s = o[i];
            int k = 4 * s;
            long[] a = st;
            int q = (int) a[k + 3] + 1;
            a[k + 3] = q;
            long ts = q * 160L;
            b[2] = (byte) (q >> 8);
            b[3] = (byte) q;
            b[4] = (byte) (ts >> 24);
            b[5] = (byte) (ts >> 16);
            b[6] = (byte) (ts >> 8);
            b[7] = (byte) ts;
            b[11] = (byte) s;
            b[10] = (byte) (s >> 8);
            b[9] = (byte) (s >> 16);
            p.srcLo = a[k];
            p.dstLo = a[k + 1];
            long ports = a[k + 2];
            p.srcPort = (int) (ports >>> 16);
            p.dstPort = (int) ports & 0xFFFF;
            now += step;
            p.timestampNanos = now;
            analyzer.onPacket(p);
        }
        return now;
    }
}
