package org.fathom.protocol.rdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.apptest.Bytes.ascii;
import static org.fathom.protocol.apptest.Bytes.cat;
import static org.fathom.protocol.apptest.Bytes.hex;

import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class RdpDissectorTest {
    /** TPKT + X.224 Connection Request ([MS-RDPBCGR] 2.2.1.1) with {@code variable} as its variable part. */
    static byte[] cr(byte[] variable) {
        int len = 11 + variable.length;
        return cat(new byte[] {3, 0, (byte) (len >>> 8), (byte) len, (byte) (len - 5), (byte) 0xE0, 0, 0, 0, 0, 0}, variable);
    }

    @Test
    void cookieAndNegotiationAtEverySplit() {
        TestFlow f = Splits.check(RdpDissector::new, d -> TestFlow.tcp(d, 3389), List.of(
                Msg.c(cr(cat(ascii("Cookie: mstshash=Administr\r\n"), hex("01000800 0b000000")))),
                Msg.s(hex("030000130ed00000123400021f080008000000"))));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).containsEntry("rdp.requested_protocols", List.of("SSL", "HYBRID", "HYBRID_EX"));
        assertThat(f.meta.toString()).doesNotContain("Administr");
    }

    @Test
    void bareRequestNeedsTheConfirm() {
        TestFlow f = TestFlow.tcp(new RdpDissector(), 3389).client(cr(new byte[0]));
        assertThat(f.matched).isFalse();
        f.server(hex("0300000b06d00000123400"));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
    }

    @Test
    void isoTsapRequestsAreNotRdp() {
        // S7comm / ISO-on-TCP: TSAP parameters in the variable part
        TestFlow f = TestFlow.tcp(new RdpDissector(), 102).client(cr(hex("c1020100c2020102c0010a")));
        assertThat(f.verdict).isEqualTo(Dissector.NO);
    }

    @Test
    void udpSynAnsweredBySynAck() {
        byte[] syn = cat(hex("ffffffff 0040 1801 bbff5687 04d0 04d0"), new byte[1216]);
        byte[] synAck = cat(hex("bbff5687 0040 1005 4d677966 04d0 04d0"), new byte[1216]);
        TestFlow f = TestFlow.udp(new RdpDissector(), 3389).client(syn).server(synAck);
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        TestFlow g = TestFlow.udp(new RdpDissector(), 3389).client(syn).server(cat(hex("01020304 0040 1005 4d677966 04d0 04d0"), new byte[16]));
        assertThat(g.verdict).isEqualTo(Dissector.NO);
    }
}
