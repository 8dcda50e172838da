package org.fathom.protocol.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

/** DNS events ({@code --events}): one per answer, matched to its query by id; unanswered queries at the end. */
class DnsEventsTest {
    private static List<String> tcp(byte[] client, byte[] server, int k) {
        DnsDissector dns = DnsDissector.dns();
        TestFlow f = TestFlow.tcp(dns, 53);
        f.transactions = true;
        for (byte[][] m : new byte[][][] {{client, {1}}, {server, {0}}}) {
            byte[] b = m[0];
            boolean fromClient = m[1][0] == 1;
            int cut = Math.min(k, b.length);
            f.feed(dns, fromClient, b, 0, cut);
            if (cut < b.length) {
                f.feed(dns, fromClient, Arrays.copyOfRange(b, cut, b.length));
            }
        }
        f.end();
        return new ArrayList<>(f.events);
    }

    @Test
    void tcpEventsAtEverySplitPoint() {
        byte[] client = DnsDissectorTest.framed(DnsDissectorTest.query("www.example.org", 1));
        byte[] server = DnsDissectorTest.framed(DnsDissectorTest.response("www.example.org", 0));
        List<String> whole = tcp(client, server, Integer.MAX_VALUE);
        assertThat(whole).hasSize(1);
        assertThat(whole.getFirst()).contains("dns.message=response", "dns.query=www.example.org", "dns.qtype=A",
                "dns.rcode=NOERROR", "dns.answers=[web.example.org, 93.184.216.34, 2001:db8::1]", "dns.response_ms=0.0");
        for (int k = 1; k < Math.max(client.length, server.length); k++) {
            assertThat(tcp(client, server, k)).as("split at %d", k).isEqualTo(whole);
        }
    }

    @Test
    void udpQueriesWithoutAnswerAreReportedAtTheEnd() {
        DnsDissector dns = DnsDissector.dns();
        TestFlow f = TestFlow.udp(dns, 53);
        f.transactions = true;
        f.feed(dns, true, DnsDissectorTest.query("www.example.org", 1));
        f.timestampNanos += 2_500_000;
        f.feed(dns, false, DnsDissectorTest.response("www.example.org", 3));
        f.feed(dns, true, DnsDissectorTest.query("other.example.org", 28));
        f.end();
        assertThat(f.events).hasSize(2);
        assertThat(f.events.get(0)).contains("dns.rcode=NXDOMAIN", "dns.response_ms=2.5");
        assertThat(f.events.get(1)).contains("dns.message=query", "dns.query=other.example.org", "dns.qtype=AAAA",
                "dns.no_answer=true");
        assertThat(f.meta).containsEntry("dns.response_ms", 2.5);
    }
}
