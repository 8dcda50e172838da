package org.fathom.protocol.lustre;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.samples.Hex.cat;
import static org.fathom.protocol.samples.Hex.u16le;
import static org.fathom.protocol.samples.Hex.u32;
import static org.fathom.protocol.samples.Hex.u32le;
import static org.fathom.protocol.samples.Hex.u64le;
import static org.fathom.protocol.samples.Hex.zeros;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.samples.Drive;
import org.fathom.protocol.samples.Msg;
import org.fathom.protocol.samples.Sample;
import org.fathom.protocol.samples.Samples;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

/** LNet's socket-LND handshakes between 10.0.0.1 (client) and 10.0.0.2 (server), built from lnet-idl.h. */
class LustreDissectorTest {
    static final long CLIENT = 0x0A000001L;
    static final long SERVER = 0x0A000002L;

    static byte[] nid(long addr, int lnd) {
        return cat(u32le(addr), u32le((long) lnd << 16));
    }

    static byte[] acceptor(long addr) {
        return cat(u32le(LustreDissector.ACCEPTOR_MAGIC), u32le(1), nid(addr, LustreDissector.SOCKLND));
    }

    static byte[] hello(int version, long src, long dst) {
        return cat(u32le(LustreDissector.PROTO_MAGIC), u32le(version), nid(src, 2), nid(dst, 2), u32le(12345), u32le(12345),
                u64le(0x17AB00CD00EFL), u64le(0), u32le(1), u32le(0));
    }

    /** The version 1 hello: lnet_magicversion then an lnet_hdr of type HELLO (72 bytes). */
    static byte[] helloV1(long src, long dst) {
        return cat(u32le(LustreDissector.TCP_MAGIC), u16le(1), u16le(0), nid(dst, 2), nid(src, 2), u32le(12345), u32le(12345),
                u32le(LustreDissector.MSG_HELLO), u32le(0), zeros(40));
    }

    /** A KSOCK_MSG_LNET message: no checksum, no cookies, an lnet_hdr of {@code type} from src to dst. */
    static byte[] lnetMessage(long src, long dst, int type, long payload) {
        return cat(u32le(0xC1), u32le(0), u64le(0), u64le(0), nid(dst, 2), nid(src, 2), u32le(12345), u32le(12345), u32le(type),
                u32le(payload), zeros(40));
    }

    private static boolean run(Msg... msgs) {
        return Drive.run(new LustreDissector(), new TestFlow(6, 1023, 988), List.of(msgs)).recognised();
    }

    @Test
    void acceptorRequestAndHellosAreLustre() {
        assertThat(run(Msg.c(cat(acceptor(SERVER), hello(3, CLIENT, SERVER))), Msg.s(hello(3, SERVER, CLIENT)))).isTrue();
        assertThat(run(Msg.c(acceptor(SERVER)))).isTrue();
        assertThat(run(Msg.s(hello(2, SERVER, CLIENT)))).isTrue();
        assertThat(run(Msg.c(hello(3, CLIENT, SERVER)))).isTrue();
        assertThat(run(Msg.c(helloV1(CLIENT, SERVER)))).isTrue();
        // big-endian senders
        assertThat(run(Msg.c(cat(u32(LustreDissector.ACCEPTOR_MAGIC), u32(1), u32(2L << 16), u32(SERVER))))).isTrue();
        assertThat(run(Msg.c(cat(u32(LustreDissector.PROTO_MAGIC), u32(3), u32(2L << 16), u32(CLIENT), u32(2L << 16), u32(SERVER),
                zeros(32))))).isTrue();
    }

