package org.fathom.protocol.apptest;

import static org.fathom.protocol.apptest.Bytes.ascii;
import static org.fathom.protocol.apptest.Bytes.hex;

import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.ProtocolRegistry;
import org.fathom.protocol.testing.TestFlow;

/**
 * Random and mutated input never makes one of the breadth dissectors (issue 15) throw: random
 * chunks from both sides over TCP and UDP on each one's port, and valid first messages with bytes
 * flipped, cut or repeated.
 */
class BreadthFuzzProperties {
    static final List<byte[]> SEEDS = List.of(
            hex("03 0007aa57 00000000 c4ff95ff1affe3ff"),
            ascii("0 thinkk 17\n"),
            ascii("example.com\r\n"),
            hex("b458830200e0840300c1a28504040000008604040000009f6e02"),
            hex("0089d0410001008310410039115e8482f29183836d81979793898381"),
            hex("00e2 0000 0100 0000 013a 012c 0c41 2000 7fff 4f98 0000 0001 00a8 003a") ,
            ascii("GIOP\u0001\u0002\u0001\u0000\u0044\u0000\u0000\u0000"),
            ascii("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n"),
            hex("0d0a0d0a000d0a515549540a 21 11 000c c0000201 c6336402 dc04 01bb"),
            hex("52545053 0203 010f 010f45d2b3f5a9e400000001 0901 0800 0000000000000000"),
            hex("00000120 01 4163746976654d51 0000000c"),
            hex("5a425844 01 0a000000 00000000 6167656e742e70696e67"),
            ascii("\u000BMSH|^~\\&|ADT1|GHH|LAB|GHH|20070101120000||ADT^A01|M1|P|2.5\r"),
            hex("0003006a2112a44200009b50688113221d806d09400000660100b2f3a431734fd3"),
            ascii("200 NNTP Service Ready, posting permitted\r\n"),
            ascii("*KISMET: 0.0.0 1104444555 kismet 0.0 2\n"));

    /** Every registered dissector (the registry, not a hand-kept list). */
    static final List<Dissector> DISSECTORS = ProtocolRegistry.defaults().dissectors();

    @Property(tries = 300)
    void randomChunksNeverBreakADissector(@ForAll @Size(max = 700) byte[] data, @ForAll @IntRange(min = 0, max = 9999) int which,
            @ForAll boolean tcp, @ForAll long seed) {
        feed(data, which, tcp, seed);
    }

    @Property(tries = 600)
    void mutatedSeedsNeverBreakADissector(@ForAll("mutatedSeed") byte[] data, @ForAll @IntRange(min = 0, max = 9999) int which,
            @ForAll boolean tcp, @ForAll long seed) {
        feed(data, which, tcp, seed);
    }

    @Provide
    Arbitrary<byte[]> mutatedSeed() {
        return Arbitraries.integers().between(0, SEEDS.size() - 1)
                .flatMap(i -> Arbitraries.longs().map(seed -> DissectorFuzzProperties.mutate(SEEDS.get(i), seed)));
    }

    private static void feed(byte[] data, int which, boolean tcp, long seed) {
        Dissector d = DISSECTORS.get(which % DISSECTORS.size());
        int[] ports = tcp ? d.descriptor().tcpPorts() : d.descriptor().udpPorts();
        TestFlow f = new TestFlow(d, tcp, ports.length > 0 ? ports[0] : 1000);
        Random r = new Random(seed);
        boolean fromClient = r.nextBoolean();
        int p = 0;
        while (p < data.length) {
            int n = 1 + r.nextInt(Math.max(1, data.length - p));
            f.feed(fromClient, data, p, Math.min(n, data.length - p)); // any exception fails the property
            p += n;
            if (r.nextInt(3) == 0) {
                fromClient = !fromClient;
            }
        }
    }
}
