package org.fathom.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.flow.Packets.ACK;
import static org.fathom.flow.Packets.FIN;
import static org.fathom.flow.Packets.MS;
import static org.fathom.flow.Packets.PSH;
import static org.fathom.flow.Packets.RST;
import static org.fathom.flow.Packets.S;
import static org.fathom.flow.Packets.SYN;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.fathom.decode.DecodedPacket;
import org.fathom.decode.IpProtocol;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Random packets against a plain reference model (a HashMap of flows plus one insertion-ordered
 * set per timeout class): after every operation both must hold the same flows with the same
 * counters, and must have ended the same flows, in the same order, for the same reasons.
 * Small tables, short timeouts and frequent closes make deletion (timeouts, evictions, port reuse)
 * as common as insertion; the collision hook squeezes every key onto a few home slots at the end
 * of the table, so backward-shift deletion works on long probe runs that wrap around.
 */
class FlowTableModelTest {
    private static final FlowConfig CONFIG = new FlowConfig(1, 20 * S, 3 * S, 1 * S, 8 * S, 5 * S);

    @ParameterizedTest(name = "seed {0}: maxFlows {1}, {2} conversations, hash & {3} ^ {4}")
    @CsvSource({
            // seed, maxFlows, conversations, hashAnd, hashXor, time step divisor, operations, full check every
            "1, 64, 200, -1, 0, 4, 20000, 50",
            "2, 40, 120, 7, -8, 1, 15000, 50",       // eight home slots, the last ones: runs wrap around
            "3, 1200, 2500, 255, 0, 60, 15000, 1000", // grows past the initial 1,024 flows, long runs
    })
    void tableMatchesTheModel(long seed, int maxFlows, int conversations, int hashAnd, int hashXor, int timeDivisor,
                              int ops, int checkEvery) {
        Random rnd = new Random(seed);
        Recorder rec = new Recorder();
        FlowTable table = new FlowTable(CONFIG.withMaxFlows(maxFlows), rec, hashAnd, hashXor);
        Model model = new Model(CONFIG.withMaxFlows(maxFlows));
        List<DecodedPacket> convs = conversations(rnd, conversations);
        long ts = 1_700_000_000L * S;
        int lastFlow = -1;
        int compared = 0;
        for (int op = 0; op < ops; op++) {
            int what = rnd.nextInt(100);
            if (what < 4 && lastFlow >= 0) { // protocol knowledge names the client
                boolean b = rnd.nextBoolean();
                table.setClientIsB(lastFlow, b);
                model.setClientIsB(model.last, b);
            } else if (what < 5) {
                table.expireIdle(ts);
                model.expireIdle(ts);
                lastFlow = -1; // may have ended
            } else {
                ts += step(rnd) / timeDivisor;
                DecodedPacket p = Packets.copy(convs.get(rnd.nextInt(convs.size())));
                if (rnd.nextBoolean()) {
                    p = Packets.reverse(p);
                }
                p.timestampNanos = ts - (rnd.nextInt(50) == 0 ? rnd.nextInt(20) * MS : 0); // a little reordering
                p.wireBytes = 40 + rnd.nextInt(1500);
                p.frames = rnd.nextInt(30) == 0 ? 2 + rnd.nextInt(3) : 1;
                if (p.l4 == IpProtocol.TCP) {
                    p.tcpFlags = tcpFlags(rnd);
                }
                lastFlow = table.update(p);
                MFlow m = model.update(p);
                assertThat(FlowSnapshot.of(table, lastFlow, null)).as("op %d", op).isEqualTo(m.snapshot(null));
                assertThat(table.lastFromClient(lastFlow)).isEqualTo(model.lastFromClient);
            }
            assertThat(rec.ended.size()).as("op %d: ended flows", op).isEqualTo(model.ended.size());
            assertThat(rec.ended.subList(compared, rec.ended.size())).as("op %d: ended flows", op)
                    .isEqualTo(model.ended.subList(compared, model.ended.size()));
            compared = rec.ended.size();
            assertThat(table.active()).isEqualTo(model.flows.size());
            if (op % checkEvery == 0 || op == ops - 1) {
                table.checkInvariants();
                Set<FlowSnapshot> held = new HashSet<>();
                for (int f : table.activeFlows()) {
                    held.add(FlowSnapshot.of(table, f, null));
                }
                assertThat(held).as("op %d: held flows", op).isEqualTo(model.snapshots());
            }
        }
        assertThat(table.created()).isEqualTo(model.created);
        assertThat(table.evicted()).isEqualTo(model.evicted);
        assertThat(table.expired()).isEqualTo(model.expired);
        assertThat(table.peak()).isEqualTo(model.peak);
        // the workload really did delete a lot
        assertThat(model.evicted).isGreaterThan(ops / 100);
        assertThat(model.expired).isGreaterThan(ops / 100);
        assertThat(model.reused).isGreaterThan(ops / 1000);
        table.flush();
        model.flush();
        assertThat(rec.ended).isEqualTo(model.ended);
        assertThat(rec.ended).hasSize((int) table.created());
        table.checkInvariants();
    }

