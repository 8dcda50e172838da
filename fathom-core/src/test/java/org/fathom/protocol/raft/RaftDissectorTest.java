package org.fathom.protocol.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.raft.RaftWire.appendEntries;
import static org.fathom.protocol.raft.RaftWire.appendEntriesResult;
import static org.fathom.protocol.raft.RaftWire.handshake;
import static org.fathom.protocol.raft.RaftWire.requestVote;
import static org.fathom.protocol.samples.Hex.cat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.samples.Drive;
import org.fathom.protocol.samples.Golden;
import org.fathom.protocol.samples.Msg;
import org.fathom.protocol.samples.Sample;
import org.fathom.protocol.samples.Samples;
import org.fathom.protocol.testing.TestFlow;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Test;

/** Raft: canonical/raft's handshake and messages as its encoder writes them. */
class RaftDissectorTest {
    private static boolean recognised(byte[] stream) {
        return Drive.run(new RaftDissector(), new TestFlow(6, 51000, 9001), List.of(Msg.c(stream))).recognised();
    }

    @Test
    void theHandshakeDecidesAtEverySplitPoint() {
        TestFlow f = Splits.check(RaftDissector::new, d -> TestFlow.tcp(d, 9001),
                List.of(org.fathom.protocol.apptest.Msg.c(handshake(2, "10.0.0.2:9001")), org.fathom.protocol.apptest.Msg.c(requestVote(5))));
        assertThat(f.matched).isTrue();
        // an address of exactly 7 characters fills one 8-byte word with its NUL
        assertThat(recognised(handshake(3, "h1:9001"))).isTrue();
    }

    @Test
    void messagesSeenMidFlowDecideAtEverySplitPoint() {
        for (byte[] stream : List.of(cat(appendEntriesResult(7), requestVote(8)), appendEntries(9, 3), cat(requestVote(4), requestVote(4)))) {
            TestFlow f = Splits.check(RaftDissector::new, d -> TestFlow.tcp(d, 9001), List.of(org.fathom.protocol.apptest.Msg.c(stream)));
            assertThat(f.matched).isTrue();
        }
    }

    @Test
    void inconsistentBytesAreRefused() {
        byte[] h = handshake(2, "10.0.0.2:9001");
        h[16] = 24; // address size that disagrees with the address
        assertThat(recognised(h)).isFalse();
        byte[] v = handshake(2, "10.0.0.2:9001");
        v[0] = 2; // protocol 2, and not a valid message either
        assertThat(recognised(v)).isFalse();
        byte[] pad = handshake(2, "10.0.0.2:9001");
        pad[pad.length - 1] = 'x';
        assertThat(recognised(pad)).isFalse();
        assertThat(recognised(handshake(0, "10.0.0.2:9001"))).isFalse();
        // a fixed-size message whose size is wrong, or followed by garbage
        byte[] r = appendEntriesResult(7);
        r[8] = 32;
        assertThat(recognised(cat(r, appendEntriesResult(7)))).isFalse();
        assertThat(recognised(cat(appendEntriesResult(7), new byte[] {9, 0, 0, 0, 0, 0, 0, 0, 24, 0, 0, 0, 0, 0, 0, 0}))).isFalse();
        // an entry count that disagrees with the size
        byte[] a = appendEntries(9, 3);
        a[16 + 32] = 4;
        assertThat(recognised(a)).isFalse();
        // the accepting side never writes
        assertThat(Drive.run(new RaftDissector(), new TestFlow(6, 51000, 9001), List.of(Msg.s(handshake(2, "10.0.0.2:9001")))).recognised())
                .isFalse();
        // one fixed-size message alone is not enough
        TestFlow one = TestFlow.tcp(new RaftDissector(), 9001);
        one.feed(true, appendEntriesResult(7));
        assertThat(one.verdict).isEqualTo(Dissector.NEED_MORE);
        assertThat(Drive.run(new RaftDissector(), new TestFlow(17, 51000, 9001), List.of(Msg.c(handshake(2, "a:1")))).recognised()).isFalse();
    }

    @Test
    void refusesOtherProtocolsSamples() {
        for (List<Sample> set : List.of(Samples.all(), Samples.foreign())) {
            for (Sample s : set) {
                if (!"Raft".equals(s.expect())) {
                    assertThat(Drive.run(new RaftDissector(), new TestFlow(s.l4(), s.clientPort(), s.serverPort()), s.msgs()).recognised())
                            .as(s.label()).isFalse();
                }
            }
        }
    }

    @Test
    void goldenCaptureIsLabelledRaft() throws Exception {
        List<FlowRecord> flows = Golden.analyze("/captures/raft/raft.pcap");
        assertThat(flows).hasSize(2);
        for (FlowRecord f : flows) {
            assertThat(f.protocol()).isEqualTo("Raft");
            assertThat(f.category()).isEqualTo("Network");
            assertThat(f.confidence()).isEqualTo("DPI");
        }
    }

    /** Two real canonical/raft servers (captures/raft/record.sh: node.c on Debian's libraft 0.15, loopback). */
    @Test
    void aRealClustersConnectionsAreRaft() throws Exception {
        List<FlowRecord> flows = Golden.analyze("/captures/raft/raft-cluster.pcap");
        assertThat(flows).hasSize(2);
        for (FlowRecord f : flows) {
            assertThat(f.protocol()).isEqualTo("Raft");
            assertThat(f.confidence()).isEqualTo("DPI");
            assertThat(f.dstPort()).isIn(9001, 9002);
        }
    }

    /** The same cluster's connection to 9001 joined after its handshake: its RequestVote, then an AppendEntries heartbeat. */
    @Test
    void aRealConnectionJoinedAfterItsHandshakeIsRaft() {
        byte[] vote = org.fathom.protocol.samples.Hex.hex(
                "0300000000000000280000000000000002000000000000000200000000000000010000000000000001000000000000000000000000000000");
        byte[] heartbeat = org.fathom.protocol.samples.Hex.hex("0100000000000000300000000000000002000000000000000100000000000000"
                + "01000000000000000100000000000000000000000000000031" + "00a9ddfe7f0000");
        TestFlow f = Splits.check(RaftDissector::new, d -> TestFlow.tcp(d, 9001),
                List.of(org.fathom.protocol.apptest.Msg.c(vote), org.fathom.protocol.apptest.Msg.c(heartbeat)));
        assertThat(f.matched).isTrue();
        assertThat(recognised(heartbeat)).isTrue();
    }

    @Property(tries = 300)
    void neverThrows(@ForAll @Size(max = 600) byte[] a, @ForAll @Size(max = 300) byte[] b, @ForAll boolean first) {
        TestFlow f = TestFlow.tcp(new RaftDissector(), 9001);
        f.feed(first, a);
        f.feed(true, b);
    }

    @Test
    void neverThrowsOnMutatedStreams() {
        assertThat(DissectorChecks.neverThrows(new RaftDissector(), 9001, 7, handshake(2, "10.0.0.2:9001"), appendEntries(9, 3),
                Arrays.copyOf(requestVote(3), 30))).isPositive();
    }
}
