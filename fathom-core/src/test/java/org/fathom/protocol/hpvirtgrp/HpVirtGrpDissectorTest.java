package org.fathom.protocol.hpvirtgrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.fathom.protocol.Bytes;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class HpVirtGrpDissectorTest {
    /** A record: type, 16-bit length (header included), then {@code body}. */
    static byte[] record(int type, byte... body) {
        int n = 3 + body.length;
        byte[] r = new byte[n];
        r[0] = (byte) type;
        r[1] = (byte) (n >>> 8);
        r[2] = (byte) n;
        System.arraycopy(body, 0, r, 3, body.length);
        return r;
    }

    static byte[] body(int first, int n, int fill) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) fill);
        b[0] = (byte) first;
        return b;
    }

    /** The shape of the corpus flows (hpvirtgrp.pcap): 132-byte opening, 52-byte answer, 163- and 35-byte records. */
    static List<Msg> conversation() {
        return List.of(
                Msg.c(record(0x16, body(0, 129, 0x57))),
                Msg.s(record(0x17, body(0, 49, 0x62))),
                Msg.c(record(0x30, body(0x0f, 160, 0x35))),
                Msg.s(record(0x30, body(0x62, 32, 0x1b))));
    }

    @Test
    void bothDirectionsFramedNameTheFlowAtEverySplitPoint() {
        TestFlow f = Splits.check(HpVirtGrpDissector::new, d -> TestFlow.tcp(d, 5223), conversation());
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.matched).isTrue();
    }

    @Test
    void theOpeningAloneIsNotEnough() {
        TestFlow f = TestFlow.tcp(new HpVirtGrpDissector(), 5223);
        f.feed(true, conversation().get(0).bytes());
        assertThat(f.verdict).isEqualTo(Dissector.NEED_MORE);
        f.feed(false, conversation().get(1).bytes());
        assertThat(f.verdict).isEqualTo(Dissector.NEED_MORE);
        assertThat(f.matched).isFalse();
    }

    @Test
    void brokenFramingIsRefused() {
        // a TLS ClientHello answered by a ServerHello
        TestFlow tls = TestFlow.tcp(new HpVirtGrpDissector(), 443);
        tls.feed(true, org.fathom.protocol.samples.Hex.hex("16 03 01 00 c8 01 00 00 c4 03 03"));
        assertThat(tls.verdict).isEqualTo(Dissector.NEED_MORE);
        tls.feed(false, org.fathom.protocol.samples.Hex.hex("16 03 03 00 5a 02 00 00 56 03 03"));
        assertThat(tls.verdict).isEqualTo(Dissector.NO);
        // opening with a non-zero fourth byte
        TestFlow f = TestFlow.tcp(new HpVirtGrpDissector(), 5223);
        f.feed(true, record(0x16, body(1, 129, 0)));
        assertThat(f.verdict).isEqualTo(Dissector.NO);
        // the answer is not 0x17
        TestFlow g = TestFlow.tcp(new HpVirtGrpDissector(), 5223);
        g.feed(true, conversation().get(0).bytes());
        g.feed(false, record(0x16, body(0, 49, 0)));
        assertThat(g.verdict).isEqualTo(Dissector.NO);
        // the next record does not start where the opening's length says
        TestFlow h = TestFlow.tcp(new HpVirtGrpDissector(), 5223);
        byte[] open = conversation().get(0).bytes();
        h.feed(true, Arrays.copyOf(open, open.length + 1));
        h.feed(false, conversation().get(1).bytes());
        h.feed(true, conversation().get(2).bytes());
        assertThat(h.verdict).isEqualTo(Dissector.NO);
        for (String o : Bytes.OTHERS) {
            TestFlow x = TestFlow.tcp(new HpVirtGrpDissector(), 5223);
            x.feed(true, o.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            assertThat(x.verdict).as(o).isNotEqualTo(Dissector.DONE);
        }
    }

    @Property(tries = 300)
    void neverThrows(@ForAll @Size(max = 400) byte[] a, @ForAll @Size(max = 400) byte[] b, @ForAll @Size(max = 400) byte[] c) {
        TestFlow f = TestFlow.tcp(new HpVirtGrpDissector(), 5223);
        f.feed(true, a);
        f.feed(false, b);
        f.feed(true, c);
    }

    @Test
    void neverThrowsOnMutatedConversations() {
        assertThat(DissectorChecks.neverThrows(new HpVirtGrpDissector(), 5223, 7, conversation().get(0).bytes(),
                conversation().get(2).bytes())).isPositive();
    }
}