    private static long step(Random rnd) {
        int r = rnd.nextInt(1000);
        if (r < 900) {
            return rnd.nextInt(40) * MS;
        } else if (r < 995) {
            return rnd.nextInt(2500) * MS; // past the closed (1 s) and, with luck, handshake (3 s) timeouts
        }
        return rnd.nextInt(25) * S; // past every timeout
    }

    private static int tcpFlags(Random rnd) {
        int r = rnd.nextInt(100);
        if (r < 15) {
            return SYN;
        } else if (r < 25) {
            return SYN | ACK;
        } else if (r < 65) {
            return ACK;
        } else if (r < 80) {
            return PSH | ACK;
        } else if (r < 90) {
            return FIN | ACK;
        } else if (r < 94) {
            return RST;
        } else if (r < 97) {
            return RST | ACK;
        }
        return rnd.nextInt(256);
    }

    private static List<DecodedPacket> conversations(Random rnd, int n) {
        String[] v4 = {"10.0.0.1", "10.0.0.2", "10.0.0.3", "192.168.1.1", "8.8.8.8"};
        String[] v6 = {"2001:db8::1", "2001:db8::2", "fe80::1", "2001:db8:1::1"};
        int[] protos = {IpProtocol.TCP, IpProtocol.TCP, IpProtocol.TCP, IpProtocol.UDP, IpProtocol.UDP,
                IpProtocol.ICMP, IpProtocol.SCTP, IpProtocol.GRE};
        Set<List<Object>> seen = new HashSet<>();
        List<DecodedPacket> out = new ArrayList<>();
        while (out.size() < n) {
            String[] fam = rnd.nextInt(4) == 0 ? v6 : v4;
            String a = fam[rnd.nextInt(fam.length)];
            String b = fam[rnd.nextInt(fam.length)];
            int proto = protos[rnd.nextInt(protos.length)];
            int pa = IpProtocol.hasPorts(proto) ? rnd.nextInt(40) : 0;
            int pb = IpProtocol.hasPorts(proto) ? rnd.nextInt(3) * 1000 : 0;
            int vlan = rnd.nextInt(5) == 0 ? 7 : 0;
            // one conversation per unordered key, so that the pool has n distinct flows
            List<Object> ka = List.of(a, pa, b, pb, proto, vlan);
            List<Object> kb = List.of(b, pb, a, pa, proto, vlan);
            if (!seen.add(ka) || !seen.add(kb) && !ka.equals(kb)) {
                continue;
            }
            DecodedPacket d = Packets.packet(proto, a, pa, b, pb);
            d.vlan = vlan;
            d.tunnel = rnd.nextInt(10) == 0 ? 2 : 0;
            out.add(d);
        }
        return out;
    }

    // ---------------------------------------------------------------- reference model

