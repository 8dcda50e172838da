package org.fathom.output.ipfix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.privacy.PrivacyPolicy;
import org.fathom.privacy.SubscriberNetworks;
import org.fathom.record.FlowRecord;
import org.fathom.record.FlowSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IPFIX sink through the privacy guard: packing, sequence numbers, template schedule, TCP. */
class IpfixSinkTest {
    @TempDir
    Path dir;

    PrivacyGuard guard(SubscriberNetworks subscribers, FlowSink sink) throws IOException {
        PrivacyPolicy p = PrivacyPolicy.defaults().withSubscribers(subscribers)
                .withAuditLog(dir.resolve("audit.log")).withKeyFile(dir.resolve("key"));
        return new PrivacyGuard(p, AuditLog.open(p.auditLog()), List.of(sink));
    }

    /** A flow from 10.0.0.1 (a subscriber under the default networks) to 198.51.100.2. */
    static FlowRecord flow(int i) {
        return new FlowRecord("UDP", 0, 0x0000_FFFF_0A00_0001L, 1024 + i, 0, 0x0000_FFFF_C633_6402L, 53, 0, null,
                "DNS", "DNS", "Network", "DPI", 1, 1, 80, 120, IpfixEncoderTest.T0, IpfixEncoderTest.T0, 0, 0,
                "idle", Map.of(), List.of());
    }

    static final class Captured implements IpfixSink.Wire {
        final List<byte[]> messages = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void send(byte[] b, int len) {
            messages.add(Arrays.copyOf(b, len));
        }

        @Override
        public void close() {
        }

        List<IpfixReader.Message> read() {
            IpfixReader r = new IpfixReader();
            List<IpfixReader.Message> out = new ArrayList<>();
            synchronized (messages) {
                for (byte[] m : messages) {
                    out.add(r.read(m, m.length));
                }
            }
            return out;
        }
    }

    static boolean hasTemplates(IpfixReader.Message m) {
        return m.sets().stream().anyMatch(s -> s.id() == 2);
    }

