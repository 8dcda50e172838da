package org.fathom.reassembly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reassembler on its own: completion, overlaps, duplicates, and every cap. */
class IpReassemblerTest {
    static final long T0 = 1_700_000_000_000_000_000L;
    static final long SECOND = 1_000_000_000L;
    static final long SRC_LO = 0x0000_FFFF_0A00_0001L, DST_LO = 0x0000_FFFF_0A00_0002L;

    private IpReassembler r = new IpReassembler();
    private final byte[] datagram = new byte[IpReassembler.MAX_DATAGRAM_BYTES + 64];

    IpReassemblerTest() {
        for (int i = 0; i < datagram.length; i++) {
            datagram[i] = (byte) (i * 7 + (i >>> 8));
        }
    }

    /** Offers {@code [start, end)} of {@link #datagram} as a fragment of datagram {@code id}. */
    private int offer(int id, int start, int end, boolean more, long ts) {
        return r.offer(0, SRC_LO, 0, DST_LO, id, 17, start, more, datagram, start, end - start, ts, 14 + 20 + end - start);
    }

    private int offer(int id, int start, int end, boolean more) {
        return offer(id, start, end, more, T0);
    }

    private void assertRebuilt(int n) {
        assertThat(n).isPositive();
        assertThat(Arrays.copyOf(r.buffer(), n)).isEqualTo(Arrays.copyOf(datagram, n));
        assertThat(r.completedProtocol()).isEqualTo(17);
    }

    @AfterEach
    void everyFragmentIsCountedOnce() {
        assertThat(r.fragments).isEqualTo(r.reassembledFragments + r.droppedFragments + r.pendingFragments());
        assertThat(r.pendingFragments()).isNotNegative();
        assertThat(r.inProgress()).isNotNegative();
    }

    @Test
    void inOrder() {
        assertThat(offer(1, 0, 800, true)).isEqualTo(-1);
        assertThat(offer(1, 800, 1600, true)).isEqualTo(-1);
        int n = offer(1, 1600, 1650, false);
        assertThat(n).isEqualTo(1650);
        assertRebuilt(n);
        assertThat(r.completedFrames()).isEqualTo(3);
        assertThat(r.completedWireBytes()).isEqualTo((34 + 800) * 2 + 34 + 50);
        assertThat(r.reassembled).isEqualTo(1);
        assertThat(r.inProgress()).isZero();
        assertThat(r.pendingFragments()).isZero();
    }

    @Test
    void outOfOrder() {
        assertThat(offer(1, 1600, 1650, false)).isEqualTo(-1);
        assertThat(offer(1, 800, 1600, true)).isEqualTo(-1);
        assertThat(r.pendingFragments()).isEqualTo(2);
        assertRebuilt(offer(1, 0, 800, true));
        assertThat(r.completedFrames()).isEqualTo(3);
    }

    @Test
    void exactDuplicatesAreIgnoredButTheirFramesCount() {
        offer(1, 0, 800, true);
        offer(1, 0, 800, true);
        offer(1, 800, 1000, false);
        // too late to matter: already complete, so it starts a datagram of its own
        assertRebuilt(1000);
        assertThat(r.completedFrames()).isEqualTo(3);
        assertThat(r.overlapping).isZero();
    }

    @Test
    void duplicateLastFragmentIsIgnored() {
        offer(1, 800, 1000, false);
        offer(1, 800, 1000, false);
        int n = offer(1, 0, 800, true);
        assertRebuilt(n);
        assertThat(r.completedFrames()).isEqualTo(3);
    }

    @Test
    void overlappingFragmentsDropTheDatagram() {
        offer(1, 0, 808, true);
        assertThat(offer(1, 800, 1000, false)).isEqualTo(-1);
        assertThat(r.overlapping).isEqualTo(1);
        assertThat(r.droppedFragments).isEqualTo(2);
        assertThat(r.inProgress()).isZero(); // the offending fragment was the last: nothing left to swallow
        assertThat(r.reassembled).isZero();
    }

