package org.fathom.protocol.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.Risk;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class DnsDissectorTest {
    /** Builds messages as RFC 1035 section 4.1 lays them out. */
    static final class Msg {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Msg(int id, int flags, int qd, int an, int ns, int ar) {
            u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
        }

        Msg u16(int v) {
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Msg u32(long v) {
            return u16((int) (v >>> 16)).u16((int) v);
        }

        Msg name(String n) {
            for (String l : n.split("\\.")) {
                out.write(l.length());
                out.writeBytes(l.getBytes(StandardCharsets.US_ASCII));
            }
            out.write(0);
            return this;
        }

        Msg pointer(int to) {
            return u16(0xC000 | to);
        }

        Msg bytes(int... b) {
            for (int x : b) {
                out.write(x);
            }
            return this;
        }

        byte[] get() {
            return out.toByteArray();
        }
    }

    static byte[] query(String name, int type) {
        return new Msg(0x1234, 0x0100, 1, 0, 0, 0).name(name).u16(type).u16(1).get();
    }

    static byte[] response(String name, int rcode) {
        // www.example.org CNAME web.example.org; web.example.org A 93.184.216.34; AAAA 2001:db8::1
        Msg m = new Msg(0x1234, 0x8180 | rcode, 1, rcode == 0 ? 3 : 0, 0, 0).name(name).u16(1).u16(1);
        if (rcode == 0) {
            m.pointer(12).u16(5).u16(1).u32(300).u16(6).bytes(3, 'w', 'e', 'b').pointer(16);
            int web = 12 + name.length() + 2 + 4 + 12; // offset of "web" label in the CNAME rdata
            m.pointer(web).u16(1).u16(1).u32(60).u16(4).bytes(93, 184, 216, 34);
            m.pointer(web).u16(28).u16(1).u32(60).u16(16).bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
        }
        return m.get();
    }

    private final DnsDissector dns = DnsDissector.dns();

    @Test
    void queryAndResponseOverUdp() {
        TestFlow c = TestFlow.udp(53);
        assertThat(c.feed(dns, true, query("www.example.org", 1))).isEqualTo(Dissector.MATCH);
        assertThat(c.feed(dns, false, response("www.example.org", 0))).isEqualTo(Dissector.DONE);
        assertThat(c.meta).containsEntry("dns.query", "www.example.org").containsEntry("dns.qtype", "A")
                .containsEntry("dns.rcode", "NOERROR")
                .containsEntry("dns.answers", List.of("web.example.org", "93.184.216.34", "2001:db8::1"));
        assertThat(c.host).isEqualTo("www.example.org");
        assertThat(c.learned).isEmpty(); // addresses are learnt by the observer, from every packet
        assertThat(c.risks).isEmpty();
        assertThat(c.swaps).isZero();
    }

    @Test
    void theObserverLearnsTheAnswersAddresses() {
        byte[] r = response("www.example.org", 0);
        org.fathom.decode.DecodedPacket d = new org.fathom.decode.DecodedPacket();
        d.l4 = org.fathom.decode.IpProtocol.UDP;
        d.srcPort = 53;
        d.dstPort = 40000;
        d.buf = r;
        d.payloadOffset = 0;
        d.payloadLength = r.length;
        List<String> learned = new java.util.ArrayList<>();
        DnsAnswerObserver o = new DnsAnswerObserver();
        assertThat(o.wants(d)).isTrue();
        o.observe(d, (hi, lo, name) -> learned.add(Long.toHexString(hi) + "/" + Long.toHexString(lo) + "=" + name));
        assertThat(learned).containsExactly("0/ffff5db8d822=www.example.org", "20010db800000000/1=www.example.org");
    }

    @Test
    void errorResponseFirstTurnsTheFlowRound() {
        TestFlow c = TestFlow.udp(53);
        assertThat(c.feed(dns, true, response("nothing.example", 3))).isEqualTo(Dissector.DONE);
        assertThat(c.swaps).isEqualTo(1);
        assertThat(c.meta).containsEntry("dns.rcode", "NXDOMAIN");
        assertThat(c.risks).containsExactly(Risk.DNS_ERROR);
    }

    @Test
    void mdnsAndLlmnrNeedTheirPorts() {
        byte[] q = query("printer.local", 12);
        TestFlow m = TestFlow.udp(5353);
        m.clientPort = 5353;
        assertThat(m.feed(DnsDissector.mdns(), true, q)).isEqualTo(Dissector.MATCH);
        assertThat(m.protocol).isEqualTo("MDNS");
        assertThat(m.meta).containsEntry("dns.qtype", "PTR");
        TestFlow l = TestFlow.udp(5355);
        assertThat(l.feed(DnsDissector.llmnr(), true, query("wpad", 1))).isEqualTo(Dissector.MATCH);
        assertThat(l.protocol).isEqualTo("LLMNR");
        TestFlow other = TestFlow.udp(9999);
        assertThat(other.feed(DnsDissector.mdns(), true, q)).isEqualTo(Dissector.NO);
    }

    @Test
    void anywhereOnlyWhenStrict() {
        TestFlow ok = TestFlow.udp(40053);
        assertThat(ok.feed(dns, true, query("www.example.org", 28))).isEqualTo(Dissector.MATCH);
        byte[] trailing = java.util.Arrays.copyOf(query("www.example.org", 28), 40);
        TestFlow bad = TestFlow.udp(40053);
        assertThat(bad.feed(dns, true, trailing)).isEqualTo(Dissector.NO);
        TestFlow onPort = TestFlow.udp(53);
        assertThat(onPort.feed(dns, true, trailing)).isEqualTo(Dissector.MATCH);
    }

    @Test
    void compressionLoopsAreRejected() {
        // the question name points at itself
        byte[] self = new Msg(1, 0x0100, 1, 0, 0, 0).pointer(12).u16(1).u16(1).get();
        assertThat(DnsMessage.parse(self, 0, self.length)).isNull();
        // forward pointer
        byte[] fwd = new Msg(1, 0x0100, 1, 0, 0, 0).pointer(14).name("a").u16(1).u16(1).get();
        assertThat(DnsMessage.parse(fwd, 0, fwd.length)).isNull();
        // answer name pointing into itself: the message is cut there but does not loop
        byte[] r = new Msg(1, 0x8180, 1, 1, 0, 0).name("a.b").u16(1).u16(1).pointer(21).u16(1).u16(1).u32(1).u16(4).bytes(1, 2, 3, 4).get();
        DnsMessage m = DnsMessage.parse(r, 0, r.length);
        assertThat(m).isNotNull();
        assertThat(m.complete).isFalse();
    }

    @Test
    void otherProtocolsAreRejected() {
        String[] others = {"GET / HTTP/1.1\r\n\r\n", "SSH-2.0-x\r\n", "\u0013BitTorrent protocol", "\u0016\u0003\u0001\u0000\u00c8\u0001"};
        for (String o : others) {
            TestFlow c = TestFlow.udp(40000);
            assertThat(c.feed(dns, true, o)).as(o).isEqualTo(Dissector.NO);
            TestFlow t = TestFlow.tcp(53);
            assertThat(t.feed(dns, true, o)).as(o).isEqualTo(Dissector.NO);
        }
    }

    static byte[] framed(byte[]... msgs) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] m : msgs) {
            o.write(m.length >>> 8);
            o.write(m.length);
            o.writeBytes(m);
        }
        return o.toByteArray();
    }

    @Test
    void tcpEverySplitPoint() {
        byte[] client = framed(query("www.example.org", 1), query("www.example.org", 28));
        byte[] server = framed(response("www.example.org", 0));
        Map<String, Object> whole = tcp(client, server, client.length, server.length);
        assertThat(whole).containsEntry("dns.rcode", "NOERROR").containsEntry("verdict", Dissector.DONE);
        for (int k = 0; k <= client.length; k++) {
            assertThat(tcp(client, server, k, Math.min(k, server.length))).as("split %d", k).isEqualTo(whole);
        }
        TestFlow c = TestFlow.tcp(53);
        for (int i = 0; i < client.length; i++) {
            c.feed(dns, true, client, i, 1);
        }
        for (int i = 0; i < server.length; i++) {
            c.feed(dns, false, server, i, 1);
        }
        assertThat(summary(c)).isEqualTo(whole);
    }

    private Map<String, Object> tcp(byte[] client, byte[] server, int k, int ks) {
        TestFlow c = TestFlow.tcp(53);
        if (k > 0) {
            c.feed(dns, true, client, 0, k);
        }
        if (k < client.length) {
            c.feed(dns, true, client, k, client.length - k);
        }
        if (ks > 0) {
            c.feed(dns, false, server, 0, ks);
        }
        if (ks < server.length) {
            c.feed(dns, false, server, ks, server.length - ks);
        }
        return summary(c);
    }

    private static Map<String, Object> summary(TestFlow c) {
        Map<String, Object> m = new LinkedHashMap<>(c.meta);
        m.put("verdict", c.verdict);
        m.put("learned", c.learned);
        return m;
    }

    @Property(tries = 500)
    void randomBytesNeverThrow(@ForAll @Size(max = 300) byte[] junk) {
        DnsMessage.parse(junk, 0, junk.length);
        TestFlow c = TestFlow.tcp(53);
        c.feed(dns, true, junk);
        TestFlow u = TestFlow.udp(53);
        u.feed(dns, true, junk);
    }

    @Property(tries = 500)
    void mutatedResponsesNeverThrow(@ForAll("mutated") byte[] m) {
        DnsMessage.parse(m, 0, m.length);
        TestFlow u = TestFlow.udp(53);
        u.feed(dns, false, m);
        TestFlow t = TestFlow.tcp(53);
        t.feed(dns, false, framed(m));
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        byte[] base = response("www.example.org", 0);
        return Arbitraries.integers().between(0, base.length - 1).list().ofMaxSize(6)
                .flatMap(pos -> Arbitraries.bytes().list().ofSize(pos.size()).map(vals -> {
                    byte[] m = base.clone();
                    for (int i = 0; i < pos.size(); i++) {
                        m[pos.get(i)] = vals.get(i);
                    }
                    return m;
                }));
    }
}
