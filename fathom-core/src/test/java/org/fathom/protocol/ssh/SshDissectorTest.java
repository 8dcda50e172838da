package org.fathom.protocol.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.apptest.Bytes.ascii;
import static org.fathom.protocol.apptest.Bytes.be32;
import static org.fathom.protocol.apptest.Bytes.cat;

import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.apptest.Golden;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Test;

class SshDissectorTest {
    static final String[] CLIENT_LISTS = {"curve25519-sha256,diffie-hellman-group14-sha256", "ssh-ed25519,rsa-sha2-512",
        "chacha20-poly1305@openssh.com,aes128-ctr", "aes256-ctr", "hmac-sha2-256", "hmac-sha2-512", "none,zlib@openssh.com",
        "none", "", ""};

    /** An SSH_MSG_KEXINIT binary packet (RFC 4253 sections 6 and 7.1) with the ten name-lists. */
    static byte[] kexinit(String[] lists) {
        byte[] payload = cat(new byte[] {20}, new byte[16]);
        for (String l : lists) {
            payload = cat(payload, be32(l.length()), ascii(l));
        }
        payload = cat(payload, new byte[] {0}, be32(0));
        int pad = 8 - ((payload.length + 5) % 8);
        if (pad < 4) {
            pad += 8;
        }
        return cat(be32(payload.length + pad + 1), new byte[] {(byte) pad}, payload, new byte[pad]);
    }

    @Test
    void bannersAndHasshAtEverySplit() {
        String[] server = CLIENT_LISTS.clone();
        server[3] = "aes128-gcm@openssh.com";
        TestFlow f = Splits.check(SshDissector::new, d -> TestFlow.tcp(d, 22), List.of(
                Msg.c(cat(ascii("SSH-2.0-OpenSSH_9.6\r\n"), kexinit(CLIENT_LISTS))),
                Msg.s(ascii("SSH-2.0-dropbear_2022.83\r\n")),
                Msg.s(kexinit(server))));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).containsEntry("ssh.client_banner", "SSH-2.0-OpenSSH_9.6")
                .containsEntry("ssh.server_banner", "SSH-2.0-dropbear_2022.83")
                .containsEntry("ssh.hassh", SshKexInit.md5("curve25519-sha256,diffie-hellman-group14-sha256;chacha20-poly1305@openssh.com,aes128-ctr;hmac-sha2-256;none,zlib@openssh.com"))
                .containsEntry("ssh.hassh_server", SshKexInit.md5("curve25519-sha256,diffie-hellman-group14-sha256;aes128-gcm@openssh.com;hmac-sha2-512;none"));
    }

    @Test
    void hasshIsTheMd5OfTheSpecString() {
        // the Salesforce HASSH README's example: hassh of a fixed algorithm string
        assertThat(SshKexInit.md5("")).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(SshKexInit.algorithms(kexinit(CLIENT_LISTS), 0, kexinit(CLIENT_LISTS).length, true))
                .isEqualTo("curve25519-sha256,diffie-hellman-group14-sha256;chacha20-poly1305@openssh.com,aes128-ctr;hmac-sha2-256;none,zlib@openssh.com");
    }

    @Test
    void serverLinesBeforeTheBannerAreAllowed() {
        TestFlow f = TestFlow.tcp(new SshDissector(), 22);
        f.server(ascii("SSH-2.0-srv\r\n"));
        assertThat(f.matched).isTrue();
        TestFlow g = TestFlow.tcp(new SshDissector(), 22);
        g.server(ascii("SSH-2.0-x\r\n")).client(ascii("SSH-2.0-y\r\n"));
        assertThat(g.meta).containsKeys("ssh.client_banner", "ssh.server_banner");
    }

    @Test
    void badKexinitGivesNoFingerprintButKeepsTheMatch() {
        byte[] k = kexinit(CLIENT_LISTS);
        k[5] = 21; // not KEXINIT
        TestFlow f = TestFlow.tcp(new SshDissector(), 22).client(cat(ascii("SSH-2.0-a\r\n"), k));
        assertThat(f.matched).isTrue();
        assertThat(f.meta).doesNotContainKey("ssh.hassh");
    }

    @Test
    void notSsh() {
        assertThat(TestFlow.tcp(new SshDissector(), 22).client(ascii("GET / HTTP/1.1\r\n")).verdict).isEqualTo(Dissector.NO);
    }

    @Test
    void goldenOpenSshSession() throws Exception {
        // fingerprints cross-checked with Wireshark's ssh.kex.hassh / ssh.kex.hasshserver on the same capture
        FlowRecord r = Golden.byServerPort(Golden.flows("ssh/ssh.pcap"), 2222);
        assertThat(r.protocol()).isEqualTo("SSH");
        assertThat(r.confidence()).isEqualTo("DPI");
        assertThat(r.metadata()).containsEntry("ssh.hassh", "472b5de333ad665af5cbf10ff892c4df")
                .containsEntry("ssh.hassh_server", "425d29fe50d8e4f5e37efb6e24bcf660");
        assertThat((String) r.metadata().get("ssh.client_banner")).startsWith("SSH-2.0-OpenSSH_");
    }
}
