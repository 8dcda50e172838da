package org.fathom.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FingerprintsTest {
    @Test
    void ja4HashesOfTheSpecificationExample() {
        // the JA4 specification's worked example (JA4_r of a Chrome ClientHello)
        assertThat(Fingerprints.sha12("002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9"))
                .isEqualTo("8daaf6152771");
        assertThat(Fingerprints.sha12("0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_"
                + "0403,0804,0401,0503,0805,0501,0806,0601")).isEqualTo("e5627efa2ab1");
    }

    @Test
    void ja4OfTheSpecificationExampleHello() {
        byte[] body = Hellos.ja4ExampleClientHello();
        ClientHello ch = ClientHello.parse(body, 0, body.length, false);
        assertThat(ch).isNotNull();
        assertThat(Fingerprints.ja4(ch, 't')).isEqualTo("t13d1516h2_8daaf6152771_e5627efa2ab1");
        assertThat(Fingerprints.ja4Raw(ch, 't')).isEqualTo("t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,"
                + "c02f,c030,cca8,cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_"
                + "0403,0804,0401,0503,0805,0501,0806,0601");
        assertThat(Fingerprints.ja4(ch, 'q')).startsWith("q13d1516h2_");
    }

    @Test
    void ja3DropsGreaseAndKeepsWireOrder() {
        byte[] body = Hellos.ja4ExampleClientHello();
        ClientHello ch = ClientHello.parse(body, 0, body.length, false);
        assertThat(Fingerprints.ja3String(ch)).isEqualTo("771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,"
                + "0-23-65281-10-11-35-16-5-13-18-51-45-43-27-17513-21,29-23-24,0");
        assertThat(Fingerprints.ja3(ch)).isEqualTo(Fingerprints.md5Hex(Fingerprints.ja3String(ch))).hasSize(32);
    }

    @Test
    void ja4WithoutSniAlpnAndExtensions() {
        byte[] body = Hellos.clientHelloBody(0x0301, new int[] {0x002f, 0x0035}, null, false);
        ClientHello ch = ClientHello.parse(body, 0, body.length, false);
        assertThat(Fingerprints.ja4(ch, 't')).isEqualTo("t10i020000_" + Fingerprints.sha12("002f,0035") + "_000000000000");
        assertThat(Fingerprints.ja3String(ch)).isEqualTo("769,47-53,,,");
    }

    @Test
    void ja4AlpnThatIsNotAlphanumericUsesHexDigits() {
        byte[] body = Hellos.clientHelloBody(0x0303, new int[] {0x1301},
                List.of(Hellos.ext(0x10, new Hellos.W().vec16(new Hellos.W().vec8(new byte[] {(byte) 0xAB, 0x20, (byte) 0xCD}).get()).get())), false);
        ClientHello ch = ClientHello.parse(body, 0, body.length, false);
        assertThat(Fingerprints.ja4(ch, 't')).startsWith("t12i0101ad_");
        byte[] single = Hellos.clientHelloBody(0x0303, new int[] {0x1301}, List.of(Hellos.alpn("h")), false);
        assertThat(Fingerprints.ja4(ClientHello.parse(single, 0, single.length, false), 't')).startsWith("t12i0101hh_");
    }

    @Test
    void ja4VersionsAndCaps() {
        int[] many = new int[120];
        for (int i = 0; i < many.length; i++) {
            many[i] = 0x0100 + i;
        }
        byte[] body = Hellos.clientHelloBody(0xfefd, many, List.of(Hellos.supportedVersions(0xfefc, 0xfefd)), true);
        ClientHello ch = ClientHello.parse(body, 0, body.length, true);
        assertThat(Fingerprints.ja4(ch, 'd')).startsWith("dd3i9901");
        assertThat(ch.highestVersion()).isEqualTo(0xfefc);
    }

    @Test
    void ja3sOfServerHello() {
        byte[] body = Hellos.serverHelloBody(0x0303, 0x1302, List.of(Hellos.ext(0x2b, new byte[] {3, 4}), Hellos.ext(0x33, new byte[36])));
        ServerHello sh = ServerHello.parse(body, 0, body.length);
        assertThat(sh.version()).isEqualTo(0x0304);
        assertThat(Fingerprints.ja3s(sh)).isEqualTo(Fingerprints.md5Hex("771,4866,43-51"));
    }

    @Test
    void greaseValues() {
        assertThat(Grease.is(0x0a0a)).isTrue();
        assertThat(Grease.is(0xfafa)).isTrue();
        assertThat(Grease.is(0x0a1a)).isFalse();
        assertThat(Grease.is(0x1301)).isFalse();
    }
}
