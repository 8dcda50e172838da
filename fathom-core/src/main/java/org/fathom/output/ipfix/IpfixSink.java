package org.fathom.output.ipfix;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.function.LongSupplier;
import org.fathom.record.ExportRecord;
import org.fathom.record.FlowRecord;
import org.fathom.record.FlowSink;
import org.fathom.record.PrivacyHeader;
import org.fathom.record.Released;

/**
 * Exports released flow records to an IPFIX collector (RFC 7011), over UDP or TCP; other record
 * kinds are ignored. Field list, templates and numbers: docs/EXPORTS.md and {@link IpfixEncoder}.
 *
 * <ul>
 *   <li>Records are packed into messages of at most {@link Options#maxMessage} bytes (1,400 by
 *       default, under a common path MTU) in one reused buffer; a message leaves when the next
 *       record does not fit, when its first record has waited {@link Options#maxDelayMillis}
 *       (a timer, so a quiet live link still delivers), and at {@link #close}.</li>
 *   <li>UDP: the templates go with the first message, then again every
 *       {@link Options#templateIntervalMillis} and every {@link Options#templateEveryMessages}
 *       messages, whichever comes first (RFC 7011 §8.4). A collector that is not listening
 *       (ICMP port unreachable) loses the messages, which are counted, not the run.</li>
 *   <li>TCP: the templates once per connection. A failed connect or write reconnects up to
 *       {@link Options#tcpRetries} times with a growing pause, the message that failed is sent
 *       again on the new connection (sequence numbers restart at 0, as a new transport session),
 *       and after that the error is this sink's {@link IOException}.</li>
 *   <li>The privacy header (the first record of every run) decides whether the address elements
 *       are labelled as pseudonymised (RFC 6235 anonymisation options): whenever some addresses
 *       may be pseudonyms, that is outside aggregate mode with subscriber networks other than
 *       {@code none}.</li>
 * </ul>
 * Calls to {@link #accept} come from one thread (the sink's {@code AsyncSink}); the timer shares
 * the buffer under this object's lock.
 */
public final class IpfixSink implements FlowSink {
    /**
     * Tunables.
     *
     * @param maxMessage            largest message in bytes
     * @param templateIntervalMillis UDP: templates again after this long
     * @param templateEveryMessages UDP: templates again after this many messages
     * @param maxDelayMillis        longest a record waits in a message that is not full; 0 = until full or close
     * @param tcpRetries            TCP: reconnects after a failure before giving up
     * @param connectTimeoutMillis  TCP: connect timeout
     * @param observationDomain     the observation domain id in every message header
     */
    public record Options(int maxMessage, long templateIntervalMillis, int templateEveryMessages, long maxDelayMillis,
                          int tcpRetries, int connectTimeoutMillis, long observationDomain) {
        public static final Options DEFAULTS = new Options(1400, 60_000, 100, 1_000, 3, 5_000, 1);

        public Options {
            if (maxMessage < IpfixEncoder.MIN_MESSAGE || maxMessage > 65535) {
                throw new IllegalArgumentException("IPFIX message size must be between " + IpfixEncoder.MIN_MESSAGE
                        + " and 65535, not " + maxMessage);
            }
            if (templateEveryMessages < 1 || templateIntervalMillis < 1 || tcpRetries < 0 || maxDelayMillis < 0) {
                throw new IllegalArgumentException("bad IPFIX options " + templateEveryMessages + ", "
                        + templateIntervalMillis + ", " + tcpRetries + ", " + maxDelayMillis);
            }
        }

        public Options withMaxDelayMillis(long ms) {
            return new Options(maxMessage, templateIntervalMillis, templateEveryMessages, ms, tcpRetries,
                    connectTimeoutMillis, observationDomain);
        }

        public Options withTemplateSchedule(long intervalMillis, int everyMessages) {
            return new Options(maxMessage, intervalMillis, everyMessages, maxDelayMillis, tcpRetries,
                    connectTimeoutMillis, observationDomain);
        }

        public Options withTcpRetries(int retries) {
            return new Options(maxMessage, templateIntervalMillis, templateEveryMessages, maxDelayMillis, retries,
                    connectTimeoutMillis, observationDomain);
        }
    }

    /** What this sink has done: messages and data records (flows and anonymisation options) sent, UDP messages lost, TCP reconnects. */
    public record Stats(long messages, long dataRecords, long templateMessages, long lostMessages, long reconnects) {
    }

