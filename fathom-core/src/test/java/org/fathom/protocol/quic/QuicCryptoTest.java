package org.fathom.protocol.quic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 9001 Appendix A.1 and RFC 9369 Appendix A.1: initial keys from DCID 0x8394c8f03e515708. */
class QuicCryptoTest {
    static final byte[] DCID = HexFormat.of().parseHex("8394c8f03e515708");

    @Test
    void v1ClientKeys() {
        QuicCrypto.Keys k = QuicCrypto.get().initialKeys(QuicVersion.V1, QuicVersion.salt(QuicVersion.V1), DCID, 0, DCID.length, false);
        assertThat(HexFormat.of().formatHex(k.key())).isEqualTo("1f369613dd76d5467730efcbe3b1a22d");
        assertThat(HexFormat.of().formatHex(k.iv())).isEqualTo("fa044b2f42a3fd3b46fb255c");
        assertThat(HexFormat.of().formatHex(k.hp())).isEqualTo("9f50449e04a0e810283a1e9933adedd2");
    }

    @Test
    void v1ServerKeys() {
        QuicCrypto.Keys k = QuicCrypto.get().initialKeys(QuicVersion.V1, QuicVersion.salt(QuicVersion.V1), DCID, 0, DCID.length, true);
        assertThat(HexFormat.of().formatHex(k.key())).isEqualTo("cf3a5331653c364c88f0f379b6067e37");
        assertThat(HexFormat.of().formatHex(k.iv())).isEqualTo("0ac1493ca1905853b0bba03e");
        assertThat(HexFormat.of().formatHex(k.hp())).isEqualTo("c206b8d9b9f0f37644430b490eeaa314");
    }

    @Test
    void v1InitialSecret() {
        QuicCrypto c = QuicCrypto.get();
        byte[] initial = c.extract(QuicVersion.salt(QuicVersion.V1), DCID, 0, DCID.length);
        assertThat(HexFormat.of().formatHex(initial)).isEqualTo("7db5df06e7a69e432496adedb00851923595221596ae2ae9fb8115c1e9ed0a44");
        assertThat(HexFormat.of().formatHex(c.expandLabel(initial, "client in", 32)))
                .isEqualTo("c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea");
    }

    @Test
    void v2ClientKeys() {
        QuicCrypto.Keys k = QuicCrypto.get().initialKeys(QuicVersion.V2, QuicVersion.salt(QuicVersion.V2), DCID, 0, DCID.length, false);
        assertThat(HexFormat.of().formatHex(k.key())).isEqualTo("8b1a0bc121284290a29e0971b5cd045d");
        assertThat(HexFormat.of().formatHex(k.iv())).isEqualTo("91f73e2351d8fa91660e909f");
        assertThat(HexFormat.of().formatHex(k.hp())).isEqualTo("45b95e15235d6f45a6b19cbcb0294ba9");
    }
}
