package org.fathom.protocol.mumble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.samples.Hex.hex;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.apptest.Golden;
import org.fathom.protocol.testing.TestFlow;
import org.fathom.protocol.samples.Drive;
import org.fathom.protocol.samples.Msg;
import org.fathom.protocol.samples.Sample;
import org.fathom.protocol.samples.Samples;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Mumble's UDP server ping: the exchange of the corpus capture mumble.pcapng (server 5.39.185.162:64738). */
class MumbleDissectorTest {
    private static final byte[] PING = hex("00000000 03d72000fa76287e");
    private static final byte[] PONG = hex("00010304 03d72000fa76287e 00000000 00000064 00011940");

    private static Drive.Outcome run(Msg... msgs) {
        return Drive.run(new MumbleDissector(), new TestFlow(17, 50085, 64738), List.of(msgs));
    }

    @Test
    void pingAnsweredWithTheEchoedIdentifierIsMumble() {
        Drive.Outcome o = run(Msg.c(PING), Msg.s(PONG));
        assertThat(o.recognised()).isTrue();
        assertThat(o.protocol()).isEqualTo("Mumble");
        assertThat(o.meta()).containsEntry("mumble.users", 0L).containsEntry("mumble.max_users", 100L);
    }

    @Test
    void aPingAloneOrAnAnswerWithAnotherIdentifierIsNot() {
        assertThat(run(Msg.c(PING)).recognised()).isFalse();
        byte[] other = PONG.clone();
        other[11] ^= 1;
        assertThat(run(Msg.c(PING), Msg.s(other)).recognised()).isFalse();
        assertThat(run(Msg.s(PONG)).recognised()).isFalse();
        byte[] longer = hex("00000000 03d72000fa76287e 00");
        assertThat(run(Msg.c(longer), Msg.s(PONG)).recognised()).isFalse();
    }

    @Test
    void refusesOtherProtocolsSamples() {
        for (List<Sample> set : List.of(Samples.all(), Samples.foreign())) {
            for (Sample s : set) {
                Drive.Outcome o = Drive.run(new MumbleDissector(), s.flowOn(64738), s.msgs());
                assertThat(o.recognised()).as(s.label()).isFalse();
            }
        }
    }

    @Property(tries = 300)
    void neverThrows(@ForAll @Size(max = 4) List<@Size(max = 40) byte[]> chunks, @ForAll List<Boolean> sides) {
        MumbleDissector d = new MumbleDissector();
        TestFlow f = new TestFlow(17, 50000, 64738);
        for (int i = 0; i < chunks.size(); i++) {
            byte[] b = chunks.get(i);
            if (b.length == 0) {
                continue;
            }
            int r = d.inspect(f, i >= sides.size() || sides.get(i), b, 0, b.length);
            assertThat(r).isBetween(Dissector.NO, Dissector.DONE);
            if (r == Dissector.NO || r == Dissector.DONE) {
                break;
            }
        }
    }

    @Test
    void corpusPingFlowsAreMumble() throws Exception {
        Path pcap = corpus().resolve("mumble.pcapng");
        Assumptions.assumeTrue(Files.isRegularFile(pcap), "nDPI corpus not present");
        List<FlowRecord> udp = Golden.flows(pcap).stream().filter(f -> f.l4().equals("UDP") && f.dstPort() == 64738).toList();
        assertThat(udp).isNotEmpty();
        assertThat(udp).allSatisfy(f -> assertThat(f.protocol()).isEqualTo("Mumble"));
    }

    static Path corpus() {
        return Files.isDirectory(Path.of("../../shared/corpus/ndpi/pcap")) ? Path.of("../../shared/corpus/ndpi/pcap")
                : Path.of("../../../shared/corpus/ndpi/pcap");
    }
}
