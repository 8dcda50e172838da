package org.fathom.protocol.coap;

import static org.assertj.core.api.Assertions.assertThat;

import org.fathom.protocol.Bytes;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class CoapDissectorTest {
    private final CoapDissector d = new CoapDissector();

    /** RFC 7252 section 3: CON GET /temperature with a 2-byte token. */
    static byte[] get() {
        return Bytes.of(0x42, 0x01).u16(0x7d34).u8(0x20, 0x21).u8(0xBB).ascii("temperature").get();
    }

    static byte[] content() {
        return Bytes.of(0x62, 0x45).u16(0x7d34).u8(0x20, 0x21).u8(0xFF).ascii("22.3 C").get();
    }

    @Test
    void requestAndResponse() {
        TestFlow c = TestFlow.udp(5683);
        assertThat(c.feed(d, true, get())).isEqualTo(Dissector.DONE);
        assertThat(c.meta).containsEntry("coap.code", "GET").containsEntry("coap.type", "CON");
        TestFlow r = TestFlow.udp(5683);
        assertThat(r.feed(d, false, content())).isEqualTo(Dissector.DONE);
        assertThat(r.meta).containsEntry("coap.code", "2.05");
        assertThat(TestFlow.udp(40000).feed(d, true, get())).isEqualTo(Dissector.NO);
        byte[] markerOnly = Bytes.of(0x40, 0x01).u16(1).u8(0xFF).get();
        assertThat(TestFlow.udp(5683).feed(d, true, markerOnly)).isEqualTo(Dissector.NO);
    }

    @Test
    void otherProtocolsAreRejected() {
        for (String o : Bytes.OTHERS) {
            assertThat(TestFlow.udp(5683).feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
        }
        DissectorChecks.neverThrows(d, 5683, 14, get(), content());
    }
}