    /** Sends one message; UDP and TCP differ only here. */
    interface Wire extends AutoCloseable {
        /** @throws IOException when the message could not be handed to the network */
        void send(byte[] b, int len) throws IOException;

        @Override
        void close() throws IOException;
    }

    private final IpfixTarget target;
    private final Options options;
    private final LongSupplier clock;
    private final IpfixEncoder message;
    private final IpfixEncoder templates;
    private final Thread timer;

    // guarded by this
    private Wire wire;
    private boolean anonymised;
    private long sequence;
    private boolean templatesSent;
    private long templatesAtMillis;
    private int messagesSinceTemplates;
    private long firstPendingAtMillis;
    private boolean closed;
    private IOException failure;
    private long messages;
    private long dataRecords;
    private long templateMessages;
    private long lostMessages;
    private long reconnects;

    private IpfixSink(IpfixTarget target, Options options, LongSupplier clock, Wire wire) {
        this.target = target;
        this.options = options;
        this.clock = clock;
        this.message = new IpfixEncoder(options.maxMessage());
        this.templates = new IpfixEncoder(options.maxMessage());
        this.wire = wire;
        if (options.maxDelayMillis() > 0) {
            timer = Thread.ofPlatform().daemon(true).name("fathom-ipfix " + target).unstarted(this::tick);
            timer.start();
        } else {
            timer = null;
        }
    }

    /**
     * Opens the export: a UDP socket bound to the collector, or a TCP connection to it (with the
     * configured retries).
     *
     * @throws IOException when the host is unknown or a TCP collector cannot be reached
     */
    public static IpfixSink open(IpfixTarget target) throws IOException {
        return open(target, Options.DEFAULTS, System::currentTimeMillis);
    }

