package org.fathom.protocol.steamrelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.samples.Hex.cat;
import static org.fathom.protocol.samples.Hex.hex;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.fathom.protocol.samples.Drive;
import org.fathom.protocol.samples.Msg;
import org.fathom.protocol.samples.Sample;
import org.fathom.protocol.samples.Samples;
import org.junit.jupiter.api.Test;

/** Steam Datagram Relay: the relay ping of the corpus capture steam.pcapng (to 155.133.252.86:27045). */
class SteamDatagramRelayDissectorTest {
    private static final byte[] PING = cat(hex("0181736470696e677ebe627ec7288817000000000659566591d40d8c62410b"), new byte[69]);

    private static Drive.Outcome run(boolean fromClient, byte[] b) {
        return Drive.run(new SteamDatagramRelayDissector(), new TestFlow(17, 46604, 27045), List.of(new Msg(fromClient, b)));
    }

    @Test
    void relayPingIsSteamDatagramRelay() {
        assertThat(PING).hasSize(100);
        assertThat(run(true, PING).protocol()).isEqualTo("SteamDatagramRelay");
    }

    @Test
    void anotherMessageOrMarkerIsNot() {
        byte[] id = PING.clone();
        id[0] = 2;
        assertThat(run(true, id).recognised()).isFalse();
        byte[] mark = PING.clone();
        mark[7] = 'G';
        assertThat(run(true, mark).recognised()).isFalse();
        assertThat(run(false, PING).recognised()).isFalse();
    }

    @Test
    void refusesOtherProtocolsSamples() {
        for (List<Sample> set : List.of(Samples.all(), Samples.foreign())) {
            for (Sample s : set) {
                assertThat(Drive.run(new SteamDatagramRelayDissector(), s.flowOn(27045), s.msgs()).recognised()).as(s.label()).isFalse();
            }
        }
    }

    @Property(tries = 300)
    void neverThrows(@ForAll @Size(max = 40) byte[] b, @ForAll boolean fromClient) {
        if (b.length > 0) {
            assertThat(new SteamDatagramRelayDissector().inspect(new TestFlow(17, 1, 2), fromClient, b, 0, b.length))
                    .isBetween(Dissector.NO, Dissector.DONE);
        }
    }
}
