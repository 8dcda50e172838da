package org.fathom.protocol.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import org.fathom.protocol.Bytes;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class SnmpDissectorTest {
    private final SnmpDissector d = new SnmpDissector();

    /** v2c GetRequest for sysDescr.0 with community "public" (RFC 1905 / X.690 BER). */
    static byte[] getRequest() {
        byte[] varbind = Bytes.of(0x30, 0x0c, 0x06, 0x08, 0x2b, 6, 1, 2, 1, 1, 1, 0, 0x05, 0x00).get();
        byte[] list = Bytes.of(0x30, varbind.length).bytes(varbind).get();
        byte[] pdu = Bytes.of(0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00).bytes(list).get();
        byte[] body = Bytes.of(0x02, 0x01, 0x01, 0x04, 0x06).ascii("public").u8(0xA0, pdu.length).bytes(pdu).get();
        return Bytes.of(0x30, body.length).bytes(body).get();
    }

    @Test
    void getRequestWithoutTheCommunity() {
        TestFlow c = TestFlow.udp(161);
        assertThat(c.feed(d, true, getRequest())).isEqualTo(Dissector.DONE);
        assertThat(c.meta).containsEntry("snmp.version", "2c").containsEntry("snmp.pdu", "get-request");
        assertThat(c.meta.toString()).doesNotContain("public");
        byte[] longer = java.util.Arrays.copyOf(getRequest(), getRequest().length + 1);
        assertThat(TestFlow.udp(161).feed(d, true, longer)).isEqualTo(Dissector.NO);
    }

    @Test
    void otherProtocolsAreRejected() {
        for (String o : Bytes.OTHERS) {
            assertThat(TestFlow.udp(161).feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
        }
        DissectorChecks.neverThrows(d, 161, 11, getRequest());
    }
}
