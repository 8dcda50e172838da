package org.fathom.protocol.stun;

import static org.assertj.core.api.Assertions.assertThat;

import org.fathom.protocol.Bytes;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class StunDissectorTest {
    private final StunDissector d = new StunDissector();

    /** RFC 8489: Binding request with SOFTWARE ("fathom", padded) and FINGERPRINT. */
    static byte[] bindingRequest() {
        return Bytes.of().u16(0x0001).u16(8 + 4 + 8).u32(0x2112A442L).hex("b7e7a701bc34d686fa87dfae")
                .u16(0x8022).u16(6).ascii("fathom").u8(0, 0).u16(0x8028).u16(4).u32(0x12345678L).get();
    }

    static byte[] classicResponse() {
        // RFC 3489 Binding response: MAPPED-ADDRESS (family 1, port, IPv4)
        return Bytes.of().u16(0x0101).u16(12).hex("0102030405060708090a0b0c0d0e0f10").u16(0x0001).u16(8).u8(0, 1).u16(40000).u8(192, 0, 2, 1).get();
    }

    @Test
    void bindingRequestAnywhere() {
        TestFlow c = TestFlow.udp(19302);
        assertThat(c.feed(d, true, bindingRequest())).isEqualTo(Dissector.MATCH);
        assertThat(c.meta).containsEntry("stun.method", "Binding").containsEntry("stun.class", "request").containsEntry("stun.software", "fathom");
        // later media multiplexed on the flow does not undo the match
        assertThat(c.feed(d, false, Bytes.of(0x80, 0x60).zeros(30).get())).isEqualTo(Dissector.MATCH);
    }

    @Test
    void classicStunNeedsItsTypesAndAttributes() {
        assertThat(TestFlow.udp(3478).feed(d, false, classicResponse())).isEqualTo(Dissector.MATCH);
        assertThat(TestFlow.udp(40000).feed(d, false, classicResponse())).isEqualTo(Dissector.MATCH);
        byte[] empty = Bytes.of().u16(0x0001).u16(0).hex("0102030405060708090a0b0c0d0e0f10").get();
        assertThat(TestFlow.udp(40000).feed(d, true, empty)).isEqualTo(Dissector.NO);
        assertThat(TestFlow.udp(3478).feed(d, true, empty)).isEqualTo(Dissector.MATCH);
    }

    @Test
    void lengthMustMatch() {
        byte[] m = bindingRequest();
        m[3] += 4;
        assertThat(TestFlow.udp(3478).feed(d, true, m)).isEqualTo(Dissector.NO);
        byte[] tcp = Bytes.of().bytes(bindingRequest()).bytes(bindingRequest()).get();
        assertThat(TestFlow.tcp(3478).feed(d, true, tcp)).isEqualTo(Dissector.MATCH);
    }

    @Test
    void otherProtocolsAreRejected() {
        for (String o : Bytes.OTHERS) {
            assertThat(TestFlow.udp(3478).feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
            assertThat(TestFlow.tcp(3478).feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
        }
        DissectorChecks.neverThrows(d, 3478, 6, bindingRequest(), classicResponse());
    }

    /** WhatsApp's relay exchange from the corpus capture whatsapp_voice_and_message.pcap (frames to 173.252.121.1:3478). */
    static final String WHATSAPP_ALLOCATE = "0003006a2112a44200009b50688113221d806d09400000660100b2f3a431734fd3adf65555afde4c4643a213e8"
            + "7912e8459735685561ac67357fc456daf3234f93fcac0b22c19fa9f4d9685c8b484f4c4f06ca62c415a187cdeb3a8ebbdc5a977ca86c9"
            + "aa09b81c632b045f14b51b40509664cd6b0dc4cca87bc0545adcd";
    static final String WHATSAPP_RESPONSE = "010300182112a44200009b50688113221d806d0900200008000186b29eb0cf1e400200080000014d9ac2d507";

    /** A Teams client's Binding success with MS-Implementation-Version (0x8070), from stun_msteams_unidir.pcapng frame 1. */
    static final String TEAMS_BINDING = "010100342112a442567009c2ae00e698d98f01908070000400000007002000080001e24473a09b390008001408"
            + "1c187c4cf903476de30538dee3554682a1e5d080280004513d0c54";

    @Test
    void whatsAppRelaysOddLengthsAndAttributesNameTheCall() {
        TestFlow c = TestFlow.udp(3478);
        assertThat(c.feed(d, true, Bytes.of().hex(WHATSAPP_ALLOCATE).get())).isEqualTo(Dissector.MATCH);
        assertThat(c.application).isEqualTo("WhatsAppCall");
        assertThat(c.meta).containsEntry("stun.method", "Allocate");
        TestFlow r = TestFlow.udp(3478);
        assertThat(r.feed(d, false, Bytes.of().hex(WHATSAPP_RESPONSE).get())).isEqualTo(Dissector.MATCH);
        assertThat(r.application).isEqualTo("WhatsAppCall");
        // an odd length without the cookie, or with a padded last attribute, is not STUN
        byte[] noCookie = Bytes.of().hex(WHATSAPP_ALLOCATE).get();
        noCookie[4] = 0;
        assertThat(TestFlow.udp(40000).feed(d, true, noCookie)).isEqualTo(Dissector.NO);
    }

    @Test
    void microsoftAttributesNameTeamsCalls() {
        TestFlow c = TestFlow.udp(3478);
        assertThat(c.feed(d, false, Bytes.of().hex(TEAMS_BINDING).get())).isEqualTo(Dissector.MATCH);
        assertThat(c.application).isEqualTo("Skype_TeamsCall");
        assertThat(new StunDissector().alsoReports()).extracting(s -> s.name()).contains("Skype_TeamsCall", "WhatsAppCall", "DTLS", "SRTP");
    }

    @Test
    void theRealmIsHandedToTheCatalog() {
        // RFC 8489 Allocate error response (401) with REALM "telegram.org" (12 bytes) and NONCE
        byte[] m = Bytes.of().u16(0x0113).u16(16 + 12).u32(0x2112A442L).hex("0102030405060708090a0b0c")
                .u16(0x0014).u16(12).ascii("telegram.org").u16(0x0015).u16(8).ascii("abcdefgh").get();
        TestFlow c = TestFlow.udp(3478);
        assertThat(c.feed(d, false, m)).isEqualTo(Dissector.MATCH);
        assertThat(c.host).isEqualTo("telegram.org");
        assertThat(c.meta).containsEntry("stun.class", "error");
        // a realm that is not a domain is not a host
        byte[] word = Bytes.of().u16(0x0113).u16(12).u32(0x2112A442L).hex("0102030405060708090a0b0c")
                .u16(0x0014).u16(8).ascii("myrealm!").get();
        TestFlow w = TestFlow.udp(3478);
        assertThat(w.feed(d, false, word)).isEqualTo(Dissector.MATCH);
        assertThat(w.host).isNull();
    }

    @Test
    void dtlsAndSrtpAfterStunAreDemultiplexed() {
        TestFlow c = TestFlow.udp(19302);
        assertThat(c.feed(d, true, bindingRequest())).isEqualTo(Dissector.MATCH);
        // DTLS 1.2 handshake record header (RFC 6347): content type 22, version FEFD, epoch, seq, length
        assertThat(c.feed(d, true, Bytes.of(22, 0xFE, 0xFD).zeros(8).u16(4).u8(1, 0, 0, 0).get())).isEqualTo(Dissector.MATCH);
        assertThat(c.protocol).isEqualTo("DTLS");
        TestFlow r = TestFlow.udp(19302);
        assertThat(r.feed(d, true, bindingRequest())).isEqualTo(Dissector.MATCH);
        assertThat(r.feed(d, false, Bytes.of(0x80, 0x60).zeros(30).get())).isEqualTo(Dissector.MATCH);
        assertThat(r.protocol).isEqualTo("SRTP");
        // SRTP after the DTLS handshake keeps the flow DTLS (DTLS-SRTP, as nDPI names it)
        assertThat(c.feed(d, false, Bytes.of(0x80, 0x60).zeros(30).get())).isEqualTo(Dissector.MATCH);
        assertThat(c.protocol).isEqualTo("DTLS");
    }
}
