package org.fathom.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.privacy.PrivacyPolicy;
import org.fathom.privacy.SubscriberNetworks;
import org.fathom.record.ExportRecord;
import org.fathom.record.FlowRecord;
import org.fathom.record.FlowSink;
import org.fathom.record.PrivacyHeader;
import org.fathom.record.Released;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit's queues: a slow output holds up the guard at most while its queue is full (block) or
 * not at all (drop, counted exactly); close delivers everything in order; a failed write reaches
 * the caller. No timing is measured: latches and counts decide, and the one time bound only
 * proves that nothing waited for a sink that was deliberately held for the whole test.
 */
class AsyncSinkTest {
    /** Far longer than any of these tests needs; only reached if something waits for a held sink. */
    static final Duration HELD = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    PrivacyGuard guard(FlowSink... sinks) throws IOException {
        PrivacyPolicy p = PrivacyPolicy.defaults().withSubscribers(SubscriberNetworks.NONE)
                .withAuditLog(dir.resolve("audit.log")).withKeyFile(dir.resolve("key"));
        return new PrivacyGuard(p, AuditLog.open(p.auditLog()), List.of(sinks));
    }

    /** Flow number {@code i}, recognisable by its client port. */
    static FlowRecord flow(int i) {
        return new FlowRecord("UDP", 0, 0x0000_FFFF_C633_6401L, i, 0, 0x0000_FFFF_C633_6402L, 53, 0, null, "DNS", "DNS",
                "Network", "DPI", 1, 1, 80, 120, 1_717_000_000_000_000_000L, 1_717_000_000_000_000_000L, 0, 0,
                "idle", Map.of(), List.of());
    }

    /** Remembers what it was given; optionally holds every call until {@link #open} is counted down. */
    static final class RecordingSink implements FlowSink {
        final List<ExportRecord> seen = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch open;
        final CountDownLatch entered = new CountDownLatch(1);
        volatile Thread closedBy;

        RecordingSink(CountDownLatch open) {
            this.open = open;
        }

        @Override
        public void accept(Released<? extends ExportRecord> r) {
            entered.countDown();
            try {
                open.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            seen.add(r.record());
        }

        @Override
        public void close() {
            closedBy = Thread.currentThread();
        }

        List<Integer> ports() {
            List<Integer> l = new ArrayList<>();
            synchronized (seen) {
                for (ExportRecord r : seen) {
                    if (r instanceof FlowRecord f) {
                        l.add(f.srcPort());
                    }
                }
            }
            return l;
        }
    }

    /** Until the producer waits for room in the queue; fails if it finishes instead. */
    static void awaitWaiting(AsyncSink out, Thread producer) {
        assertTimeoutPreemptively(HELD, () -> {
            while (out.stats().waits() == 0) {
                assertThat(producer.isAlive()).as("producer finished although the sink was held").isTrue();
                Thread.sleep(1);
            }
        });
    }

    @Test
    void withDropAHeldSinkNeverHoldsUpTheGuardAndEveryDropIsCounted() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        RecordingSink slow = new RecordingSink(open);
        AsyncSink out = new AsyncSink("slow", slow, 4, AsyncSink.Overflow.DROP);
        PrivacyGuard g = guard(out);
        int n = 10_000;
        // the sink is held for as long as this takes: if an emit waited for it, this would time out
        assertTimeoutPreemptively(HELD, () -> {
            for (int i = 0; i < n; i++) {
                g.emit(flow(i));
            }
        });
        assertThat(slow.entered.await(HELD.toSeconds(), TimeUnit.SECONDS)).isTrue();
        open.countDown();
        g.close();

        AsyncSink.Stats s = out.stats();
        assertThat(s.accepted()).isEqualTo(n + 1);   // the header and every flow
        assertThat(s.dropped()).isPositive();
        assertThat(s.written()).isEqualTo(slow.seen.size());
        assertThat(s.dropped()).isEqualTo(s.accepted() - s.written());
        assertThat(s.maxDepth()).isEqualTo(4);
        assertThat(slow.seen.getFirst()).isInstanceOf(PrivacyHeader.class);
        // what got through is in release order
        List<Integer> ports = slow.ports();
        assertThat(ports).isSorted().doesNotHaveDuplicates().hasSize((int) s.written() - 1);
    }