    private static final int C_SYN = 0, C_OPEN = 1, C_CLOSED = 2, C_UDP = 3, C_OTHER = 4;

    record Key(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort, int l4, int vlan) {}

    /** One flow of the model, counters by canonical side (0 = A, the lower endpoint). */
    static final class MFlow {
        Key key;
        int tunnel;
        boolean clientIsB;
        boolean clientBySyn;
        boolean established, finA, finB, rst;
        final long[] pkts = new long[2], bytes = new long[2], first = new long[2], last = new long[2];
        final int[] flags = new int[2];
        long lastSeen;
        int cls;

        FlowSnapshot snapshot(FlowEnd reason) {
            int c = clientIsB ? 1 : 0;
            int s = 1 - c;
            return new FlowSnapshot(key.l4, key.vlan, tunnel,
                    c == 0 ? key.aHi : key.bHi, c == 0 ? key.aLo : key.bLo, c == 0 ? key.aPort : key.bPort,
                    s == 0 ? key.aHi : key.bHi, s == 0 ? key.aLo : key.bLo, s == 0 ? key.aPort : key.bPort,
                    pkts[c], pkts[s], bytes[c], bytes[s], first[c], last[c], first[s], last[s],
                    flags[c], flags[s], reason);
        }
    }

    static final class Model {
        final FlowConfig config;
        final Map<Key, MFlow> flows = new HashMap<>();
        final List<LinkedHashSet<MFlow>> classes = new ArrayList<>();
        final List<FlowSnapshot> ended = new ArrayList<>();
        long now = Long.MIN_VALUE;
        long nextSweep = Long.MIN_VALUE;
        long created, evicted, expired, reused;
        int peak;
        MFlow last;
        boolean lastFromClient;

        Model(FlowConfig config) {
            this.config = config;
            for (int c = 0; c < 5; c++) {
                classes.add(new LinkedHashSet<>());
            }
        }

        long timeout(int c) {
            return switch (c) {
                case C_SYN -> config.tcpSynTimeoutNanos();
                case C_OPEN -> config.tcpTimeoutNanos();
                case C_CLOSED -> config.tcpClosedNanos();
                case C_UDP -> config.udpTimeoutNanos();
                default -> config.otherTimeoutNanos();
            };
        }

        Set<FlowSnapshot> snapshots() {
            Set<FlowSnapshot> s = new HashSet<>();
            for (MFlow f : flows.values()) {
                s.add(f.snapshot(null));
            }
            return s;
        }

