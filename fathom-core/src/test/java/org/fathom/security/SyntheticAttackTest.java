package org.fathom.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.fathom.decode.DecodedPacket;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.privacy.PrivacyPolicy;
import org.fathom.record.AlertRecord;
import org.fathom.record.CollectingSink;
import org.fathom.testing.Analyze;
import org.junit.jupiter.api.Test;

/** Vectors without a recorded capture, fed to the detector packet by packet. */
class SyntheticAttackTest {
    static final long V4 = 0xffffL << 32;

    static List<AlertRecord> run(java.util.function.Consumer<java.util.function.Consumer<DecodedPacket>> gen) throws Exception {
        PrivacyPolicy policy = Analyze.labPolicy();
        CollectingSink sink = new CollectingSink();
        try (PrivacyGuard guard = new PrivacyGuard(policy, AuditLog.open(policy.auditLog()), List.of(sink))) {
            AttackDetector det = new AttackDetector(guard);
            gen.accept(det::onPacket);
            det.finish(guard);
        }
        return sink.alerts();
    }

    static List<AlertRecord> runWith(List<AttackDetector.NetworkThresholds> rules,
                                     java.util.function.Consumer<java.util.function.Consumer<DecodedPacket>> gen) throws Exception {
        PrivacyPolicy policy = Analyze.labPolicy();
        CollectingSink sink = new CollectingSink();
        try (PrivacyGuard guard = new PrivacyGuard(policy, AuditLog.open(policy.auditLog()), List.of(sink))) {
            AttackDetector det = new AttackDetector(guard, rules, 4096);
            gen.accept(det::onPacket);
            det.finish(guard);
        }
        return sink.alerts();
    }

    static DecodedPacket packet(long ts, int src, int sport, int dst, int dport, int l4, int flags, int bytes) {
        DecodedPacket d = new DecodedPacket();
        d.ipVersion = 4;
        d.srcLo = V4 | (src & 0xffffffffL);
        d.dstLo = V4 | (dst & 0xffffffffL);
        d.srcPort = sport;
        d.dstPort = dport;
        d.l4 = l4;
        d.tcpFlags = flags;
        d.frames = 1;
        d.wireBytes = bytes;
        d.timestampNanos = ts;
        d.buf = new byte[0];
        return d;
    }

    static List<AlertRecord> runFragments(java.util.function.Consumer<java.util.function.Consumer<DecodedPacket>> gen) throws Exception {
        PrivacyPolicy policy = Analyze.labPolicy();
        CollectingSink sink = new CollectingSink();
        try (PrivacyGuard guard = new PrivacyGuard(policy, AuditLog.open(policy.auditLog()), List.of(sink))) {
            AttackDetector det = new AttackDetector(guard);
            gen.accept(det::onFragment);
            det.finish(guard);
        }
        return sink.alerts();
    }

    @Test
    void fragmentsThatNeverCompleteAreAFragmentFlood() throws Exception {
        List<AlertRecord> a = runFragments(out -> {
            long t0 = 1_700_000_000_000_000_000L;
            for (int i = 0; i < 3000; i++) {   // 2,000 fragments/s for 1.5 s from 50 sources, never reassembled
                DecodedPacket d = packet(t0 + i * 500_000L, 0x0A000000 + i % 50, 0, 0xC6336401, 0, 0, 0, 1514);
                out.accept(d);
            }
        });
        assertEquals(1, a.size(), a.toString());
        assertEquals("fragment_flood", a.getFirst().kind());
        assertEquals(3000.0, a.getFirst().packets(), 600.0);
    }

    @Test
    void dnsReflectionIsDnsAmplification() throws Exception {
        List<AlertRecord> a = run(out -> {
            long t0 = 1_700_000_000_000_000_000L;
            for (int i = 0; i < 3000; i++) {   // 3,000 responses of 1,400 bytes in 1.5 s from 300 resolvers
                out.accept(packet(t0 + i * 500_000L, 0x08080000 + i % 300, 53, 0xC6336401, 40000 + i % 1000, 17, 0, 1400));
            }
        });
        assertEquals(1, a.size(), a.toString());
        assertEquals("dns_amplification", a.getFirst().kind());
        assertEquals(53, a.getFirst().targetPort());
        assertEquals(3000.0, a.getFirst().packets(), 200.0);
    }