    @Test
    void aConnectionSeenAfterItsHandshake() {
        assertThat(run(Msg.c(lnetMessage(CLIENT, SERVER, 2, 0)))).isTrue();                 // GET
        assertThat(run(Msg.s(cat(lnetMessage(SERVER, CLIENT, 3, 4096), zeros(4096))))).isTrue();   // REPLY with its payload
        assertThat(run(Msg.c(lnetMessage(SERVER, CLIENT, 2, 0)))).isFalse();                // NIDs the wrong way round
        assertThat(run(Msg.c(lnetMessage(CLIENT, SERVER, 4, 0)))).isFalse();                // HELLO is no mid-stream message
        assertThat(run(Msg.c(lnetMessage(CLIENT, SERVER, 1, 2L << 20)))).isFalse();         // payload beyond LNET_MAX_PAYLOAD
        assertThat(Splits.check(LustreDissector::new, d -> TestFlow.tcp(d, 988),
                List.of(org.fathom.protocol.apptest.Msg.c(lnetMessage(CLIENT, SERVER, 1, 0)))).matched).isTrue();
    }

    @Test
    void nidsThatNameNoEndpointAreNot() {
        assertThat(run(Msg.c(acceptor(0x0A000009L)))).isFalse();                       // another node
        assertThat(run(Msg.c(cat(u32le(LustreDissector.ACCEPTOR_MAGIC), u32le(1), nid(SERVER, 5))))).isFalse();   // o2ib, not TCP
        assertThat(run(Msg.c(cat(u32le(LustreDissector.ACCEPTOR_MAGIC), u32le(2), nid(SERVER, 2))))).isFalse();   // version
        assertThat(run(Msg.s(acceptor(CLIENT)))).isFalse();                             // the server never sends it
        assertThat(run(Msg.c(hello(4, CLIENT, SERVER)))).isFalse();
        assertThat(run(Msg.c(hello(3, 0x0A000009L, 0x0A000008L)))).isFalse();
        byte[] v1 = helloV1(CLIENT, SERVER);
        v1[32] = 1;   // a PUT, not a HELLO
        assertThat(run(Msg.c(v1))).isFalse();
        TestFlow v6 = new TestFlow(6, 1023, 988);
        v6.ipv6 = true;
        v6.cHi = 0x20010DB800000000L;
        v6.sHi = 0x20010DB800000000L;
        assertThat(Drive.run(new LustreDissector(), v6, List.of(Msg.c(acceptor(SERVER)))).recognised()).isFalse();
        assertThat(Drive.run(new LustreDissector(), new TestFlow(17, 1023, 988), List.of(Msg.c(acceptor(SERVER)))).recognised()).isFalse();
    }

    @Test
    void theVerdictDoesNotDependOnSegmentation() {
        TestFlow f = Splits.check(LustreDissector::new, d -> TestFlow.tcp(d, 988),
                List.of(org.fathom.protocol.apptest.Msg.c(cat(acceptor(SERVER), hello(3, CLIENT, SERVER))), org.fathom.protocol.apptest.Msg.s(hello(3, SERVER, CLIENT))));
        assertThat(f.matched).isTrue();
        assertThat(Splits.check(LustreDissector::new, d -> TestFlow.tcp(d, 988), List.of(org.fathom.protocol.apptest.Msg.c(helloV1(CLIENT, SERVER)))).matched).isTrue();
    }

    @Test
    void refusesOtherProtocolsSamples() {
        for (List<Sample> set : List.of(Samples.all(), Samples.foreign())) {
            for (Sample s : set) {
                if (!"Lustre".equals(s.expect()) && s.l4() == 6) {
                    assertThat(Drive.run(new LustreDissector(), s.flowOn(988), s.msgs()).recognised()).as(s.label()).isFalse();
                }
            }
        }
        assertThat(DissectorChecks.neverThrows(new LustreDissector(), 988, 5, acceptor(SERVER), hello(3, SERVER, CLIENT))).isPositive();
    }

    @Property(tries = 300)
    void neverThrows(@ForAll @Size(max = 6) List<@Size(max = 120) byte[]> chunks, @ForAll List<Boolean> sides) {
        LustreDissector d = new LustreDissector();
        TestFlow f = new TestFlow(6, 1023, 988);
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
}
