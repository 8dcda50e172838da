package org.fathom.protocol.samples;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;

/** Random and mutated input never makes a long-tail dissector throw or answer out of range. */
class TailFuzzTest {
    private static final List<Dissector> ALL = Tail.dissectors();
    private static final List<Sample> SAMPLES = Samples.all();

    @Property(tries = 400)
    void randomChunksNeverThrow(@ForAll("dissector") int which, @ForAll boolean tcp, @ForAll boolean ownPort,
            @ForAll @Size(max = 4) List<@Size(max = 300) byte[]> chunks, @ForAll List<Boolean> sides) {
        Dissector d = ALL.get(which);
        int port = ownPort ? Tail.firstPort(d, tcp) : 40001;
        TestFlow f = new TestFlow(tcp ? 6 : 17, 50000, port);
        for (int i = 0; i < chunks.size(); i++) {
            boolean fromClient = i >= sides.size() || sides.get(i);
            byte[] b = chunks.get(i);
            if (b.length == 0) {
                continue;
            }
            int r = d.inspect(f, fromClient, b, 0, b.length);
            if (r < Dissector.NO || r > Dissector.DONE) {
                throw new AssertionError(d.descriptor().name() + " answered " + r);
            }
            if (r == Dissector.NO || r == Dissector.DONE) {
                break;
            }
        }
    }

    @Property(tries = 600)
    void mutatedSamplesNeverThrow(@ForAll("sample") int which, @ForAll @IntRange(max = 7) int kind, @ForAll int seed) {
        Sample s = SAMPLES.get(which);
        java.util.Random rnd = new java.util.Random(seed);
        List<Msg> msgs = s.msgs().stream().map(m -> new Msg(m.fromClient(), mutate(m.bytes(), kind, rnd))).toList();
        for (Dissector d : ALL) {
            Drive.run(d, s.flow(), msgs);
        }
    }

    static byte[] mutate(byte[] b, int kind, java.util.Random rnd) {
        byte[] c = b.clone();
        if (c.length == 0) {
            return c;
        }
        switch (kind) {
            case 0 -> c[rnd.nextInt(c.length)] ^= (byte) (1 << rnd.nextInt(8));
            case 1 -> c = java.util.Arrays.copyOf(c, rnd.nextInt(c.length));
            case 2 -> c[rnd.nextInt(c.length)] = (byte) 0xFF;
            case 3 -> c[rnd.nextInt(c.length)] = 0;
            case 4 -> {
                for (int i = 0; i < 4; i++) {
                    c[rnd.nextInt(c.length)] = (byte) rnd.nextInt();
                }
            }
            case 5 -> c = java.util.Arrays.copyOf(c, c.length + rnd.nextInt(64));
            default -> {
                int i = rnd.nextInt(c.length);
                int n = Math.min(4, c.length - i);
                for (int k = 0; k < n; k++) {
                    c[i + k] = (byte) 0x7F;
                }
            }
        }
        return c;
    }

    @Provide
    Arbitrary<Integer> dissector() {
        return Arbitraries.integers().between(0, ALL.size() - 1);
    }

    @Provide
    Arbitrary<Integer> sample() {
        return Arbitraries.integers().between(0, SAMPLES.size() - 1);
    }
}
