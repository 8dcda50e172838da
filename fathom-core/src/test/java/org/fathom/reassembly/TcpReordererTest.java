package org.fathom.reassembly;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one TCP reorderer, as the classifier (caps 8 segments / 32 KiB) and the SIP call analyzer
 * (caps 0: nothing held) use it: in order, split anywhere, out of order, retransmitted,
 * overlapping, lost, across the wrap of the sequence number.
 */
class TcpReordererTest {
    /** Records what the reorderer delivers: the bytes, and gaps as "[gap n]". */
    static final class Out implements TcpReorderer.Sink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<String> events = new ArrayList<>();
        long gaps;

        @Override
        public void bytes(byte[] buf, int off, int len) {
            bytes.write(buf, off, len);
            events.add(new String(buf, off, len, java.nio.charset.StandardCharsets.ISO_8859_1));
        }

        @Override
        public void gap(long missing) {
            gaps += missing;
            events.add("[gap " + missing + "]");
        }

        String text() {
            return bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    static byte[] stream(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    static void feed(TcpReorderer r, int base, byte[] s, int from, int to, Out out) {
        r.segment(base + from, s, from, to - from, out);
    }

    @Test
    void everySplitPointAndEveryPairOfThem() {
        byte[] s = stream(61);
        for (int base : new int[] {1000, -20, Integer.MAX_VALUE - 30}) {
            for (int i = 1; i < s.length; i++) {
                for (int j = i; j < s.length; j++) {
                    TcpReorderer r = new TcpReorderer();
                    Out out = new Out();
                    feed(r, base, s, 0, i, out);
                    feed(r, base, s, i, j, out);
                    feed(r, base, s, j, s.length, out);
                    assertThat(out.bytes.toByteArray()).as("base %d cuts %d %d", base, i, j).isEqualTo(s);
                    assertThat(r.hasGap()).isFalse();
                }
            }
        }
    }

    @Test
    void inOrderSegmentsPassStraightThroughWithoutACopy() {
        byte[] s = stream(100);
        TcpReorderer r = new TcpReorderer();
        List<byte[]> seen = new ArrayList<>();
        r.segment(5, s, 0, 100, (b, o, l) -> seen.add(b));
        assertThat(seen).hasSize(1);
        assertThat(seen.getFirst()).isSameAs(s);
        assertThat(r.heldSegments()).isZero();
    }

    @Test
    void theInOrderPathAllocatesNothing() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] s = stream(1460);
        TcpReorderer r = new TcpReorderer();
        long[] sum = new long[1];
        TcpReorderer.Sink sink = (b, o, l) -> sum[0] += l;
        int seq = 0;
        for (int i = 0; i < 20_000; i++) {   // warm up
            r.segment(seq, s, 0, s.length, sink);
            r.segment(seq, s, 0, 100, sink);  // a retransmission too
            seq += s.length;
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            r.segment(seq, s, 0, s.length, sink);
            r.segment(seq, s, 0, 100, sink);
            seq += s.length;
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated for 200,000 segments").isLessThan(4096);
        assertThat(sum[0]).isEqualTo(120_000L * s.length);
    }

    @Test
    void outOfOrderSegmentsAreHeldAndDeliveredInOrder() {
        byte[] s = stream(300);
        TcpReorderer r = new TcpReorderer();
        Out out = new Out();
        r.syn(6);
        feed(r, 7, s, 200, 300, out);
        feed(r, 7, s, 100, 200, out);
        assertThat(out.bytes.size()).isZero();
        assertThat(r.heldSegments()).isEqualTo(2);
        feed(r, 7, s, 0, 100, out);
        assertThat(out.bytes.toByteArray()).isEqualTo(s);
        assertThat(out.events).hasSize(3);
        assertThat(r.hasGap()).isFalse();
        assertThat(r.heldSegments()).isZero();
        assertThat(r.heldBytes()).isZero();
    }

    @Test
    void retransmittedAndOverlappingBytesAreNotFedAgain() {
        byte[] s = stream(500);
        TcpReorderer r = new TcpReorderer();
        Out out = new Out();
        r.syn(99);
        feed(r, 100, s, 0, 200, out);
        feed(r, 100, s, 0, 200, out);      // whole retransmission
        feed(r, 100, s, 50, 150, out);     // inside what was delivered
        feed(r, 100, s, 150, 260, out);    // overlaps the front
        feed(r, 100, s, 300, 400, out);    // ahead: held
        feed(r, 100, s, 300, 400, out);    // held twice: kept once
        feed(r, 100, s, 280, 350, out);    // overlaps the held one: held too
        assertThat(r.heldSegments()).isEqualTo(2);
        feed(r, 100, s, 250, 290, out);    // fills the gap; both held drain, trimmed
        feed(r, 100, s, 380, 500, out);
        assertThat(out.bytes.toByteArray()).isEqualTo(s);
        assertThat(r.hasGap()).isFalse();
    }

    @Test
    void aLostSegmentIsSkippedWhenTheSegmentCapIsReached() {
        byte[] s = stream(1000);
        TcpReorderer r = new TcpReorderer();
        Out out = new Out();
        feed(r, 0, s, 0, 100, out);
        // 100..200 is lost; 8 segments can wait for it
        for (int k = 2; k < 10; k++) {
            feed(r, 0, s, k * 100, k * 100 + 100, out);
            assertThat(out.bytes.size()).isEqualTo(100);
        }
        assertThat(r.heldSegments()).isEqualTo(8);
        feed(r, 0, s, 1000 - 0, 1000, out); // empty: nothing changes
        byte[] more = stream(1100);
        feed(r, 0, more, 1000, 1100, out);  // the 9th: the gap is given up
        assertThat(r.hasGap()).isTrue();
        assertThat(r.gapBytes()).isEqualTo(100);
        assertThat(out.gaps).isEqualTo(100);
        assertThat(out.events.get(1)).isEqualTo("[gap 100]");
        assertThat(out.text()).isEqualTo(new String(more, 0, 100, java.nio.charset.StandardCharsets.ISO_8859_1)
                + new String(more, 200, 900, java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(r.heldSegments()).isZero();
        // the lost segment, late: a retransmission now, not fed
        feed(r, 0, more, 100, 200, out);
        assertThat(out.bytes.size()).isEqualTo(1000);
    }

    @Test
    void theByteCapIsHardAndGapsAreSkippedOneByOne() {
        TcpReorderer r = new TcpReorderer(8, 1000);
        byte[] s = stream(10_000);
        Out out = new Out();
        feed(r, 0, s, 0, 10, out);
        // islands separated by gaps, each 400 bytes: at most two fit under the cap
        for (int at = 1000; at < 9000; at += 1000) {
            feed(r, 0, s, at, at + 400, out);
            assertThat(r.heldBytes()).isLessThanOrEqualTo(1000);
            assertThat(r.heldSegments()).isLessThanOrEqualTo(8);
        }
        assertThat(r.heldSegments()).isEqualTo(2);
        r.flush(out);
        assertThat(r.heldSegments()).isZero();
        assertThat(out.bytes.size()).isEqualTo(10 + 8 * 400);
        assertThat(out.gaps).isEqualTo(990 + 7 * 600L);
        // a segment larger than the cap is held cut to the cap
        TcpReorderer big = new TcpReorderer(8, 1000);
        big.segment(0, s, 0, 1, out);
        big.segment(10, s, 10, 5000, out);
        assertThat(big.heldBytes()).isEqualTo(1000);
    }

    @Test
    void flushDeliversWhatIsHeldBehindGaps() {
        byte[] s = stream(400);
        TcpReorderer r = new TcpReorderer();
        Out out = new Out();
        feed(r, 50, s, 0, 100, out);
        feed(r, 50, s, 300, 400, out);
        feed(r, 50, s, 200, 250, out);
        r.flush(out);
        assertThat(out.events).containsExactly(new String(s, 0, 100, java.nio.charset.StandardCharsets.ISO_8859_1),
                "[gap 100]", new String(s, 200, 50, java.nio.charset.StandardCharsets.ISO_8859_1), "[gap 50]",
                new String(s, 300, 100, java.nio.charset.StandardCharsets.ISO_8859_1));
        r.flush(out);
        assertThat(out.events).hasSize(5);
    }

    @Test
    void sequenceNumbersWrapAround() {
        byte[] s = stream(3000);
        int base = -1500; // 0xFFFFFA24: the stream crosses 2^32 in its middle
        TcpReorderer r = new TcpReorderer();
        Out out = new Out();
        r.syn(base - 1);
        feed(r, base, s, 0, 1000, out);
        feed(r, base, s, 2000, 3000, out);   // ahead, across the wrap
        feed(r, base, s, 500, 1500, out);    // overlap across the wrap
        feed(r, base, s, 1500, 2000, out);
        assertThat(out.bytes.toByteArray()).isEqualTo(s);
        assertThat(r.hasGap()).isFalse();
        // a lost segment across the wrap is counted exactly
        TcpReorderer z = new TcpReorderer(0, 0);
        Out o2 = new Out();
        feed(z, Integer.MAX_VALUE - 10, s, 0, 5, o2);
        feed(z, Integer.MAX_VALUE - 10, s, 40, 60, o2);
        assertThat(o2.gaps).isEqualTo(35);
    }

    @Test
    void aSynSetsTheOriginAndItsSequenceNumberIsNotData() {
        byte[] s = stream(20);
        TcpReorderer r = new TcpReorderer();
        Out out = new Out();
        r.syn(41);
        feed(r, 42, s, 5, 20, out);  // the first 5 bytes are missing so far
        assertThat(out.bytes.size()).isZero();
        feed(r, 42, s, 0, 5, out);
        assertThat(out.bytes.toByteArray()).isEqualTo(s);
        r.syn(7);                     // a later SYN (retransmitted, or of a reused port) does not move it
        feed(r, 42, s, 0, 20, out);
        assertThat(out.bytes.size()).isEqualTo(20);
    }

    @Test
    void withZeroCapsGapsAreSkippedAtOnceAndLateSegmentsDropped() {
        byte[] s = stream(300);
        TcpReorderer r = new TcpReorderer(0, 0);
        Out out = new Out();
        feed(r, 0, s, 0, 100, out);
        feed(r, 0, s, 200, 300, out);
        assertThat(out.events).containsExactly(new String(s, 0, 100, java.nio.charset.StandardCharsets.ISO_8859_1),
                "[gap 100]", new String(s, 200, 100, java.nio.charset.StandardCharsets.ISO_8859_1));
        feed(r, 0, s, 100, 200, out); // late: never delivered after what followed it
        assertThat(out.events).hasSize(3);
        assertThat(r.heldSegments()).isZero();
    }
}
