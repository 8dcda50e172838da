package org.fathom.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FingerprintCacheTest {
    /** ClientHellos that differ in one field each, and random ones: the cache answers what a fresh computation does. */
    @Test
    void everyAnswerEqualsAFreshComputation() {
        List<ClientHello> hellos = new ArrayList<>();
        byte[] example = Hellos.ja4ExampleClientHello();
        hellos.add(ClientHello.parse(example, 0, example.length, false));
        hellos.add(parse(Hellos.clientHelloBody(0x0301, new int[] {0x002f, 0x0035}, null, false)));
        hellos.add(parse(Hellos.clientHelloBody(0x0301, new int[] {0x0035, 0x002f}, null, false)));   // order only
        hellos.add(parse(Hellos.clientHelloBody(0x0303, new int[] {0x1301}, List.of(Hellos.alpn("h2")), false)));
        hellos.add(parse(Hellos.clientHelloBody(0x0303, new int[] {0x1301}, List.of(Hellos.alpn("h3")), false)));
        hellos.add(parse(Hellos.clientHelloBody(0x0303, new int[] {0x1301}, List.of(Hellos.sni("a.example")), false)));
        hellos.add(parse(Hellos.clientHelloBody(0x0303, new int[] {0x1301}, List.of(Hellos.groups(29, 23)), false)));
        hellos.add(parse(Hellos.clientHelloBody(0x0303, new int[] {0x1301}, List.of(Hellos.groups(23, 29)), false)));
        hellos.add(parse(Hellos.clientHelloBody(0x0303, new int[] {0x1301}, List.of(Hellos.sigAlgs(0x0403)), false)));
        hellos.add(parse(Hellos.clientHelloBody(0x0303, new int[] {0x1301}, List.of(Hellos.supportedVersions(0x0304)), false)));
        hellos.add(parse(Hellos.clientHelloBody(0x0303, new int[] {0x1301}, List.of(Hellos.pointFormats(0)), false)));
        Random rnd = new Random(7);
        for (int n = 0; n < 2000; n++) {
            int[] ciphers = new int[1 + rnd.nextInt(4)];
            for (int i = 0; i < ciphers.length; i++) {
                ciphers[i] = 0x1301 + rnd.nextInt(3);
            }
            List<byte[]> ext = new ArrayList<>();
            if (rnd.nextBoolean()) {
                ext.add(Hellos.alpn(rnd.nextBoolean() ? "h2" : "http/1.1"));
            }
            if (rnd.nextBoolean()) {
                ext.add(Hellos.groups(29, 23 + rnd.nextInt(2)));
            }
            hellos.add(parse(Hellos.clientHelloBody(0x0303, ciphers, ext, false)));
        }
        FingerprintCache cache = new FingerprintCache();
        for (int round = 0; round < 3; round++) {
            for (ClientHello ch : hellos) {
                for (char t : new char[] {'t', 'q'}) {
                    assertThat(cache.fingerprints(ch, t)).containsExactly(Fingerprints.ja3(ch), Fingerprints.ja4(ch, t));
                }
            }
        }
        assertThat(cache.hits).isPositive();
        assertThat(cache.misses).isPositive();
    }

    private static ClientHello parse(byte[] body) {
        ClientHello ch = ClientHello.parse(body, 0, body.length, false);
        assertThat(ch).isNotNull();
        return ch;
    }
}
