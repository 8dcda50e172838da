package org.fathom.reassembly;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Any sequence of segments of one stream (any order, repeats, overlaps, losses, any origin
 * including across the wrap of the sequence number, any caps): the reorderer never throws and
 * returns from every call; it never holds more than its caps; every byte it delivers is the
 * stream's byte at that position (gaps accounted); and when no byte is missing and segments come
 * in order, what it delivers is exactly the stream.
 */
class TcpReordererPropertyTest {
    static byte at(int pos) {
        return (byte) (pos * 131 + (pos >>> 7));
    }

    static byte[] stream(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = at(i);
        }
        return b;
    }

    /** A segment: stream offset and length. */
    record Seg(int from, int len) {}

    /** Checks each delivered byte against the stream, following the position through gaps. */
    static final class Checker implements TcpReorderer.Sink {
        long pos;
        long delivered;
        final ByteArrayOutputStream all = new ByteArrayOutputStream();

        Checker(long origin) {
            pos = origin;
        }

        @Override
        public void bytes(byte[] buf, int off, int len) {
            assertThat(len).isPositive();
            for (int i = 0; i < len; i++) {
                assertThat(buf[off + i]).as("byte at stream position %d", pos).isEqualTo(at((int) pos));
                pos++;
            }
            delivered += len;
            all.write(buf, off, len);
        }

        @Override
        public void gap(long missing) {
            assertThat(missing).isPositive();
            pos += missing;
        }
    }

    @Provide
    Arbitrary<Integer> bases() {
        return Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.of(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE),
                Arbitraries.integers().between(-3000, 0));
    }

    @Provide
    Arbitrary<List<Seg>> anySegments() {
        Arbitrary<Seg> seg = Combinators.combine(Arbitraries.integers().between(0, 3999),
                Arbitraries.oneOf(Arbitraries.integers().between(0, 300), Arbitraries.integers().between(0, 4000)))
                .as((from, len) -> new Seg(from, Math.min(len, 4000 - from)));
        return seg.list().ofMaxSize(60);
    }

    @Property(tries = 400)
    void anyInputIsSafeBoundedAndTruthful(@ForAll("bases") int base, @ForAll("anySegments") List<Seg> segs,
                                          @ForAll @IntRange(min = 0, max = 10) int maxSegs,
                                          @ForAll @IntRange(min = 0, max = 5000) int maxBytes, @ForAll boolean syn) {
        byte[] s = stream(4000);
        TcpReorderer r = new TcpReorderer(maxSegs, maxBytes);
        long origin = syn ? 0 : segs.stream().filter(g -> g.len() > 0).findFirst().map(Seg::from).orElse(0);
        Checker c = new Checker(origin);
        if (syn) {
            r.syn(base - 1);
        }
        long fed = 0;
        for (Seg g : segs) {
            r.segment(base + g.from(), s, g.from(), g.len(), c);
            fed += g.len();
            assertThat(r.heldSegments()).isLessThanOrEqualTo(maxSegs);
            assertThat(r.heldBytes()).isLessThanOrEqualTo(maxSegs == 0 ? 0 : maxBytes);
        }
        r.flush(c);
        assertThat(r.heldSegments()).isZero();
        assertThat(c.delivered).isLessThanOrEqualTo(Math.min(fed, 4000));
        assertThat(c.pos).isLessThanOrEqualTo(4000);
        assertThat(r.gapBytes() + c.delivered).isEqualTo(c.pos - origin);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 2000).list().ofMaxSize(30);
    }

    /**
     * Segments in order of their start, each starting at or before the end of what came before
     * (retransmissions and overlaps allowed, nothing missing): exactly the stream comes out.
     */
    @Property(tries = 400)
    void inOrderDeliveryIsTheStream(@ForAll("bases") int base, @ForAll("cuts") List<Integer> starts,
                                    @ForAll("cuts") List<Integer> lengths, @ForAll @IntRange(min = 0, max = 8) int maxSegs) {
        byte[] s = stream(2000);
        List<Seg> segs = new ArrayList<>();
        int covered = 0;
        int i = 0;
        while (covered < s.length) {
            int start = i < starts.size() ? Math.min(starts.get(i), covered) : covered;
            int len = i < lengths.size() ? Math.max(1, lengths.get(i) % 700) : 500;
            len = Math.min(len, s.length - start);
            segs.add(new Seg(start, len));
            covered = Math.max(covered, start + len);
            i++;
        }
        TcpReorderer r = new TcpReorderer(maxSegs, 32 * 1024);
        Checker c = new Checker(0);
        r.syn(base - 1);
        for (Seg g : segs) {
            r.segment(base + g.from(), s, g.from(), g.len(), c);
        }
        assertThat(c.all.toByteArray()).isEqualTo(s);
        assertThat(r.hasGap()).isFalse();
    }

    /** Neighbouring segments swapped (one held at a time): with the default caps the stream is whole. */
    @Property(tries = 200)
    void swappedNeighboursAreReordered(@ForAll("bases") int base, @ForAll("cuts") List<Integer> sizes,
                                       @ForAll List<Boolean> swaps) {
        byte[] s = stream(4000);
        List<Seg> segs = new ArrayList<>();
        int at = 0;
        for (int i = 0; at < s.length; i++) {
            int len = Math.min(s.length - at, 1 + (i < sizes.size() ? sizes.get(i) % 1460 : 1000));
            segs.add(new Seg(at, len));
            at += len;
        }
        for (int i = 1; i + 1 < segs.size(); i += 2) {
            if (i / 2 < swaps.size() && swaps.get(i / 2)) {
                segs.set(i, segs.set(i + 1, segs.get(i)));
            }
        }
        TcpReorderer r = new TcpReorderer();
        Checker c = new Checker(0);
        r.syn(base - 1);
        for (Seg g : segs) {
            r.segment(base + g.from(), s, g.from(), g.len(), c);
        }
        assertThat(c.all.toByteArray()).isEqualTo(s);
        assertThat(r.hasGap()).isFalse();
    }
}