    @Test
    void overlapInTheMiddleLeavesAMarkerThatSwallowsTheRest() {
        offer(1, 0, 800, true);
        offer(1, 400, 1200, true); // overlaps: drops the datagram
        assertThat(r.overlapping).isEqualTo(1);
        assertThat(r.inProgress()).isEqualTo(1);
        assertThat(offer(1, 1200, 1600, true)).isEqualTo(-1);
        assertThat(offer(1, 800, 1200, true)).isEqualTo(-1);
        assertThat(r.inProgress()).isEqualTo(1);
        assertThat(offer(1, 1600, 1700, false)).isEqualTo(-1); // its end frees the identification
        assertThat(r.inProgress()).isZero();
        assertThat(r.droppedFragments).isEqualTo(5);
        // a new datagram with the same identification is rebuilt normally
        offer(1, 0, 800, true);
        assertRebuilt(offer(1, 800, 900, false));
    }

    @Test
    void conflictingEndsDropTheDatagram() {
        offer(1, 0, 800, true);
        offer(1, 800, 1000, false);
        // complete already; a new datagram: two different last fragments
        offer(2, 800, 1000, false);
        assertThat(offer(2, 800, 1008, false)).isEqualTo(-1);
        assertThat(r.inconsistent).isEqualTo(1);
        // data past a known end
        offer(3, 800, 1000, false);
        offer(3, 1000, 1008, true);
        assertThat(r.inconsistent).isEqualTo(2);
        // a last fragment ending before data already held
        offer(4, 800, 1000, true);
        offer(4, 400, 600, false);
        assertThat(r.inconsistent).isEqualTo(3);
        assertThat(r.reassembled).isEqualTo(1);
    }

    @Test
    void misalignedFragmentsAreDroppedOnTheirOwn() {
        assertThat(offer(1, 0, 801, true)).isEqualTo(-1);
        assertThat(r.droppedFragments).isEqualTo(1);
        assertThat(r.inProgress()).isZero();
    }

    @Test
    void datagramsAreKeyedByAddressesAndIdentification() {
        offer(1, 0, 800, true);
        offer(2, 0, 808, true);
        assertThat(r.offer(0, SRC_LO + 1, 0, DST_LO, 1, 17, 800, false, datagram, 800, 100, T0, 0)).isEqualTo(-1);
        assertThat(r.offer(0, SRC_LO, 1, DST_LO, 1, 17, 800, false, datagram, 800, 100, T0, 0)).isEqualTo(-1);
        assertThat(r.inProgress()).isEqualTo(4);
        assertThat(offer(2, 808, 900, false)).isEqualTo(900);
        assertThat(offer(1, 800, 900, false)).isEqualTo(900);
    }

    @Test
    void sixtyFourFragmentsAreFineSixtyFiveAreTooMany() {
        for (int i = 0; i < 63; i++) {
            assertThat(offer(1, i * 8, i * 8 + 8, true)).isEqualTo(-1);
        }
        assertRebuilt(offer(1, 63 * 8, 64 * 8, false));
        assertThat(r.completedFrames()).isEqualTo(64);

        for (int i = 0; i < 64; i++) {
            offer(2, i * 8, i * 8 + 8, true);
        }
        assertThat(offer(2, 64 * 8, 65 * 8, true)).isEqualTo(-1);
        assertThat(r.tooManyFragments).isEqualTo(1);
        assertThat(r.droppedFragments).isEqualTo(65);
        // the rest of that datagram is swallowed and counted, the datagram once
        for (int i = 65; i < 100; i++) {
            offer(2, i * 8, i * 8 + 8, true);
        }
        offer(2, 800, 808, false);
        assertThat(r.tooManyFragments).isEqualTo(1);
        assertThat(r.droppedFragments).isEqualTo(101);
        assertThat(r.inProgress()).isZero();
        assertThat(r.reassembled).isEqualTo(1);
    }

    @Test
    void moreThan1024DatagramsEvictTheOldest() {
        for (int id = 0; id < 1024; id++) {
            offer(id, 0, 8, true, T0 + id);
        }
        assertThat(r.inProgress()).isEqualTo(1024);
        offer(5000, 0, 8, true, T0 + 5000);
        assertThat(r.inProgress()).isEqualTo(1024);
        assertThat(r.evicted).isEqualTo(1);
        assertThat(r.droppedFragments).isEqualTo(1);
        // id 0 was the oldest: its datagram cannot complete any more; id 1 still can
        assertThat(offer(0, 8, 16, false, T0 + 6000)).isEqualTo(-1);
        assertThat(r.evicted).isEqualTo(2); // making room for id 0 again evicted id 1...
        assertThat(offer(2, 8, 16, false, T0 + 7000)).isEqualTo(16);
    }