    @Test
    void withBlockNothingIsLostAndCloseDeliversEverythingInOrder() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        RecordingSink slow = new RecordingSink(open);
        AsyncSink out = new AsyncSink("slow", slow, 4, AsyncSink.Overflow.BLOCK);
        PrivacyGuard g = guard(out);
        int n = 1_000;
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < n; i++) {
                g.emit(flow(i));
            }
        });
        // back-pressure: the producer cannot finish while the sink is held, it waits for room
        awaitWaiting(out, producer);
        assertThat(out.stats().written()).isZero();
        open.countDown();
        producer.join();
        g.close();

        AsyncSink.Stats s = out.stats();
        assertThat(s.dropped()).isZero();
        assertThat(s.accepted()).isEqualTo(n + 1);
        assertThat(s.written()).isEqualTo(n + 1);
        assertThat(slow.seen.getFirst()).isInstanceOf(PrivacyHeader.class);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(i);
        }
        assertThat(slow.ports()).isEqualTo(expected);
        assertThat(slow.closedBy).as("closed on the sink's own thread").isNotNull().isNotSameAs(Thread.currentThread());
    }

    @Test
    void recordsFromManyWorkersReachAQueuedSinkInTheOrderTheGuardReleasedThem() throws Exception {
        RecordingSink direct = new RecordingSink(new CountDownLatch(0));
        RecordingSink queued = new RecordingSink(new CountDownLatch(0));
        PrivacyGuard g = guard(direct, new AsyncSink("queued", queued, 3, AsyncSink.Overflow.BLOCK));
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int base = w * 10_000;
            workers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2_000; i++) {
                    g.emit(flow(base + i));
                }
            }));
        }
        for (Thread t : workers) {
            t.join();
        }
        g.close();
        assertThat(queued.ports()).hasSize(8_000).isEqualTo(direct.ports());
    }

    @Test
    void closeFlushesAndTheBytesAreThoseOfADirectWrite() throws Exception {
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        ByteArrayOutputStream queued = new ByteArrayOutputStream();
        PrivacyGuard g = guard(new JsonLinesFlowSink(direct, true),
                new AsyncSink("queued", new JsonLinesFlowSink(queued, true), 2, AsyncSink.Overflow.BLOCK));
        for (int i = 0; i < 500; i++) {
            g.emit(flow(i));
        }
        g.close();
        assertThat(queued.toString()).hasLineCount(501).isEqualTo(direct.toString());
    }

    /** Fails on its {@code failAt}-th record (1-based) with the given error. */
    static final class FailingSink implements FlowSink {
        final int failAt;
        final RuntimeException unchecked;
        int seen;
        volatile boolean closed;

        FailingSink(int failAt, RuntimeException unchecked) {
            this.failAt = failAt;
            this.unchecked = unchecked;
        }

        @Override
        public void accept(Released<? extends ExportRecord> r) throws IOException {
            if (++seen == failAt) {
                if (unchecked != null) {
                    throw unchecked;
                }
                throw new IOException("No space left on device");
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void aFailedWriteReachesTheCallerOnTheNextEmitAndOnClose() throws Exception {
        FailingSink failing = new FailingSink(3, null);
        AsyncSink out = new AsyncSink("flows.jsonl", failing, 16, AsyncSink.Overflow.BLOCK);
        PrivacyGuard g = guard(out);
        g.emit(flow(1));
        g.emit(flow(2));   // the header, 1, then 2 fails
        assertThatThrownBy(out::flush).isInstanceOfSatisfying(SinkException.class, e -> {
            assertThat(e.sink()).isEqualTo("flows.jsonl");
            assertThat(e).hasMessage("No space left on device");
        });
        assertThatThrownBy(() -> g.emit(flow(3))).isInstanceOf(UncheckedIOException.class)
                .cause().isInstanceOf(SinkException.class).hasMessage("No space left on device");
        assertThatThrownBy(g::close).isInstanceOf(SinkException.class);
        assertThat(failing.closed).as("the failed sink is still closed").isTrue();
        AsyncSink.Stats s = out.stats();
        assertThat(s.written()).isEqualTo(2);
        assertThat(s.accepted()).isEqualTo(3);
    }

    @Test
    void aFailureWhileTheGuardWaitsForRoomEndsTheWait() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        FlowSink heldThenFailing = new FlowSink() {
            @Override
            public void accept(Released<? extends ExportRecord> r) throws IOException {
                try {
                    open.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                throw new IOException("Broken pipe");
            }

            @Override
            public void close() {
            }
        };
        AsyncSink out = new AsyncSink("standard output", heldThenFailing, 1, AsyncSink.Overflow.BLOCK);
        PrivacyGuard g = guard(out);
        Thread producer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < 100; i++) {
                    g.emit(flow(i));
                }
            } catch (UncheckedIOException expected) {
                // the failure, instead of waiting forever
            }
        });
        awaitWaiting(out, producer);
        open.countDown();
        producer.join(HELD.toMillis());
        assertThat(producer.isAlive()).as("producer still waiting for a failed sink").isFalse();
        assertThatThrownBy(g::close).isInstanceOf(SinkException.class).hasMessage("Broken pipe");
    }

    @Test
    void aBugInASinkIsNotDisguisedAsAWriteError() throws Exception {
        AsyncSink out = new AsyncSink("flows.jsonl", new FailingSink(2, new NullPointerException("bug")), 16,
                AsyncSink.Overflow.BLOCK);
        PrivacyGuard g = guard(out);
        g.emit(flow(1));
        assertThatThrownBy(out::flush).isInstanceOf(IllegalStateException.class)
                .hasRootCauseInstanceOf(NullPointerException.class);
        assertThatThrownBy(g::close).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theOverflowPolicyIsParsedAndAQueueNeedsRoom() {
        assertThat(AsyncSink.Overflow.parse(" Drop ")).isEqualTo(AsyncSink.Overflow.DROP);
        assertThatThrownBy(() -> AsyncSink.Overflow.parse("wait")).hasMessageContaining("block, drop");
        assertThatThrownBy(() -> new AsyncSink("x", new RecordingSink(new CountDownLatch(0)), 0, AsyncSink.Overflow.BLOCK))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
