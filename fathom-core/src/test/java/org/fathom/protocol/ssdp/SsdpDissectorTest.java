package org.fathom.protocol.ssdp;

import static org.assertj.core.api.Assertions.assertThat;

import org.fathom.protocol.Bytes;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class SsdpDissectorTest {
    private final SsdpDissector d = new SsdpDissector();
    static final String SEARCH = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n"
            + "ST: urn:dial-multiscreen-org:service:dial:1\r\nUSER-AGENT: Google Chrome/120.0 Linux\r\n\r\n";
    static final String ANSWER = "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nST: upnp:rootdevice\r\n"
            + "USN: uuid:1234::upnp:rootdevice\r\nSERVER: Linux/5.10 UPnP/1.0 x/1\r\n\r\n";

    @Test
    void searchNotifyAndAnswer() {
        TestFlow c = TestFlow.udp(1900);
        assertThat(c.feed(d, true, SEARCH)).isEqualTo(Dissector.DONE);
        assertThat(c.meta).containsEntry("ssdp.method", "M-SEARCH").containsEntry("ssdp.target", "urn:dial-multiscreen-org:service:dial:1")
                .containsEntry("ssdp.user_agent", "Google Chrome/120.0 Linux");
        TestFlow n = TestFlow.udp(1900);
        assertThat(n.feed(d, true, "NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\n\r\n")).isEqualTo(Dissector.DONE);
        TestFlow a = TestFlow.udp(50123);
        assertThat(a.feed(d, true, ANSWER)).isEqualTo(Dissector.DONE);
        assertThat(a.swaps).isEqualTo(1);
        assertThat(TestFlow.udp(50123).feed(d, true, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")).isEqualTo(Dissector.NO);
    }

    @Test
    void otherProtocolsAreRejected() {
        for (String o : Bytes.OTHERS) {
            if (!o.startsWith("M-SEARCH")) {
                assertThat(TestFlow.udp(1900).feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
            }
        }
        assertThat(TestFlow.udp(6771).feed(d, true, "BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\n\r\n")).isEqualTo(Dissector.NO);
        DissectorChecks.neverThrows(d, 1900, 5, DissectorChecks.ascii(SEARCH), DissectorChecks.ascii(ANSWER));
    }
}
