package org.fathom.protocol.noe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.samples.Hex.hex;

import java.nio.file.Files;
import java.nio.file.Path;
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

/** NOE: UA/UDP datagrams laid out as Wireshark's packet-uaudp.c, packet-ua.c and packet-noe.c read them. */
class NoeDissectorTest {
    private static final byte[] CONNECT = hex("00 000101 010108 020205dc 05011e");
    private static final byte[] DATA_UP = hex("07 0000 0001 0500 15 03 00 01 02");
    private static final byte[] DATA_DOWN = hex("07 0002 0001 0300 15 83 00 0400 16 03 01 05");

    private static boolean recognised(int clientPort, int serverPort, List<Msg> msgs) {
        return Drive.run(new NoeDissector(), new TestFlow(17, clientPort, serverPort), msgs).recognised();
    }

    @Test
    void onTheTerminalPortOneStrongDatagramDecides() {
        assertThat(recognised(32000, 32640, List.of(Msg.c(CONNECT)))).isTrue();
        assertThat(recognised(32000, 32640, List.of(Msg.c(hex("04")), Msg.s(hex("05")), Msg.c(DATA_UP)))).isTrue();
        assertThat(recognised(41000, 32512, List.of(Msg.s(DATA_DOWN)))).isTrue();
        // keep-alives and data acks alone are too little
        assertThat(recognised(32000, 32640, List.of(Msg.c(hex("04")), Msg.s(hex("05")), Msg.c(hex("07 0001 0002"))))).isFalse();
    }

    @Test
    void elsewhereBothSidesMustSendUaMessages() {
        assertThat(recognised(41000, 42000, List.of(Msg.c(DATA_UP), Msg.s(DATA_DOWN)))).isTrue();
        assertThat(recognised(41000, 42000, List.of(Msg.c(CONNECT), Msg.s(DATA_DOWN)))).isTrue();
        assertThat(recognised(41000, 42000, List.of(Msg.c(DATA_UP), Msg.c(DATA_UP)))).isFalse();
        assertThat(recognised(41000, 42000, List.of(Msg.c(DATA_UP), Msg.s(hex("99 00"))))).isFalse();
    }

    @Test
    void brokenLayoutsAreRefused() {
        // a UA length that overruns, an unknown UA opcode, a NOE method out of range
        assertThat(recognised(32000, 32640, List.of(Msg.c(hex("07 0000 0001 0600 15 03 00 01 02"))))).isFalse();
        assertThat(recognised(32000, 32640, List.of(Msg.c(hex("07 0000 0001 0500 10 03 00 01 02"))))).isFalse();
        assertThat(recognised(32000, 32640, List.of(Msg.c(hex("07 0000 0001 0500 15 07 00 01 02"))))).isFalse();
        // connect parameters of unknown type or with a length that does not chain
        assertThat(recognised(32000, 32640, List.of(Msg.c(hex("00 0a0101 010108"))))).isFalse();
        assertThat(recognised(32000, 32640, List.of(Msg.c(hex("00 000101 010208"))))).isFalse();
        // a keep-alive with trailing bytes, an opcode above 7
        assertThat(recognised(32000, 32640, List.of(Msg.c(hex("04 00"))))).isFalse();
        assertThat(recognised(32000, 32640, List.of(Msg.c(hex("08 000101 010108"))))).isFalse();
        assertThat(Drive.run(new NoeDissector(), new TestFlow(6, 32000, 32640), List.of(Msg.c(CONNECT))).recognised()).isFalse();
    }

    @Test
    void refusesOtherProtocolsSamples() {
        for (List<Sample> set : List.of(Samples.all(), Samples.foreign())) {
            for (Sample s : set) {
                if (!"NOE".equals(s.expect())) {
                    assertThat(Drive.run(new NoeDissector(), new TestFlow(s.l4(), s.clientPort(), s.serverPort()), s.msgs()).recognised())
                            .as(s.label()).isFalse();
                }
            }
        }
    }

    @Test
    void goldenCaptureIsLabelledNoe() throws Exception {
        List<FlowRecord> flows = Golden.analyze("/captures/noe/noe.pcap");
        assertThat(flows).hasSize(2);
        for (FlowRecord f : flows) {
            assertThat(f.protocol()).isEqualTo("NOE");
            assertThat(f.category()).isEqualTo("VoIP");
            assertThat(f.confidence()).isEqualTo("DPI");
        }
    }

    @Test
    void tsharkAgreesTheGoldenCaptureIsUaUdpCarryingNoe() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tshark")), "tshark is not installed");
        Path pcap = Path.of(NoeDissectorTest.class.getResource("/captures/noe/noe.pcap").toURI());
        // tshark decodes UA/UDP on the terminal ports 32000 and 32512; the second flow's terminal port is given as a third
        Process p = new ProcessBuilder("/usr/bin/tshark", "-n", "-r", pcap.toString(), "-o", "uaudp.port3:41000", "-T", "fields",
                "-e", "frame.protocols").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> rows = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(rows).hasSize(8).allMatch(r -> r.contains(":udp:uaudp"));
        assertThat(rows.stream().filter(r -> r.contains(":ua:noe")).count()).isEqualTo(4);
    }

    @Property(tries = 400)
    void neverThrows(@ForAll @Size(max = 300) byte[] a, @ForAll @Size(max = 300) byte[] b) {
        TestFlow f = new TestFlow(17, 41000, 42000);
        NoeDissector d = new NoeDissector();
        d.inspect(f, true, a, 0, a.length);
        d.inspect(f, false, b, 0, b.length);
    }

    @Test
    void neverThrowsOnMutatedDatagrams() {
        assertThat(DissectorChecks.neverThrows(new NoeDissector(), 32000, 7, CONNECT, DATA_UP, DATA_DOWN)).isPositive();
    }
}
