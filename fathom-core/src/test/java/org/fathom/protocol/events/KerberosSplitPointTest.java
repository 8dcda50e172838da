package org.fathom.protocol.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.fathom.protocol.events.TransactionSplitPointTest.Msg;
import org.fathom.protocol.kerberos.KerberosDissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

/**
 * Kerberos over TCP (four-byte length, RFC 4120 7.2.2) at every split point, with messages built
 * here in DER: AS-REQ, KRB-ERROR (pre-authentication required), AS-REQ again, AS-REP.
 */
public class KerberosSplitPointTest {
    static byte[] tlv(int tag, byte[]... content) {
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        for (byte[] x : content) {
            c.writeBytes(x);
        }
        byte[] body = c.toByteArray();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(tag);
        if (body.length < 128) {
            o.write(body.length);
        } else if (body.length < 256) {
            o.write(0x81);
            o.write(body.length);
        } else {
            o.write(0x82);
            o.write(body.length >> 8);
            o.write(body.length);
        }
        o.writeBytes(body);
        return o.toByteArray();
    }

    static byte[] integer(int v) {
        return v < 128 ? tlv(0x02, new byte[] {(byte) v}) : tlv(0x02, new byte[] {0, (byte) v});
    }

    static byte[] str(String s) {
        return tlv(0x1B, s.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] principal(int tag, int type, String... names) {
        byte[][] n = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            n[i] = str(names[i]);
        }
        return tlv(tag, tlv(0x30, tlv(0xA0, integer(type)), tlv(0xA1, tlv(0x30, n))));
    }

    static byte[] encrypted(int tag, int etype) {
        return tlv(tag, tlv(0x30, tlv(0xA0, integer(etype)), tlv(0xA2, tlv(0x04, new byte[40]))));
    }

    static final String REALM = "EXAMPLE.TEST";

    static byte[] asReq() {
        byte[] body = tlv(0x30, tlv(0xA0, tlv(0x03, new byte[] {0, 0x40, (byte) 0x81, 0, 0x10})),
                principal(0xA1, 1, "alice"), tlv(0xA2, str(REALM)), principal(0xA3, 2, "krbtgt", REALM),
                tlv(0xA5, tlv(0x18, "20370913024805Z".getBytes(StandardCharsets.US_ASCII))),
                tlv(0xA7, integer(77)), tlv(0xA8, tlv(0x30, integer(18), integer(17), integer(23))));
        return tlv(0x6A, tlv(0x30, tlv(0xA1, integer(5)), tlv(0xA2, integer(10)), tlv(0xA4, body)));
    }

    static byte[] krbError() {
        return tlv(0x7E, tlv(0x30, tlv(0xA0, integer(5)), tlv(0xA1, integer(30)),
                tlv(0xA4, tlv(0x18, "20261206112233Z".getBytes(StandardCharsets.US_ASCII))), tlv(0xA5, integer(0)),
                tlv(0xA6, integer(25)), tlv(0xA9, str(REALM)), principal(0xAA, 2, "krbtgt", REALM)));
    }

    static byte[] asRep() {
        byte[] ticket = tlv(0x61, tlv(0x30, tlv(0xA0, integer(5)), tlv(0xA1, str(REALM)), principal(0xA2, 2, "krbtgt", REALM),
                encrypted(0xA3, 18)));
        return tlv(0x6B, tlv(0x30, tlv(0xA0, integer(5)), tlv(0xA1, integer(11)), tlv(0xA3, str(REALM)),
                principal(0xA4, 1, "alice"), tlv(0xA5, ticket), encrypted(0xA6, 17)));
    }

    /** An AS-REP for other tests. */
    public static byte[] asRepBytes() {
        return asRep();
    }

    static byte[] framed(byte[] m) {
        byte[] out = new byte[m.length + 4];
        out[2] = (byte) (m.length >> 8);
        out[3] = (byte) m.length;
        System.arraycopy(m, 0, out, 4, m.length);
        return out;
    }

    @Test
    void messagesAtEverySplitPoint() {
        List<String> events = TransactionSplitPointTest.everySplitPoint(KerberosDissector::new, 88, List.of(
                new Msg(true, framed(asReq())), new Msg(false, framed(krbError())),
                new Msg(true, framed(asReq())), new Msg(false, framed(asRep()))));
        assertThat(events).containsExactly(
                "kerberos {kerberos.msg_type=AS-REQ, kerberos.realm=EXAMPLE.TEST, kerberos.cname=alice, "
                        + "kerberos.sname=krbtgt/EXAMPLE.TEST, kerberos.etypes=[18, 17, 23]}",
                "kerberos {kerberos.msg_type=KRB-ERROR, kerberos.realm=EXAMPLE.TEST, kerberos.sname=krbtgt/EXAMPLE.TEST, "
                        + "kerberos.error_code=25}",
                "kerberos {kerberos.msg_type=AS-REQ, kerberos.realm=EXAMPLE.TEST, kerberos.cname=alice, "
                        + "kerberos.sname=krbtgt/EXAMPLE.TEST, kerberos.etypes=[18, 17, 23]}",
                "kerberos {kerberos.msg_type=AS-REP, kerberos.realm=EXAMPLE.TEST, kerberos.cname=alice, "
                        + "kerberos.sname=krbtgt/EXAMPLE.TEST, kerberos.etypes=[18, 17]}");
    }

    @Test
    void withoutEventsTheFlowIsAsBefore() {
        TestFlow f = TestFlow.tcp(new KerberosDissector(), 88);
        f.feed(true, framed(asReq()));
        f.feed(false, framed(krbError()));
        assertThat(f.events).isEmpty();
        assertThat(f.meta).containsEntry("kerberos.request", "AS-REQ").containsEntry("kerberos.reply", "KRB-ERROR")
                .containsEntry("kerberos.error_code", 25L).doesNotContainKeys("kerberos.cname", "kerberos.sname");
    }
}