    /**
     * Issue 16 item 3: DNS reflection at a victim, then NTP monlist reflection at the same victim
     * and port ten seconds later (while the DNS flood still runs, and after it stopped): each
     * vector raises its own alert, with its own start, size and delay.
     */
    @Test
    void aSecondVectorOnTheSameVictimRaisesItsOwnAlert() throws Exception {
        for (int dnsSeconds : new int[] {15, 3}) {
            List<AlertRecord> a = run(out -> {
                long t0 = 1_700_000_000_000_000_000L;
                long step = 500_000L;                    // 2,000 responses/s of each vector
                long dnsEnd = dnsSeconds * 1_000_000_000L;
                long ntpStart = 10_000_000_000L, ntpEnd = 25_000_000_000L;
                for (long t = 0; t < ntpEnd; t += step) {
                    int i = (int) (t / step);
                    if (t < dnsEnd) {
                        out.accept(packet(t0 + t, 0x08080000 + i % 300, 53, 0xC6336401, 40000, 17, 0, 1400));
                    }
                    if (t >= ntpStart) {
                        out.accept(packet(t0 + t + 1000, 0x0A0B0000 + i % 200, 123, 0xC6336401, 40000, 17, 0, 482));
                    }
                }
            });
            assertEquals(2, a.size(), dnsSeconds + " s of DNS: " + a);
            AlertRecord dns = a.stream().filter(x -> x.kind().equals("dns_amplification")).findFirst().orElseThrow();
            AlertRecord ntp = a.stream().filter(x -> x.kind().equals("ntp_amplification")).findFirst().orElseThrow();
            assertEquals(53, dns.targetPort());
            assertEquals(123, ntp.targetPort());
            assertEquals(2000.0 * dnsSeconds, dns.packets(), 200.0);
            assertEquals(30_000.0, ntp.packets(), 200.0);
            assertEquals(10_000.0, (ntp.startNanos() - dns.startNanos()) / 1e6, 100.0);
        }
    }

    static DecodedPacket withPayload(DecodedPacket d, String payload) {
        d.buf = payload.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        d.payloadOffset = 0;
        d.payloadLength = d.buf.length;
        d.wireBytes += d.buf.length;
        return d;
    }

    static final int SYN = DecodedPacket.TCP_SYN, ACK = DecodedPacket.TCP_ACK, PSH = DecodedPacket.TCP_PSH;

    /**
     * Issue 16 item 4: one client fetching pages and assets from one web server in bursts: 20
     * connections in a second, 30 requests each (1,200 requests/s while a burst lasts, peak over
     * 3,500 packets/s), then a few quiet seconds; every request answered: busy, but not a flood.
     */
    @Test
    void oneBusyWellBehavedClientIsNotAnHttpFlood() throws Exception {
        List<AlertRecord> a = run(out -> {
            long t0 = 1_700_000_000_000_000_000L;
            int client = 0x0A000005, server = 0xC6336410;
            for (int sec = 0; sec < 16; sec += 4) {
                for (int c = 0; c < 20; c++) {                     // 20 connections, one every 25 ms
                    long t = t0 + sec * 1_000_000_000L + c * 25_000_000L;
                    int port = 30000 + sec * 20 + c;
                    out.accept(packet(t, client, port, server, 80, 6, SYN, 66));
                    out.accept(packet(t + 100_000, server, 80, client, port, 6, SYN | ACK, 66));
                    out.accept(packet(t + 200_000, client, port, server, 80, 6, ACK, 54));
                    for (int r = 0; r < 30; r++) {                 // 30 requests in 25 ms
                        long rt = t + 300_000 + r * 800_000L;
                        out.accept(withPayload(packet(rt, client, port, server, 80, 6, ACK | PSH, 54),
                                "GET /assets/" + r + ".png HTTP/1.1\r\nHost: example.org\r\n\r\n"));
                        out.accept(withPayload(packet(rt + 300_000, server, 80, client, port, 6, ACK | PSH, 54),
                                "HTTP/1.1 200 OK\r\nContent-Length: 900\r\n\r\n"));
                        out.accept(packet(rt + 400_000, client, port, server, 80, 6, ACK, 54));
                    }
                }
            }
        });
        assertEquals(List.of(), a.stream().filter(x -> x.kind().equals("http_flood")).toList(), a.toString());
    }