    /** @param clockMillis wall-clock milliseconds, for export times and the template schedule */
    public static IpfixSink open(IpfixTarget target, Options options, LongSupplier clockMillis) throws IOException {
        InetSocketAddress address = new InetSocketAddress(target.host(), target.port());
        if (address.isUnresolved()) {
            throw new IOException("unknown host " + target.host());
        }
        if (target.transport() == IpfixTarget.Transport.UDP) {
            DatagramChannel ch = DatagramChannel.open();
            try {
                ch.connect(address);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return new IpfixSink(target, options, clockMillis, new UdpWire(ch));
        }
        IpfixSink sink = new IpfixSink(target, options, clockMillis, null);
        synchronized (sink) {
            try {
                sink.connect();
            } catch (IOException e) {
                sink.stopTimer();
                throw e;
            }
        }
        return sink;
    }

    /** For tests: a sink over any wire, templates treated as UDP's (inline, on schedule). */
    static IpfixSink over(Wire wire, Options options, LongSupplier clockMillis) {
        return new IpfixSink(new IpfixTarget(IpfixTarget.Transport.UDP, "test", 1), options, clockMillis, wire);
    }

    public IpfixTarget target() {
        return target;
    }

    public synchronized Stats stats() {
        return new Stats(messages, dataRecords, templateMessages, lostMessages, reconnects);
    }

    @Override
    public synchronized void accept(Released<? extends ExportRecord> released) throws IOException {
        checkOpen();
        switch (released.record()) {
            case PrivacyHeader h -> {
                boolean a = !"aggregate".equals(h.mode()) && !"none".equals(h.subscriberNetworks());
                if (a != anonymised) {
                    anonymised = a;
                    send();   // what is queued was described by the templates already sent
                    templatesSent = false;
                    if (target.transport() == IpfixTarget.Transport.TCP && wire != null) {
                        try {
                            sendTemplates();   // the anonymisation options on this connection
                        } catch (IOException e) {
                            closeWire();   // the next message reconnects, with the templates
                        }
                    }
                }
            }
            case FlowRecord r -> add(r);
            default -> { }
        }
    }

    private void add(FlowRecord r) throws IOException {
        if (message.isEmpty()) {
            begin();
        }
        if (!message.add(r)) {
            send();
            begin();
            if (!message.add(r)) {
                throw new IllegalStateException("an IPFIX record does not fit an empty message");
            }
        }
    }

    /** Starts a message: with the templates first over UDP when they are due. */
    private void begin() {
        long now = clock.getAsLong();
        firstPendingAtMillis = now;
        if (target.transport() == IpfixTarget.Transport.UDP
                && (!templatesSent || messagesSinceTemplates >= options.templateEveryMessages()
                        || now - templatesAtMillis >= options.templateIntervalMillis())) {
            message.writeTemplates(anonymised);
            templatesSent = true;
            templatesAtMillis = now;
            messagesSinceTemplates = 0;
            templateMessages++;
        }
    }

    /** Sends the message being built, if any. */
    private void send() throws IOException {
        if (message.isEmpty()) {
            return;
        }
        int records = message.dataRecords();
        int len = message.finish(clock.getAsLong() / 1000, sequence, options.observationDomain());
        try {
            if (target.transport() == IpfixTarget.Transport.TCP) {
                sendTcp(len, records);
            } else {
                try {
                    wire.send(message.buffer(), len);
                } catch (PortUnreachableException e) {
                    lostMessages++;   // nobody listens (yet): UDP loses it, the run goes on
                }
                sequence += records;
            }
            messages++;
            messagesSinceTemplates++;
            dataRecords += records;
        } finally {
            message.reset();
        }
    }

    /** Sends over TCP, reconnecting (and re-sending templates) up to the configured retries. */
    private void sendTcp(int len, int records) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                if (wire == null) {
                    connectOnce();
                }
                message.restamp(clock.getAsLong() / 1000, sequence);
                wire.send(message.buffer(), len);
                sequence += records;
                return;
            } catch (IOException e) {
                closeWire();
                if (attempt >= options.tcpRetries()) {
                    throw new IOException("IPFIX collector " + target + ": " + message(e) + " (gave up after "
                            + options.tcpRetries() + " reconnects)", e);
                }
                pause(attempt);
                reconnects++;
            }
        }
    }

    /** Connects, with the configured retries. */
    private void connect() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt <= options.tcpRetries(); attempt++) {
            if (attempt > 0) {
                pause(attempt - 1);
            }
            try {
                connectOnce();
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IOException("IPFIX collector " + target + ": cannot connect (" + message(last) + ")", last);
    }

    /** A new TCP connection (a new transport session): sequence 0, then the templates. */
    private void connectOnce() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(target.host(), target.port()), options.connectTimeoutMillis());
            wire = new TcpWire(s);
            sequence = 0;
            sendTemplates();
        } catch (IOException e) {
            wire = null;
            try {
                s.close();
            } catch (IOException ignored) {
                // the connection failed already
            }
            throw e;
        }
    }

    /** TCP: a message of the templates alone. */
    private void sendTemplates() throws IOException {
        templates.reset();
        templates.writeTemplates(anonymised);
        int records = templates.dataRecords();
        int len = templates.finish(clock.getAsLong() / 1000, sequence, options.observationDomain());
        wire.send(templates.buffer(), len);
        sequence += records;
        dataRecords += records;
        templateMessages++;
        messages++;
    }

    private static void pause(int attempt) throws InterruptedIOException {
        try {
            Thread.sleep(Math.min(2_000L, 100L << Math.min(attempt, 5)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reconnecting to the IPFIX collector");
        }
    }

    private void closeWire() {
        if (wire != null) {
            try {
                wire.close();
            } catch (IOException ignored) {
                // a broken connection
            }
            wire = null;
        }
    }

    /** The timer: sends a message whose first record has waited long enough. */
    private void tick() {
        long period = Math.max(10, options.maxDelayMillis() / 4);
        while (true) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (failure == null && !message.isEmpty()
                        && clock.getAsLong() - firstPendingAtMillis >= options.maxDelayMillis()) {
                    try {
                        send();
                    } catch (IOException | RuntimeException e) {
                        failure = e instanceof IOException io ? io : new IOException(e);
                    }
                }
            }
        }
    }

    private void checkOpen() throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new IllegalStateException("IPFIX sink " + target + " closed");
        }
    }

    private void stopTimer() {
        closed = true;
        if (timer != null) {
            timer.interrupt();
        }
    }

    /** Sends what is pending and closes the socket. */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                if (failure != null) {
                    throw failure;
                }
                send();
            } finally {
                stopTimer();
                if (wire != null) {
                    wire.close();
                    wire = null;
                }
            }
        }
    }

    private static String message(Throwable e) {
        if (e == null) {
            return "no attempt";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public String toString() {
        return "IpfixSink[" + target + "]";
    }

    private static final class UdpWire implements Wire {
        private final DatagramChannel channel;

        UdpWire(DatagramChannel channel) {
            this.channel = channel;
        }

        @Override
        public void send(byte[] b, int len) throws IOException {
            channel.write(ByteBuffer.wrap(b, 0, len));
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static final class TcpWire implements Wire {
        private final Socket socket;
        private final OutputStream out;

        TcpWire(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        @Override
        public void send(byte[] b, int len) throws IOException {
            out.write(b, 0, len);
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
