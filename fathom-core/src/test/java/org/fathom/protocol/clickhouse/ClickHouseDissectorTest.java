package org.fathom.protocol.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.samples.Hex.ascii;
import static org.fathom.protocol.samples.Hex.cat;
import static org.fathom.protocol.samples.Hex.hex;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.Risk;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.http.HttpDissector;
import org.fathom.protocol.samples.Drive;
import org.fathom.protocol.samples.Msg;
import org.fathom.protocol.samples.Sample;
import org.fathom.protocol.samples.Samples;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

/**
 * ClickHouse's native Hello packets as the documentation's example gives them ("Native client
 * packets": Go Client 1.10, protocol version 54451, database and user "default", password "secret").
 */
class ClickHouseDissectorTest {
    /** 54451 as an unsigned LEB128 varint. */
    static final byte[] REV_54451 = hex("B3 A9 03");
    static final byte[] CLIENT_HELLO = cat(hex("00 09"), ascii("Go Client"), hex("01 0A"), REV_54451, hex("07"), ascii("default"),
            hex("07"), ascii("default"), hex("06"), ascii("secret"));
    static final byte[] SERVER_HELLO = cat(hex("00 0A"), ascii("ClickHouse"), hex("17 08"), REV_54451, hex("0D"), ascii("Europe/Berlin"),
            hex("05"), ascii("node1"), hex("02"));

    private static Drive.Outcome run(Msg... msgs) {
        return Drive.run(new ClickHouseDissector(), new TestFlow(6, 50000, 9000), List.of(msgs));
    }

    @Test
    void theVarintOfTheExampleRevision() {
        assertThat((0x33) | (0x29 << 7) | (0x03 << 14)).isEqualTo(54451);
    }

    @Test
    void eitherHelloIsClickHouse() {
        Drive.Outcome both = run(Msg.c(CLIENT_HELLO), Msg.s(SERVER_HELLO));
        assertThat(both.recognised()).isTrue();
        assertThat(both.risks()).containsExactly(Risk.CLEARTEXT_CREDENTIALS);   // "secret", in clear
        assertThat(both.meta()).isEmpty();                                       // nothing of the Hello is kept
        assertThat(run(Msg.s(SERVER_HELLO)).recognised()).isTrue();
        // the documentation's example spells the server "Clickhouse"
        assertThat(run(Msg.s(cat(hex("00 0A"), ascii("Clickhouse"), hex("15 0C"), hex("B4 A9 03")))).recognised()).isTrue();
        Drive.Outcome noPassword = run(Msg.c(cat(hex("00 09"), ascii("Go Client"), hex("01 0A"), REV_54451, hex("07"), ascii("default"),
                hex("07"), ascii("default"), hex("00"))));
        assertThat(noPassword.recognised()).isTrue();
        assertThat(noPassword.risks()).isEmpty();
    }

    @Test
    void helloFieldsThatDisagreeAreNot() {
        byte[] oldRevision = CLIENT_HELLO.clone();
        oldRevision[14] = 0x02;   // 37811: no ClickHouse revision
        assertThat(run(Msg.c(oldRevision)).recognised()).isFalse();
        byte[] nameNotText = CLIENT_HELLO.clone();
        nameNotText[4] = 0x01;
        assertThat(run(Msg.c(nameNotText)).recognised()).isFalse();
        byte[] otherServer = SERVER_HELLO.clone();
        otherServer[2] = 'K';
        assertThat(run(Msg.s(otherServer)).recognised()).isFalse();
        assertThat(run(Msg.c(cat(hex("01"), CLIENT_HELLO))).recognised()).isFalse();   // a Query first
        assertThat(run(Msg.c(cat(hex("00 09"), ascii("Go Client"), hex("01 0A"), REV_54451, hex("FF 03")))).recognised()).isFalse();
        assertThat(run(Msg.c(cat(hex("00 09"), ascii("Go Client"), hex("81 80 80 80 01")))).recognised()).isFalse();  // overlong varint
        assertThat(Drive.run(new ClickHouseDissector(), new TestFlow(17, 50000, 9000), List.of(Msg.c(CLIENT_HELLO))).recognised()).isFalse();
    }

    @Test
    void theVerdictDoesNotDependOnSegmentation() {
        TestFlow f = Splits.check(ClickHouseDissector::new, d -> TestFlow.tcp(d, 9000), List.of(org.fathom.protocol.apptest.Msg.c(CLIENT_HELLO), org.fathom.protocol.apptest.Msg.s(SERVER_HELLO)));
        assertThat(f.matched).isTrue();
        assertThat(Splits.check(ClickHouseDissector::new, d -> TestFlow.tcp(d, 9000), List.of(org.fathom.protocol.apptest.Msg.s(SERVER_HELLO))).matched).isTrue();
    }

    @Test
    void refusesOtherProtocolsSamples() {
        for (List<Sample> set : List.of(Samples.all(), Samples.foreign())) {
            for (Sample s : set) {
                if (!"ClickHouse".equals(s.expect()) && s.l4() == 6) {
                    assertThat(Drive.run(new ClickHouseDissector(), s.flowOn(9000), s.msgs()).recognised()).as(s.label()).isFalse();
                }
            }
        }
        assertThat(DissectorChecks.neverThrows(new ClickHouseDissector(), 9000, 5, CLIENT_HELLO, SERVER_HELLO)).isPositive();
    }

    @Test
    void theHttpInterfaceByItsHeaders() {
        HttpDissector http = new HttpDissector();
        TestFlow f = TestFlow.tcp(8123);
        f.feed(http, true, "POST / HTTP/1.1\r\nHost: ch\r\nContent-Length: 8\r\n\r\nSELECT 1");
        assertThat(f.application).isNull();
        f.feed(http, false, "HTTP/1.1 200 OK\r\nContent-Type: text/tab-separated-values; charset=UTF-8\r\n"
                + "X-ClickHouse-Server-Display-Name: node1\r\nX-ClickHouse-Query-Id: 5f3c\r\n"
                + "X-ClickHouse-Summary: {\"read_rows\":\"1\"}\r\nContent-Length: 2\r\n\r\n1\n");
        assertThat(f.application).isEqualTo("ClickHouse");
        TestFlow g = TestFlow.tcp(8123);
        g.feed(http, true, "GET /?query=SELECT%201 HTTP/1.1\r\nHost: ch\r\nX-ClickHouse-User: default\r\nX-ClickHouse-Key: secret\r\n\r\n");
        assertThat(g.application).isEqualTo("ClickHouse");
        assertThat(g.meta.values().toString()).doesNotContain("secret");
    }

    @Property(tries = 300)
    void neverThrows(@ForAll @Size(max = 6) List<@Size(max = 300) byte[]> chunks, @ForAll List<Boolean> sides) {
        ClickHouseDissector d = new ClickHouseDissector();
        TestFlow f = new TestFlow(6, 50000, 9000);
        for (int i = 0; i < chunks.size(); i++) {
            byte[] b = chunks.get(i);
            if (b.length == 0) {
                continue;
            }
            if (i == 0) {
                b[0] = 0;   // past the first-byte gate
            }
            int r = d.inspect(f, i >= sides.size() || sides.get(i), b, 0, b.length);
            assertThat(r).isBetween(Dissector.NO, Dissector.DONE);
            if (r == Dissector.NO || r == Dissector.DONE) {
                break;
            }
        }
    }
}