    @Test
    void incompleteDatagramsTimeOutAfter30SecondsOfCaptureTime() {
        offer(1, 0, 800, true, T0);
        offer(2, 0, 800, true, T0);
        assertThat(offer(2, 800, 900, false, T0 + 29 * SECOND)).isEqualTo(900);
        assertThat(offer(1, 800, 900, false, T0 + 31 * SECOND)).isEqualTo(-1);
        assertThat(r.timedOut).isEqualTo(1);
        assertThat(r.reassembled).isEqualTo(1);
        assertThat(r.droppedFragments).isEqualTo(1);
        assertThat(r.pendingFragments()).isEqualTo(1); // the late last fragment waits for a new first
    }

    @Test
    void timeoutHoldsBetweenSweeps() {
        offer(9, 0, 8, true, T0); // sweeps now; the next sweep is due a second later
        offer(1, 0, 800, true, T0 + 500_000_000L);
        offer(9, 8, 16, true, T0 + 30 * SECOND + 400_000_000L); // sweeps
        // 30.2 s after the first fragment but before the next sweep: too late all the same
        assertThat(offer(1, 800, 900, false, T0 + 30 * SECOND + 700_000_000L)).isEqualTo(-1);
        assertThat(r.timedOut).isEqualTo(2);
    }

    @Test
    void timeRunningBackwardsStillExpiresDatagrams() {
        offer(1, 0, 800, true, T0 + 3600 * SECOND);
        assertThat(offer(1, 800, 900, false, T0)).isEqualTo(-1);
        assertThat(r.timedOut).isEqualTo(1); // the late last fragment now waits on its own
        // extreme timestamps (fuzzed pcapng) must not overflow the age computation
        offer(2, 0, 800, true, Long.MAX_VALUE);
        assertThat(r.timedOut).isEqualTo(2);
        offer(3, 0, 800, true, Long.MIN_VALUE);
        assertThat(r.timedOut).isEqualTo(3);
        offer(4, 0, 800, true, 0);
        assertThat(r.timedOut).isEqualTo(4);
        assertThat(r.inProgress()).isEqualTo(1);
    }

    @Test
    void datagramsPast65535BytesAreDropped() {
        offer(1, 0, 8, true);
        assertThat(offer(1, 65528, 65544, false)).isEqualTo(-1);
        assertThat(r.oversized).isEqualTo(1);
        assertThat(r.droppedFragments).isEqualTo(2);
        assertThat(r.inProgress()).isZero();
        // an oversized middle fragment leaves a marker for the rest
        offer(2, 0, 8, true);
        offer(2, 65528, 65536, true);
        assertThat(offer(2, 8, 16, true)).isEqualTo(-1);
        assertThat(r.oversized).isEqualTo(2);
        assertThat(r.inProgress()).isEqualTo(1);
        // up to 65,535 bytes is fine
        offer(3, 0, 65528, true);
        assertRebuilt(offer(3, 65528, 65535, false));
    }

    @Test
    void capsAreConfigurable() {
        r = new IpReassembler(2, 3, SECOND);
        offer(1, 0, 8, true);
        offer(2, 0, 8, true);
        offer(3, 0, 8, true);
        assertThat(r.inProgress()).isEqualTo(2);
        assertThat(r.evicted).isEqualTo(1);
        offer(2, 8, 16, true);
        offer(2, 16, 24, true);
        offer(2, 24, 32, false);
        assertThat(r.tooManyFragments).isEqualTo(1);
        offer(4, 0, 8, true, T0 + 2 * SECOND);
        assertThat(r.timedOut).isEqualTo(1);
    }

    @Test
    void buffersAreReusedAcrossDatagrams() {
        for (int round = 0; round < 3; round++) {
            offer(round, 0, 30_000, true);
            assertRebuilt(offer(round, 30_000, 60_000, false));
            offer(100 + round, 0, 800, true);
            assertRebuilt(offer(100 + round, 800, 801, false));
        }
    }
}
