package org.fathom.protocol.tls;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.quic.QuicDissector;
import org.fathom.protocol.testing.TestFlow;

/** Random and mutated input never throws out of the TLS, DTLS and QUIC parsers and dissectors, and never hangs. */
class SecureTransportPropertiesTest {
    private static final byte[] CLIENT = TlsDissectorTest.clientStream();
    private static final byte[] SERVER = TlsDissectorTest.serverStream(TlsDissectorTest.resource("leaf.der"), 0xc02f);
    private static final byte[] DER = TlsDissectorTest.resource("leaf.der");
    private static final byte[] QUIC = org.fathom.protocol.quic.QuicTestAccess.rfcInitial();

    static byte[] mutate(byte[] base, List<Integer> positions, List<Byte> values) {
        byte[] b = base.clone();
        for (int i = 0; i < positions.size() && i < values.size(); i++) {
            b[positions.get(i) % b.length] = values.get(i);
        }
        return b;
    }

    @Property(tries = 200)
    void parsersSurviveRandomBytes(@ForAll @Size(max = 600) byte[] b) {
        ClientHello.parse(b, 0, b.length, false);
        ClientHello.parse(b, 0, b.length, true);
        ServerHello.parse(b, 0, b.length);
        Certificate.parse(b, 0, b.length);
    }

    @Property(tries = 200)
    void dissectorsSurviveRandomDatagramsAndChunks(@ForAll @Size(max = 1500) byte[] b, @ForAll @IntRange(min = 1, max = 64) int chunk) {
        feedChunks(new TlsDissector(), TestFlow.tcp(443), b, chunk);
        feedChunks(new DtlsDissector(), TestFlow.udp(443), b, b.length + 1);
        feedChunks(new QuicDissector(), TestFlow.udp(443), b, b.length + 1);
    }

    @Property(tries = 200)
    void mutatedHandshakesNeverThrow(@ForAll @Size(max = 8) List<@IntRange(min = 0, max = 100_000) Integer> positions,
            @ForAll @Size(max = 8) List<Byte> values, @ForAll @IntRange(min = 1, max = 400) int chunk) {
        TestFlow ctx = TestFlow.tcp(443);
        TlsDissector d = new TlsDissector();
        feedChunks(d, ctx, mutate(CLIENT, positions, values), chunk);
        feedChunks(d, ctx, false, mutate(SERVER, positions, values), chunk);
        byte[] der = mutate(DER, positions, values);
        Certificate.parse(der, 0, der.length);
        byte[] q = mutate(QUIC, positions, values);
        QuicDissector qd = new QuicDissector();
        TestFlow qc = TestFlow.udp(443);
        qd.inspect(qc.packet(true), true, q, 0, q.length);
        qd.inspect(qc.packet(true), true, q, 0, q.length);
    }

    private static void feedChunks(Dissector d, TestFlow ctx, byte[] b, int chunk) {
        feedChunks(d, ctx, true, b, chunk);
    }

    private static void feedChunks(Dissector d, TestFlow ctx, boolean fromClient, byte[] b, int chunk) {
        for (int p = 0; p < b.length; p += chunk) {
            int n = Math.min(chunk, b.length - p);
            int r = d.inspect(ctx.packet(fromClient), fromClient, b, p, n);
            if (r == Dissector.NO || r == Dissector.DONE) {
                return;
            }
        }
    }
}
