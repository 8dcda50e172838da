package org.fathom.protocol.armagetron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.samples.Hex.hex;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.samples.Drive;
import org.fathom.protocol.samples.Golden;
import org.fathom.protocol.samples.Msg;
import org.fathom.protocol.samples.Sample;
import org.fathom.protocol.samples.Samples;
import org.fathom.protocol.testing.TestFlow;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Armagetron: datagrams laid out as Wireshark's packet-armagetronad.c reads them. */
class ArmagetronDissectorTest {
    private static final byte[] LOGIN2 = hex("000b 0000 0004 0008 0000 2000 0000 0000");

    private static boolean recognised(int clientPort, int serverPort, byte[] datagram) {
        return Drive.run(new ArmagetronDissector(), new TestFlow(17, clientPort, serverPort), List.of(Msg.c(datagram))).recognised();
    }

    @Test
    void messagesThatChainToTheSenderIdAreArmagetron() {
        assertThat(recognised(40200, 4534, LOGIN2)).isTrue();
        assertThat(recognised(40200, 9999, LOGIN2)).isTrue();
        // ack and sync_msg from client 1
        assertThat(recognised(40200, 9999, hex("0001 0000 0001 0001 001c 0002 0002 0500 0001 0001"))).isTrue();
        // the browser's empty small_request only on the game or master port
        assertThat(recognised(40100, 4534, hex("0034 0000 0000 0000"))).isTrue();
        assertThat(recognised(4533, 40100, hex("0034 0000 0000 0000"))).isTrue();
        assertThat(recognised(40100, 9999, hex("0034 0000 0000 0000"))).isFalse();
    }

    @Test
    void unknownDescriptorsOrLengthsThatDoNotChainAreNot() {
        assertThat(recognised(40200, 4534, hex("000c 0000 0004 0008 0000 2000 0000 0000"))).isFalse();
        assertThat(recognised(40200, 4534, hex("000b 0000 0003 0008 0000 2000 0000 0000"))).isFalse();
        assertThat(recognised(40200, 4534, hex("000b 0000 0005 0008 0000 2000 0000 0000"))).isFalse();
        assertThat(recognised(40200, 4534, hex("000b 0000 0004 0008 0000 2000 0000 0000 00"))).isFalse();
        assertThat(recognised(40200, 4534, hex("000b 0000 0004 0008 0000 2000 0000"))).isFalse();
        assertThat(Drive.run(new ArmagetronDissector(), new TestFlow(6, 40200, 4534), List.of(Msg.c(LOGIN2))).recognised()).isFalse();
    }

    @Test
    void refusesOtherProtocolsSamples() {
        for (List<Sample> set : List.of(Samples.all(), Samples.foreign())) {
            for (Sample s : set) {
                if (!"Armagetron".equals(s.expect())) {
                    assertThat(Drive.run(new ArmagetronDissector(), new TestFlow(s.l4(), s.clientPort(), s.serverPort()), s.msgs()).recognised())
                            .as(s.label()).isFalse();
                }
            }
        }
    }

    @Test
    void goldenCaptureIsLabelledArmagetron() throws Exception {
        List<FlowRecord> flows = Golden.analyze("/captures/armagetron/armagetron.pcap");
        assertThat(flows).hasSize(2);
        for (FlowRecord f : flows) {
            assertThat(f.protocol()).isEqualTo("Armagetron");
            assertThat(f.category()).isEqualTo("Game");
            assertThat(f.confidence()).isEqualTo("DPI");
        }
    }

    /** A real server's answers (captures/armagetron/record.sh: Debian's armagetronad-dedicated 0.2.9.1, on loopback). */
    @Test
    void aRealServersBrowserAnswersAreArmagetron() throws Exception {
        List<FlowRecord> flows = Golden.analyze("/captures/armagetron/armagetron-server.pcap");
        assertThat(flows).hasSize(1);
        assertThat(flows.get(0).protocol()).isEqualTo("Armagetron");
        assertThat(flows.get(0).confidence()).isEqualTo("DPI");
        // the answers alone, off the game port: small_server (18 bytes) and the start of big_server
        assertThat(Drive.run(new ArmagetronDissector(), new TestFlow(17, 40100, 9999),
                List.of(Msg.s(hex("0032 0000 0005 11b6 0000 0000 0000 0000 0000")))).recognised()).isTrue();
    }

    @Test
    void tsharkAgreesTheGoldenCaptureIsArmagetron() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tshark")), "tshark is not installed");
        Path pcap = Path.of(ArmagetronDissectorTest.class.getResource("/captures/armagetron/armagetron.pcap").toURI());
        Process p = new ProcessBuilder("/usr/bin/tshark", "-n", "-r", pcap.toString(), "-T", "fields", "-e", "frame.protocols")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> rows = new ArrayList<>(new String(p.getInputStream().readAllBytes()).lines().toList());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(rows).hasSize(6).allMatch(r -> r.endsWith(":udp:armagetronad"));
    }

    @Property(tries = 400)
    void neverThrows(@ForAll @Size(max = 600) byte[] a, @ForAll boolean first) {
        TestFlow f = new TestFlow(17, 40200, 4534);
        new ArmagetronDissector().inspect(f, first, a, 0, a.length);
    }

    @Test
    void neverThrowsOnMutatedDatagrams() {
        assertThat(DissectorChecks.neverThrows(new ArmagetronDissector(), 4534, 7, LOGIN2,
                hex("0001 0000 0001 0001 001c 0002 0002 0500 0001 0001"))).isPositive();
    }
}