    /** The same request rate from one client that the server does not answer is a flood. */
    @Test
    void unansweredRequestsFromOneSourceAreAnHttpFlood() throws Exception {
        List<AlertRecord> a = run(out -> {
            long t0 = 1_700_000_000_000_000_000L;
            for (int i = 0; i < 3000; i++) {   // 1,500 requests/s for 2 s, no response
                out.accept(withPayload(packet(t0 + i * 666_667L, 0x0A000005, 30000 + i % 500, 0xC6336410, 80, 6, ACK | PSH, 54),
                        "GET / HTTP/1.1\r\nHost: example.org\r\n\r\n"));
            }
        });
        assertEquals(1, a.size(), a.toString());
        assertEquals("http_flood", a.getFirst().kind());
    }

    /** Answered requests from many clients at once (a botnet's GET flood the server still serves) are a flood. */
    @Test
    void answeredRequestsFromManyClientsAreAnHttpFlood() throws Exception {
        List<AlertRecord> a = run(out -> {
            long t0 = 1_700_000_000_000_000_000L;
            for (int i = 0; i < 3000; i++) {   // 1,500 requests/s for 2 s from 200 clients, each answered
                int client = 0x0A010000 + i % 200;
                long t = t0 + i * 666_667L;
                out.accept(withPayload(packet(t, client, 30000 + i % 7, 0xC6336410, 80, 6, ACK | PSH, 54),
                        "GET / HTTP/1.1\r\nHost: example.org\r\n\r\n"));
                out.accept(withPayload(packet(t + 200_000, 0xC6336410, 80, client, 30000 + i % 7, 6, ACK | PSH, 54),
                        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
            }
        });
        assertEquals(1, a.size(), a.toString());
        assertEquals("http_flood", a.getFirst().kind());
    }

    @Test
    void repeatedSshConnectionsAreBruteForce() throws Exception {
        List<AlertRecord> a = run(out -> {
            long t0 = 1_700_000_000_000_000_000L;
            for (int i = 0; i < 40; i++) {   // one connection attempt every 200 ms
                out.accept(packet(t0 + i * 200_000_000L, 0xC0000201, 50000 + i, 0xC6336402, 22, 6, DecodedPacket.TCP_SYN, 74));
            }
        });
        assertEquals(1, a.size(), a.toString());
        assertEquals("brute_force", a.getFirst().kind());
    }

    @Test
    void smtpToManyServersIsASpamRun() throws Exception {
        List<AlertRecord> a = run(out -> {
            long t0 = 1_700_000_000_000_000_000L;
            for (int i = 0; i < 60; i++) {
                long ts = t0 + i * 100_000_000L;
                out.accept(packet(ts, 0xC0000202, 50000 + i, 0xCB007100 + i, 25, 6, DecodedPacket.TCP_SYN, 74));
                out.accept(packet(ts + 1000, 0xCB007100 + i, 25, 0xC0000202, 50000 + i, 6, DecodedPacket.TCP_SYN | DecodedPacket.TCP_ACK, 74));
            }
        });
        assertEquals(1, a.size(), a.toString());
        assertEquals("spam_run", a.getFirst().kind());
    }

    @Test
    void aFullDestinationTableMakesRoomForANewFlood() throws Exception {
        PrivacyPolicy policy = Analyze.labPolicy();
        CollectingSink sink = new CollectingSink();
        try (PrivacyGuard guard = new PrivacyGuard(policy, AuditLog.open(policy.auditLog()), List.of(sink))) {
            AttackDetector det = new AttackDetector(guard, List.of(), 64);   // 64 tracked destinations at most
            long t0 = 1_700_000_000_000_000_000L;
            // 500 busy (not attacked) destinations, 40 packets each within one second: the table fills
            for (int i = 0; i < 20_000; i++) {
                det.onPacket(packet(t0 + i * 50_000L, 0xC0000201, 5000, 0xCB000000 + i % 500, 6000, 17, 0, 100));
            }
            // three seconds later a SYN flood hits a destination never seen before
            for (int i = 0; i < 5000; i++) {
                det.onPacket(packet(t0 + 4_000_000_000L + i * 200_000L, 0x0A000000 + i, 40000, 0xC6336403, 80, 6,
                        DecodedPacket.TCP_SYN, 74));
            }
            det.finish(guard);
        }
        List<AlertRecord> a = sink.alerts();
        assertEquals(1, a.size(), a.toString());
        assertEquals("syn_flood", a.getFirst().kind());
    }
}
