package org.fathom.reassembly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random fragment sequences, in-range and absurd: the reassembler never throws, never holds more
 * datagrams than its cap, counts every fragment exactly once, and a datagram it completes holds
 * exactly the bytes its fragments carried.
 */
class IpReassemblerFuzzTest {
    /** Every fragment of datagram {@code id} carries these bytes at these positions, so any completion is checkable. */
    static byte content(int id, int pos) {
        return (byte) (id * 31 + pos * 7 + (pos >>> 8));
    }

    record Fragment(int id, int source, int offset, int length, boolean more, long tsStep) {}

    @Provide
    Arbitrary<List<Fragment>> sequences() {
        Arbitrary<Integer> offsets = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 64).map(i -> i * 8),
                Arbitraries.integers().between(0, 65_600),
                Arbitraries.of(0, 65_528, 65_535, -8));
        Arbitrary<Integer> lengths = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 16).map(i -> i * 8),
                Arbitraries.integers().between(0, 2_000),
                Arbitraries.of(-1, 65_535, 70_000));
        Arbitrary<Long> steps = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 2_000_000_000L),
                Arbitraries.of(-40_000_000_000L, 31_000_000_000L, Long.MAX_VALUE / 2, Long.MIN_VALUE / 2));
        Arbitrary<Fragment> fragment = Combinators.combine(Arbitraries.integers().between(0, 6), Arbitraries.integers().between(0, 1),
                offsets, lengths, Arbitraries.of(true, false), steps).as(Fragment::new);
        return fragment.list().ofMinSize(1).ofMaxSize(80);
    }

    @Property(tries = 1000)
    void smallCapsHoldUnderAnySequence(@ForAll("sequences") List<Fragment> fragments) {
        run(new IpReassembler(3, 5, 10_000_000_000L), 3, fragments);
    }

    @Property(tries = 200)
    void defaultCapsHoldUnderAnySequence(@ForAll("sequences") List<Fragment> fragments) {
        run(new IpReassembler(), IpReassembler.DEFAULT_MAX_DATAGRAMS, fragments);
    }

    /**
     * Well-formed datagrams within the caps, their fragments shuffled and interleaved: every one
     * completes, with its bytes, and nothing is dropped or left behind.
     */
    @Property(tries = 500)
    void everyDatagramWithinTheCapsCompletes(@ForAll Random random) {
        int maxDatagrams = 4, maxFragments = 8;
        IpReassembler r = new IpReassembler(maxDatagrams, maxFragments, 10_000_000_000L);
        int k = 1 + random.nextInt(maxDatagrams);
        List<Fragment> all = new ArrayList<>();
        for (int id = 0; id < k; id++) {
            int pieces = 1 + random.nextInt(maxFragments);
            int offset = 0;
            for (int i = 0; i < pieces; i++) {
                boolean last = i == pieces - 1;
                int len = last ? random.nextInt(3000) : 8 * (1 + random.nextInt(400)); // an empty middle fragment is not needed to complete
                all.add(new Fragment(id, id & 1, offset, len, !last, random.nextInt(1_000_000)));
                offset += len;
            }
        }
        Collections.shuffle(all, random);
        run(r, maxDatagrams, all);
        assertThat(r.reassembled).isEqualTo(k);
        assertThat(r.reassembledFragments).isEqualTo(all.size());
        assertThat(r.droppedFragments).isZero();
        assertThat(r.pendingFragments()).isZero();
        assertThat(r.inProgress()).isZero();
    }

    /** One fragment too many drops exactly that datagram, once, and swallows the rest of it. */
    @Property(tries = 300)
    void oneFragmentTooManyDropsThatDatagramOnly(@ForAll Random random) {
        IpReassembler r = new IpReassembler(4, 5, 10_000_000_000L);
        List<Fragment> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(new Fragment(1, 0, i * 8, i == 5 ? 3 : 8, i != 5, 1));
        }
        for (int i = 0; i < 3; i++) {
            all.add(new Fragment(2, 0, i * 16, i == 2 ? 5 : 16, i != 2, 1));
        }
        Collections.shuffle(all, random);
        // the datagram's last fragment ends its marker: send it last so every fragment meets the marker
        Fragment last1 = all.stream().filter(f -> f.id() == 1 && !f.more()).findFirst().orElseThrow();
        all.remove(last1);
        all.add(last1);
        run(r, 4, all);
        assertThat(r.tooManyFragments).isEqualTo(1);
        assertThat(r.reassembled).isEqualTo(1);
        assertThat(r.droppedFragments).isEqualTo(6);
        assertThat(r.inProgress()).isZero();
    }

    private static void run(IpReassembler r, int maxDatagrams, List<Fragment> fragments) {
        byte[] buf = new byte[80_000];
        long ts = 1_700_000_000_000_000_000L;
        for (Fragment f : fragments) {
            ts += f.tsStep();
            int off = 100;
            for (int i = 0; i < Math.max(0, Math.min(f.length(), buf.length - off)); i++) {
                buf[off + i] = content(f.id(), f.offset() + i);
            }
            int len = Math.min(f.length(), buf.length - off);
            int n = r.offer(0, 0x0000_FFFF_0A00_0000L | f.source(), 0, 0x0000_FFFF_0A00_0009L, f.id(), 17,
                    f.offset(), f.more(), buf, off, len, ts, 60);
            // plain checks: this runs for every fragment of every try
            if (r.inProgress() < 0 || r.inProgress() > maxDatagrams) {
                throw new AssertionError(r.inProgress() + " datagrams in progress, cap " + maxDatagrams);
            }
            if (r.pendingFragments() < 0 || r.fragments != r.reassembledFragments + r.droppedFragments + r.pendingFragments()) {
                throw new AssertionError("fragments " + r.fragments + " != reassembled " + r.reassembledFragments
                        + " + dropped " + r.droppedFragments + " + pending " + r.pendingFragments());
            }
            if (n >= 0) {
                if (n > IpReassembler.MAX_DATAGRAM_BYTES || r.completedFrames() < 1 || r.completedWireBytes() != 60L * r.completedFrames()) {
                    throw new AssertionError("completed " + n + " bytes from " + r.completedFrames() + " frames, "
                            + r.completedWireBytes() + " wire bytes");
                }
                for (int i = 0; i < n; i++) {
                    if (r.buffer()[i] != content(f.id(), i)) {
                        throw new AssertionError("byte " + i + " of a completed datagram " + f.id() + " is not what its fragments carried");
                    }
                }
            }
        }
    }
}