    @Test
    void udpPacksRecordsUnder1400BytesCountsThemInSequenceNumbersAndResendsTemplatesOnSchedule() throws IOException {
        Captured wire = new Captured();
        AtomicLong clock = new AtomicLong(1_000_000);
        IpfixSink sink = IpfixSink.over(wire, IpfixSink.Options.DEFAULTS.withTemplateSchedule(60_000, 3)
                .withMaxDelayMillis(0), clock::get);
        int beforeTheMinute;
        try (PrivacyGuard g = guard(SubscriberNetworks.NONE, sink)) {
            for (int i = 0; i < 120; i++) {
                g.emit(flow(i));
            }
            beforeTheMinute = wire.messages.size();   // this one is being filled
            clock.addAndGet(60_000);   // a minute later: templates again with the next message, whatever the count
            for (int i = 120; i < 160; i++) {
                g.emit(flow(i));
            }
        }
        List<IpfixReader.Message> ms = wire.read();

        assertThat(wire.messages).allSatisfy(m -> assertThat(m.length).isLessThanOrEqualTo(1400));
        assertThat(ms.size()).isGreaterThan(8);
        long expected = 0;
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < ms.size(); i++) {
            IpfixReader.Message m = ms.get(i);
            assertThat(m.header().sequence()).as("sequence of message %d", i).isEqualTo(expected);
            expected += m.records().size();
            m.recordsOf(256).forEach(r -> ports.add(((Long) r.get("7")).intValue()));
            boolean due = i <= beforeTheMinute ? i % 3 == 0 : (i - beforeTheMinute - 1) % 3 == 0;
            assertThat(hasTemplates(m)).as("templates in message %d", i).isEqualTo(due);
            assertThat(m.sets().stream().anyMatch(s -> s.id() == 3)).as("no anonymisation without subscribers").isFalse();
        }
        assertThat(ms.size()).isGreaterThan(beforeTheMinute + 2);
        assertThat(ports).hasSize(160).isSorted().doesNotHaveDuplicates();
        assertThat(ms.getFirst().header().exportTime()).isEqualTo(1_000);
        assertThat(sink.stats().dataRecords()).isEqualTo(160);
    }

    @Test
    void pseudonymisedAddressesAreLabelledWithTheAnonymisationOptions() throws IOException {
        Captured wire = new Captured();
        try (PrivacyGuard g = guard(SubscriberNetworks.DEFAULT,
                IpfixSink.over(wire, IpfixSink.Options.DEFAULTS.withMaxDelayMillis(0), () -> 0))) {
            g.emit(flow(1));
        }
        IpfixReader.Message m = wire.read().getFirst();
        assertThat(m.recordsOf(260)).hasSize(8).allSatisfy(r -> {
            assertThat(r.get("285")).isEqualTo(0L);
            assertThat(r.get("286")).isEqualTo(6L);   // structured permutation
        });
        Map<String, Object> f = m.recordsOf(256).getFirst();
        assertThat(f.get("8")).as("10.0.0.1, a subscriber, leaves as a pseudonym").isNotEqualTo(0x0A000001L);
        assertThat(f.get("12")).isEqualTo(0xC6336402L);
        assertThat(m.header().sequence()).isZero();
    }

    @Test
    void aRecordWaitingInAHalfEmptyMessageLeavesAfterTheMaximumDelay() throws IOException {
        Captured wire = new Captured();
        try (PrivacyGuard g = guard(SubscriberNetworks.NONE,
                IpfixSink.over(wire, IpfixSink.Options.DEFAULTS.withMaxDelayMillis(50), System::currentTimeMillis))) {
            g.emit(flow(1));
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                while (wire.messages.isEmpty()) {
                    Thread.sleep(5);
                }
            });
            assertThat(wire.read().getFirst().recordsOf(256)).hasSize(1);
        }
    }

    /** A TCP collector that records every message of every connection. */
    static final class TcpCollector implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        final List<List<IpfixReader.Message>> connections = Collections.synchronizedList(new ArrayList<>());
        final java.util.concurrent.CountDownLatch firstClosed = new java.util.concurrent.CountDownLatch(1);
        final Thread thread;

        /** @param dropFirstAfter close the first connection after this many messages (0: never) */
        TcpCollector(int dropFirstAfter) throws IOException {
            thread = Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    for (int n = 0; ; n++) {
                        try (Socket s = server.accept()) {
                            List<IpfixReader.Message> ms = Collections.synchronizedList(new ArrayList<>());
                            connections.add(ms);
                            IpfixReader reader = new IpfixReader();
                            DataInputStream in = new DataInputStream(s.getInputStream());
                            while (true) {
                                byte[] head = new byte[4];
                                try {
                                    in.readFully(head);
                                } catch (EOFException e) {
                                    break;
                                }
                                int len = ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
                                byte[] m = Arrays.copyOf(head, len);
                                in.readFully(m, 4, len - 4);
                                ms.add(reader.read(m, len));
                                if (n == 0 && dropFirstAfter > 0 && ms.size() == dropFirstAfter) {
                                    break;
                                }
                            }
                        }
                        firstClosed.countDown();
                    }
                } catch (IOException e) {
                    // server closed
                }
            });
        }

        IpfixTarget target() {
            return new IpfixTarget(IpfixTarget.Transport.TCP, "127.0.0.1", server.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** A copy of a list the collector's thread is still adding to, taken under the list's lock. */
    private static <T> List<T> snapshot(List<T> l) {
        synchronized (l) {
            return new ArrayList<>(l);
        }
    }

    @Test
    void tcpSendsTemplatesOncePerConnectionAndEveryRecord() throws Exception {
        try (TcpCollector c = new TcpCollector(0)) {
            try (PrivacyGuard g = guard(SubscriberNetworks.DEFAULT,
                    IpfixSink.open(c.target(), IpfixSink.Options.DEFAULTS.withMaxDelayMillis(0), System::currentTimeMillis))) {
                for (int i = 0; i < 100; i++) {
                    g.emit(flow(i));
                }
            }
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                while (c.connections.isEmpty() || snapshot(c.connections.getFirst()).stream().mapToInt(m -> m.recordsOf(256).size()).sum() < 100) {
                    Thread.sleep(5);
                }
            });
            List<IpfixReader.Message> ms = snapshot(c.connections.getFirst());
            assertThat(ms.stream().filter(IpfixSinkTest::hasTemplates)).hasSize(2);   // on connect, then with the header's anonymisation
            assertThat(ms.getFirst().sets()).extracting(IpfixReader.Set::id).containsExactly(2);
            long expected = 0;
            for (IpfixReader.Message m : ms) {
                assertThat(m.header().sequence()).isEqualTo(expected);
                expected += m.records().size();
            }
        }
    }

    @Test
    void tcpReconnectsWithTemplatesAndANewSequenceWhenTheCollectorDropsTheConnection() throws Exception {
        try (TcpCollector c = new TcpCollector(1)) {   // hangs up after the templates
            IpfixSink sink = IpfixSink.open(c.target(), IpfixSink.Options.DEFAULTS.withMaxDelayMillis(0), System::currentTimeMillis);
            try (PrivacyGuard g = guard(SubscriberNetworks.NONE, sink)) {
                assertThat(c.firstClosed.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                for (int i = 0; i < 400; i++) {
                    g.emit(flow(i));
                }
            }
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                while (c.connections.size() < 2 || snapshot(c.connections.get(1)).stream().noneMatch(m -> m.recordsOf(256).stream()
                        .anyMatch(r -> r.get("7").equals(1024L + 399)))) {
                    Thread.sleep(5);
                }
            });
            assertThat(sink.stats().reconnects()).isPositive();
            IpfixReader.Message first = snapshot(c.connections.get(1)).getFirst();
            assertThat(hasTemplates(first)).isTrue();
            assertThat(first.header().sequence()).isZero();
        }
    }

    @Test
    void aTcpCollectorThatIsNotThereIsAnIoErrorAfterTheRetries() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        IpfixTarget t = new IpfixTarget(IpfixTarget.Transport.TCP, "127.0.0.1", port);
        assertThatThrownBy(() -> IpfixSink.open(t, IpfixSink.Options.DEFAULTS.withTcpRetries(1), System::currentTimeMillis))
                .isInstanceOf(IOException.class).hasMessageContaining("tcp://127.0.0.1:" + port).hasMessageContaining("cannot connect");
    }

    @Test
    void targetsParseAndBadOnesSayWhy() {
        assertThat(IpfixTarget.parse("127.0.0.1:4739")).isEqualTo(new IpfixTarget(IpfixTarget.Transport.UDP, "127.0.0.1", 4739));
        assertThat(IpfixTarget.parse("tcp://collector.example:9995").transport()).isEqualTo(IpfixTarget.Transport.TCP);
        assertThat(IpfixTarget.parse("udp://[::1]:2055")).hasToString("udp://[::1]:2055");
        for (String bad : List.of("127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", "host:port", ":4739", "sctp://h:1", "::1:4739")) {
            assertThatThrownBy(() -> IpfixTarget.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--ipfix '" + bad + "'").hasMessageContaining("HOST:PORT");
        }
    }
}