        MFlow update(DecodedPacket p) {
            now = Math.max(now, p.timestampNanos);
            if (now >= nextSweep) {
                expireIdle(now);
                nextSweep = now + S;
            }
            boolean ports = IpProtocol.hasPorts(p.l4);
            int sp = ports ? p.srcPort : 0;
            int dp = ports ? p.dstPort : 0;
            boolean srcIsA = FlowTable.compare(p.srcHi, p.srcLo, sp, p.dstHi, p.dstLo, dp) <= 0;
            Key key = srcIsA
                    ? new Key(p.srcHi, p.srcLo, sp, p.dstHi, p.dstLo, dp, p.l4, p.vlan)
                    : new Key(p.dstHi, p.dstLo, dp, p.srcHi, p.srcLo, sp, p.l4, p.vlan);
            boolean tcp = p.l4 == IpProtocol.TCP;
            boolean pureSyn = tcp && (p.tcpFlags & (SYN | ACK)) == SYN;
            MFlow f = flows.get(key);
            if (f != null && now - f.lastSeen > timeout(f.cls)) {
                expired++;
                end(f, closedReason(f, FlowEnd.IDLE));
                f = null;
            } else if (f != null && pureSyn && (f.finA || f.finB || f.rst)) {
                reused++;
                end(f, f.rst ? FlowEnd.RST : FlowEnd.FIN);
                f = null;
            }
            if (f == null) {
                if (flows.size() >= config.maxFlows()) {
                    expireIdle(now);
                }
                if (flows.size() >= config.maxFlows()) {
                    evicted++;
                    end(victim(), FlowEnd.EVICTED);
                }
                f = new MFlow();
                f.key = key;
                f.tunnel = p.tunnel;
                boolean synAck = tcp && (p.tcpFlags & (SYN | ACK)) == (SYN | ACK);
                f.clientIsB = synAck ? srcIsA : !srcIsA;
                f.clientBySyn = synAck;
                f.lastSeen = p.timestampNanos;
                f.cls = tcp ? C_SYN : p.l4 == IpProtocol.UDP ? C_UDP : C_OTHER;
                flows.put(key, f);
                classes.get(f.cls).add(f);
                created++;
                peak = Math.max(peak, flows.size());
            }
            int side = srcIsA ? 0 : 1;
            long ts = p.timestampNanos;
            if (f.pkts[side] == 0) {
                f.first[side] = f.last[side] = ts;
            } else {
                f.first[side] = Math.min(f.first[side], ts);
                f.last[side] = Math.max(f.last[side], ts);
            }
            f.pkts[side] += p.frames;
            f.bytes[side] += p.wireBytes;
            f.lastSeen = Math.max(f.lastSeen, ts);
            if (tcp) {
                int tf = p.tcpFlags;
                f.flags[side] |= tf;
                if (pureSyn && !f.clientBySyn) {
                    f.clientIsB = !srcIsA;
                    f.clientBySyn = true;
                }
                if ((tf & SYN) == 0 && (tf & ACK) != 0 && f.pkts[0] > 0 && f.pkts[1] > 0) {
                    f.established = true;
                }
                if ((tf & FIN) != 0) {
                    if (srcIsA) {
                        f.finA = true;
                    } else {
                        f.finB = true;
                    }
                }
                if ((tf & RST) != 0) {
                    f.rst = true;
                }
                f.cls = f.rst || f.finA && f.finB ? C_CLOSED : f.established ? C_OPEN : C_SYN;
            }
            // most recently seen: to the end of its (possibly new) class
            for (LinkedHashSet<MFlow> c : classes) {
                c.remove(f);
            }
            classes.get(f.cls).add(f);
            last = f;
            lastFromClient = srcIsA != f.clientIsB;
            return f;
        }

        private MFlow victim() {
            for (int c : new int[] {C_CLOSED, C_SYN}) {
                if (!classes.get(c).isEmpty()) {
                    return classes.get(c).getFirst();
                }
            }
            MFlow v = null;
            for (LinkedHashSet<MFlow> c : classes) {
                if (!c.isEmpty() && (v == null || c.getFirst().lastSeen < v.lastSeen)) {
                    v = c.getFirst();
                }
            }
            return v;
        }

        void setClientIsB(MFlow f, boolean b) {
            if (!f.clientBySyn) {
                f.clientIsB = b;
            }
        }

        void expireIdle(long at) {
            for (int c = 0; c < 5; c++) {
                while (!classes.get(c).isEmpty() && at - classes.get(c).getFirst().lastSeen > timeout(c)) {
                    expired++;
                    MFlow f = classes.get(c).getFirst();
                    end(f, closedReason(f, FlowEnd.IDLE));
                }
            }
        }

        void flush() {
            for (int c = 0; c < 5; c++) {
                while (!classes.get(c).isEmpty()) {
                    MFlow f = classes.get(c).getFirst();
                    end(f, closedReason(f, FlowEnd.END_OF_INPUT));
                }
            }
        }

        private static FlowEnd closedReason(MFlow f, FlowEnd otherwise) {
            return f.cls == C_CLOSED ? (f.rst ? FlowEnd.RST : FlowEnd.FIN) : otherwise;
        }

        private void end(MFlow f, FlowEnd reason) {
            ended.add(f.snapshot(reason));
            flows.remove(f.key);
            classes.get(f.cls).remove(f);
        }
    }
}
