package org.fathom.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.flow.Packets.ACK;
import static org.fathom.flow.Packets.FIN;
import static org.fathom.flow.Packets.S;
import static org.fathom.flow.Packets.SYN;
import static org.fathom.flow.Packets.at;
import static org.fathom.flow.Packets.reverse;
import static org.fathom.flow.Packets.tcp;
import static org.fathom.flow.Packets.udp;
import static org.fathom.flow.Packets.wire;

import java.util.ArrayList;
import java.util.List;
import org.fathom.decode.DecodedPacket;
import org.junit.jupiter.api.Test;

class ActiveTimeoutTest {
    /** What a record would carry: reason and the counters of its interval. */
    record Rec(FlowEnd reason, long pc, long ps, long bc, long bs, long first, long last) {}

    private final List<Rec> records = new ArrayList<>();
    private final FlowTable.Listener listener = new FlowTable.Listener() {
        @Override
        public void flowEnded(FlowTable t, int f, FlowEnd reason) {
            add(t, f, reason);
        }

        @Override
        public void flowActive(FlowTable t, int f) {
            add(t, f, FlowEnd.ACTIVE);
        }

        private void add(FlowTable t, int f, FlowEnd reason) {
            records.add(new Rec(reason, t.packetsInRecord(f, true), t.packetsInRecord(f, false),
                    t.bytesInRecord(f, true), t.bytesInRecord(f, false), t.firstSeen(f), t.lastSeen(f)));
        }
    };

    @Test
    void aLongFlowEmitsInterimRecordsWhoseCountersAddUpToItsTotals() {
        FlowTable table = new FlowTable(FlowConfig.DEFAULTS.withActiveTimeout(300 * S), listener);
        DecodedPacket c2s = tcp("10.0.0.2", 40000, "10.0.0.1", 443, SYN);
        DecodedPacket s2c = reverse(c2s);
        table.update(at(wire(c2s, 74), 0));
        table.update(at(wire(Packets.flags(s2c, SYN | ACK), 74), S / 10));
        long packets = 2;
        long bytes = 148;
        // a download of twelve and a half minutes, one pair of packets every ten seconds
        for (long t = 10 * S; t <= 750 * S; t += 10 * S) {
            table.update(at(wire(Packets.flags(c2s, ACK), 66), t));
            table.update(at(wire(Packets.flags(s2c, ACK), 1514), t + S / 100));
            packets += 2;
            bytes += 66 + 1514;
        }
        table.update(at(wire(Packets.flags(c2s, FIN | ACK), 66), 751 * S));
        table.update(at(wire(Packets.flags(s2c, FIN | ACK), 66), 751 * S + 1));
        packets += 2;
        bytes += 132;
        table.flush();

        assertThat(records).extracting(Rec::reason)
                .containsExactly(FlowEnd.ACTIVE, FlowEnd.ACTIVE, FlowEnd.FIN);
        assertThat(records.stream().mapToLong(r -> r.pc() + r.ps()).sum()).isEqualTo(packets);
        assertThat(records.stream().mapToLong(r -> r.bc() + r.bs()).sum()).isEqualTo(bytes);
        // every record names the flow by its first packet and runs to its latest
        assertThat(records).allSatisfy(r -> assertThat(r.first()).isZero());
        assertThat(records.get(0).last()).isGreaterThanOrEqualTo(300 * S).isLessThan(311 * S);
        assertThat(records.get(1).last()).isGreaterThanOrEqualTo(600 * S).isLessThan(611 * S);
    }

    @Test
    void offByDefaultAndForShortFlows() {
        FlowTable plain = new FlowTable(FlowConfig.DEFAULTS, listener);
        DecodedPacket p = udp("192.0.2.1", 5004, "192.0.2.2", 5004);
        for (long t = 0; t < 1000 * S; t += 20 * S) {
            plain.update(at(p, t));
        }
        plain.flush();
        assertThat(records).extracting(Rec::reason).containsExactly(FlowEnd.END_OF_INPUT);
        assertThat(records.getFirst().pc() + records.getFirst().ps()).isEqualTo(50);

        records.clear();
        FlowTable active = new FlowTable(FlowConfig.DEFAULTS.withActiveTimeout(300 * S), listener);
        for (long t = 0; t < 200 * S; t += 20 * S) {
            active.update(at(p, t));
        }
        active.flush();
        assertThat(records).extracting(Rec::reason).containsExactly(FlowEnd.END_OF_INPUT);
    }
}
