package org.fathom.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.fathom.capture.Packet;
import org.junit.jupiter.api.Test;

class PacketRingTest {
    /** Frame i: length and content derived from i, so the consumer can check every byte. */
    private static int lengthOf(int i) {
        return switch (i % 7) {
            case 0 -> 0;
            case 1 -> 60;
            case 2 -> 1514;
            case 3 -> 9000;
            case 4 -> Packet.MAX_FRAME; // forces arena wrap-arounds
            default -> 1 + (i * 131) % 4000;
        };
    }

    private static byte byteOf(int i, int k) {
        return (byte) (i * 31 + k);
    }

    @Test
    void everyFrameArrivesWholeAndInOrderThroughWrapArounds() throws Exception {
        PacketRing ring = new PacketRing();
        int n = 20_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Integer> kinds = new ArrayList<>();
        Thread consumer = Thread.ofPlatform().start(() -> {
            Packet view = new Packet(ring.arena);
            Random slow = new Random(1);
            try {
                for (int i = 0; ; i++) {
                    int k = ring.take(view);
                    if (k == PacketRing.END) {
                        ring.release();
                        assertThat(i).isEqualTo(n + n / 100);
                        return;
                    }
                    kinds.add(k);
                    if (k == PacketRing.PACKET) {
                        int id = (int) view.timestampNanos;
                        assertThat(view.length).isEqualTo(lengthOf(id));
                        assertThat(view.wireLength).isEqualTo(lengthOf(id) + 4);
                        for (int b = 0; b < view.length; b += 97) {
                            assertThat(view.data[view.offset + b]).isEqualTo(byteOf(id, b));
                        }
                        assertThat(ring.clock()).isEqualTo(id * 10L);
                    }
                    if (slow.nextInt(500) == 0) {
                        Thread.sleep(2); // the producer must wait, not overwrite
                    }
                    ring.release();
                }
            } catch (Throwable e) {
                failure.set(e);
                ring.consumerFailed();
            }
        });
        Packet p = new Packet();
        for (int i = 0; i < n; i++) {
            int len = lengthOf(i);
            for (int b = 0; b < len; b++) {
                p.data[b] = byteOf(i, b);
            }
            p.length = p.frameLength = len;
            p.wireLength = len + 4;
            p.timestampNanos = i;
            int at = ring.claim(len);
            assertThat(at).isGreaterThanOrEqualTo(0);
            System.arraycopy(p.data, 0, ring.arena, at, len);
            ring.commit(PacketRing.PACKET, at, p, len, i * 10L);
            if (i % 100 == 0) {
                ring.signal(PacketRing.TICK, i * 10L);
            }
        }
        ring.signal(PacketRing.END, 0);
        consumer.join(60_000);
        assertThat(failure.get()).isNull();
        assertThat(consumer.isAlive()).isFalse();
        assertThat(kinds.stream().filter(k -> k == PacketRing.TICK).count()).isEqualTo(n / 100);
    }

    @Test
    void aProducerWaitingForRoomGivesUpWhenTheConsumerFails() throws Exception {
        PacketRing ring = new PacketRing();
        Packet p = new Packet();
        p.length = p.frameLength = 1000;
        // fill the ring: nobody consumes
        int filled = 0;
        while (filled < PacketRing.SLOTS) {
            int at = ring.claim(1000);
            ring.commit(PacketRing.PACKET, at, p, 1000, 0);
            filled++;
        }
        Thread killer = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            ring.consumerFailed();
        });
        assertThat(ring.claim(1000)).isEqualTo(-1);
        assertThat(ring.signal(PacketRing.END, 0)).isFalse();
        killer.join();
    }
}
