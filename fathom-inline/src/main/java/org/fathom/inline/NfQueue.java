package org.fathom.inline;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Netfilter's packet queues (NFQUEUE) over one nfnetlink socket, spoken directly through
 * {@link Libc}: no libnetfilter_queue, no callbacks from native code. The socket binds every
 * queue number given, in copy-packet mode, and for each queued packet the kernel waits for our
 * verdict: accept, drop, or accept with a replacement packet (a rewritten DSCP).
 *
 * <p>Messages (linux/netfilter/nfnetlink_queue.h): a {@code nlmsghdr} (host byte order), a
 * {@code nfgenmsg} (the queue number big-endian in {@code res_id}) and attributes whose values are
 * big-endian. Receiving fills one native buffer; {@link #next} walks the messages in it and stops
 * at each packet. Sending a verdict writes one small message into another native buffer. Nothing is
 * allocated per packet.
 *
 * <p>Without {@code NFQA_CFG_F_GSO} the kernel segments GSO packets and completes partial
 * checksums before queueing, so every packet we see is a whole IP packet with its final
 * checksums: a rewritten DSCP only needs the IPv4 header checksum updated. The kernel marks a
 * replaced packet {@code CHECKSUM_NONE}, which is then right.
 *
 * <p>Not thread-safe: one thread reads and answers ({@link #stop} excepted).
 */
public final class NfQueue implements AutoCloseable {
    /** Verdicts (linux/netfilter.h). */
    public static final int NF_DROP = 0;
    public static final int NF_ACCEPT = 1;

    /** {@link #next} results. */
    public static final int PACKET = 1;
    public static final int IDLE = 0;
    public static final int END = -1;

    static final int NFNL_SUBSYS_QUEUE = 3;
    static final int NFQNL_MSG_PACKET = 0;
    static final int NFQNL_MSG_VERDICT = 1;
    static final int NFQNL_MSG_CONFIG = 2;
    /** One verdict for every packet of a queue up to an id (that has none yet). */
    static final int NFQNL_MSG_VERDICT_BATCH = 3;
    static final int NLMSG_NOOP = 1;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLM_F_REQUEST = 1;
    static final int NLM_F_ACK = 4;
    static final int NFQA_PACKET_HDR = 1;
    static final int NFQA_VERDICT_HDR = 2;
    static final int NFQA_PAYLOAD = 10;
    static final int NFQA_CAP_LEN = 13;
    static final int NFQA_SKB_INFO = 14;
    static final int NFQA_CFG_CMD = 1;
    static final int NFQA_CFG_PARAMS = 2;
    static final int NFQA_CFG_QUEUE_MAXLEN = 3;
    static final int NFQA_CFG_MASK = 4;
    static final int NFQA_CFG_FLAGS = 5;
    static final int NFQNL_CFG_CMD_BIND = 1;
    static final int NFQNL_CFG_CMD_UNBIND = 2;
    static final int NFQNL_COPY_PACKET = 2;
    public static final int NFQA_CFG_F_FAIL_OPEN = 1;
    /** The kernel clamps the copy range to this (0xffff minus an attribute header). */
    static final int COPY_RANGE = 0xffff - 4;
    static final int HDR = 16;       // nlmsghdr
    static final int NFGEN = 4;      // nfgenmsg
    static final int RX_BUFFER = 1 << 18;

    private static final ValueLayout.OfInt HOST_INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort HOST_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /**
     * Queue settings.
     *
     * @param failOpen      ask the kernel to accept packets, instead of dropping them, when the
     *                      queue is full ({@code NFQA_CFG_F_FAIL_OPEN})
     * @param maxLen        packets the kernel holds for us per queue before it is full
     * @param receiveBuffer socket receive buffer, bytes ({@code SO_RCVBUFFORCE})
     * @param pollMillis    longest wait for a packet before {@link #next} says {@link #IDLE}
     */
    public record Settings(boolean failOpen, int maxLen, int receiveBuffer, int pollMillis) {
        public static final int DEFAULT_MAXLEN = 4096;
        public static final int DEFAULT_RECEIVE_BUFFER = 8 << 20;
        public static final int DEFAULT_POLL_MILLIS = 100;

        public static Settings defaults() {
            return new Settings(false, DEFAULT_MAXLEN, DEFAULT_RECEIVE_BUFFER, DEFAULT_POLL_MILLIS);
        }

        public Settings withFailOpen(boolean f) {
            return new Settings(f, maxLen, receiveBuffer, pollMillis);
        }
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment state;
    private final MemorySegment rx;
    private final MemorySegment tx;
    private final MemorySegment pollfd;
    /** The first bytes of a packet whose DSCP is rewritten (an IPv4 header is at most 60). */
    private final byte[] scratch = new byte[60];
    private final int[] queues;
    private final Settings settings;
    private int fd = -1;
    private int seq = 1;
    private boolean closed;
    // the receive buffer: bytes filled, and where the next message starts
    private int filled;
    private int cursor;
    // the packet last returned by next()
    private int packetId;
    private int queue;
    private int payloadAt;
    private int payloadLength;
    private int wireLength;
    private int hwProtocol;
    // counters
    private long packets;
    private long verdictErrors;
    private long receiveOverruns;
    private long acceptedAtStart;
    private int lastError;
    // accepts held back for one batch verdict: the queue, the highest id, how many
    private int batchMax = DEFAULT_BATCH;
    private int batchQueue;
    private int batchId;
    private int batchCount;
    private long batches;
    private long batchedPackets;

    /** Unchanged accepts sent as one batch verdict at most (see {@link #acceptLater}). */
    public static final int DEFAULT_BATCH = 32;
    /** The largest batch allowed: the queue's default length. */
    public static final int MAX_BATCH = 4096;

    private NfQueue(int[] queues, Settings settings) {
        this.queues = queues;
        this.settings = settings;
        this.state = Libc.state(arena);
        this.rx = arena.allocate(RX_BUFFER, 8);
        this.tx = arena.allocate(COPY_RANGE + 256, 8);
        this.pollfd = arena.allocate(8, 8);
    }

    /** Why queues cannot be used here (no native access), or null when they can. */
    public static String unavailableReason() {
        return Libc.missing;
    }

    /**
     * Opens the netlink socket and binds every queue in copy-packet mode.
     *
     * @throws InlineException with one line: not permitted (CAP_NET_ADMIN), queue already bound by
     *                         another program, bad number, kernel without NFQUEUE
     */
    public static NfQueue open(List<Integer> queueNumbers, Settings s) throws InlineException {
        if (Libc.missing != null) {
            throw new InlineException(InlineException.Kind.LIBRARY_MISSING, Libc.missing);
        }
        if (queueNumbers.isEmpty()) {
            throw new InlineException(InlineException.Kind.BAD_SETTING, "no queue given (--queue N)");
        }
        int[] qs = new int[queueNumbers.size()];
        for (int i = 0; i < qs.length; i++) {
            int q = queueNumbers.get(i);
            if (q < 0 || q > 65535) {
                throw new InlineException(InlineException.Kind.BAD_SETTING, "--queue must be between 0 and 65535, not " + q);
            }
            for (int k = 0; k < i; k++) {
                if (qs[k] == q) {
                    throw new InlineException(InlineException.Kind.BAD_SETTING, "--queue " + q + " is given twice");
                }
            }
            qs[i] = q;
        }
        if (s.maxLen() < 1 || s.maxLen() > 1 << 20) {
            throw new InlineException(InlineException.Kind.BAD_SETTING, "--queue-maxlen must be between 1 and " + (1 << 20) + ", not " + s.maxLen());
        }
        NfQueue q = new NfQueue(qs, s);
        try {
            q.openSocket();
            for (int n : qs) {
                q.bindQueue(n);
            }
        } catch (InlineException | RuntimeException e) {
            q.close();
            throw e;
        }
        return q;
    }

    private void openSocket() throws InlineException {
        try {
            fd = (int) Libc.socket.invokeExact(state, Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_NETFILTER);
            if (fd < 0) {
                int e = Libc.errno(state);
                throw new InlineException(e == Libc.EPERM || e == 13 ? InlineException.Kind.NOT_PERMITTED : InlineException.Kind.OTHER,
                        "cannot open a netfilter netlink socket: " + Libc.strerror(e));
            }
            MemorySegment addr = arena.allocate(12, 4);   // sockaddr_nl: family, pad, pid 0 (the kernel picks), groups 0
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
            if ((int) Libc.bind.invokeExact(state, fd, addr, 12) != 0) {
                throw new InlineException(InlineException.Kind.OTHER, "cannot bind the netlink socket: " + Libc.strerror(Libc.errno(state)));
            }
            MemorySegment v = arena.allocate(4, 4);
            v.set(ValueLayout.JAVA_INT, 0, settings.receiveBuffer());
            // FORCE needs CAP_NET_ADMIN (which binding a queue needs too); plain SO_RCVBUF is capped by rmem_max
            if ((int) Libc.setsockopt.invokeExact(state, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, v, 4) != 0) {
                int ignored = (int) Libc.setsockopt.invokeExact(state, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, v, 4);
            }
            // a full receive buffer makes the kernel drop (or, fail-open, accept) the packet; we need
            // not hear about it as an ENOBUFS error on recv
            v.set(ValueLayout.JAVA_INT, 0, 1);
            int ignored = (int) Libc.setsockopt.invokeExact(state, fd, Libc.SOL_NETLINK, Libc.NETLINK_NO_ENOBUFS, v, 4);
            pollfd.set(ValueLayout.JAVA_INT, 0, fd);
            pollfd.set(ValueLayout.JAVA_SHORT, 4, Libc.POLLIN);
        } catch (InlineException e) {
            throw e;
        } catch (Throwable t) {
            throw new InlineException(InlineException.Kind.OTHER, "netlink socket: " + t);
        }
    }

    private void bindQueue(int n) throws InlineException {
        // one message: bind, copy whole packets, queue length, fail-open (the kernel applies the
        // command first, then the parameters), so no packet reaches the queue in another mode
        int at = begin(NFQNL_MSG_CONFIG, NLM_F_REQUEST | NLM_F_ACK, 0, n);
        at = attr(at, NFQA_CFG_CMD, 4);
        tx.set(ValueLayout.JAVA_BYTE, at - 4, (byte) NFQNL_CFG_CMD_BIND);
        tx.set(ValueLayout.JAVA_BYTE, at - 3, (byte) 0);
        tx.set(BE_SHORT, at - 2, (short) 0);
        int p = attr(at, NFQA_CFG_PARAMS, 5);
        tx.set(BE_INT, at + 4, COPY_RANGE);
        tx.set(ValueLayout.JAVA_BYTE, at + 8, (byte) NFQNL_COPY_PACKET);
        at = p;
        at = attr(at, NFQA_CFG_QUEUE_MAXLEN, 4);
        tx.set(BE_INT, at - 4, settings.maxLen());
        at = attr(at, NFQA_CFG_MASK, 4);
        tx.set(BE_INT, at - 4, NFQA_CFG_F_FAIL_OPEN);
        at = attr(at, NFQA_CFG_FLAGS, 4);
        tx.set(BE_INT, at - 4, settings.failOpen() ? NFQA_CFG_F_FAIL_OPEN : 0);
        int err = request(at);
        if (err != 0) {
            throw bindError(n, err);
        }
    }

    /** Whether /proc lists queue {@code n} of this namespace as bound (by anyone). */
    static boolean boundInKernel(int n) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/netfilter/nfnetlink_queue"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 1 && f[0].equals(Integer.toString(n))) {
                    return true;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    private static InlineException bindError(int n, int err) {
        // the kernel says EPERM both to a process without CAP_NET_ADMIN and to a second listener
        if ((err == Libc.EPERM || err == Libc.EBUSY) && boundInKernel(n)) {
            return new InlineException(InlineException.Kind.BUSY, "queue " + n
                    + " is already bound by another program (one listener per queue)");
        }
        return switch (err) {
            case Libc.EPERM -> new InlineException(InlineException.Kind.NOT_PERMITTED, "queue " + n
                    + ": binding a netfilter queue is not permitted (run as root, or give java the capability: "
                    + "setcap cap_net_admin+eip on the java binary)");
            case Libc.EBUSY -> new InlineException(InlineException.Kind.BUSY, "queue " + n
                    + " is already bound by another program (one listener per queue)");
            case Libc.ENOENT, Libc.EOPNOTSUPP, Libc.EPROTONOSUPPORT -> new InlineException(InlineException.Kind.OTHER,
                    "queue " + n + ": the kernel has no netfilter queue support (module nfnetlink_queue): "
                            + Libc.strerror(err));
            default -> new InlineException(InlineException.Kind.OTHER, "queue " + n + ": cannot bind (" + Libc.strerror(err) + ")");
        };
    }

    /** Starts a message in {@link #tx}; returns where its attributes begin. */
    private int begin(int msgType, int flags, int family, int resId) {
        tx.set(HOST_SHORT, 4, (short) (NFNL_SUBSYS_QUEUE << 8 | msgType));
        tx.set(HOST_SHORT, 6, (short) flags);
        tx.set(HOST_INT, 8, seq++);
        tx.set(HOST_INT, 12, 0);
        tx.set(ValueLayout.JAVA_BYTE, 16, (byte) family);
        tx.set(ValueLayout.JAVA_BYTE, 17, (byte) 0);   // NFNETLINK_V0
        tx.set(BE_SHORT, 18, (short) resId);
        return HDR + NFGEN;
    }

    /** Writes an attribute header at {@code at} for a value of {@code len} bytes; returns the padded end. */
    private int attr(int at, int type, int len) {
        tx.set(HOST_SHORT, at, (short) (4 + len));
        tx.set(HOST_SHORT, at + 2, (short) type);
        int end = at + 4 + len;
        int padded = (end + 3) & ~3;
        for (int i = end; i < padded; i++) {
            tx.set(ValueLayout.JAVA_BYTE, i, (byte) 0);
        }
        return padded;
    }

    /** Sends the message in {@link #tx} ({@code length} bytes) and waits for its acknowledgement; returns errno or 0. */
    private int request(int length) throws InlineException {
        tx.set(HOST_INT, 0, length);
        int mySeq = tx.get(HOST_INT, 8);
        try {
            if ((long) Libc.send.invokeExact(state, fd, tx, (long) length, 0) < 0) {
                return Libc.errno(state);
            }
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < deadline) {
                long n = (long) Libc.recv.invokeExact(state, fd, rx, (long) RX_BUFFER, Libc.MSG_DONTWAIT);
                if (n < 0) {
                    int e = Libc.errno(state);
                    if (e == Libc.EAGAIN || e == Libc.EINTR) {
                        int ignored = (int) Libc.poll.invokeExact(state, pollfd, 1L, 100);
                        continue;
                    }
                    return e;
                }
                for (int at = 0; at + HDR <= n; ) {
                    int len = rx.get(HOST_INT, at);
                    if (len < HDR || at + len > n) {
                        break;
                    }
                    int type = rx.get(HOST_SHORT, at + 4) & 0xffff;
                    if (type == NLMSG_ERROR && rx.get(HOST_INT, at + HDR + 4 + 8) == mySeq) {
                        return -rx.get(HOST_INT, at + HDR);
                    }
                    if (type == (NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_PACKET) && parsePacket(at, len)) {
                        // a queue bound a moment ago has traffic already: let it pass while we set up
                        acceptedAtStart++;
                        verdict(NF_ACCEPT);
                    }
                    at += (len + 3) & ~3;
                }
            }
            throw new InlineException(InlineException.Kind.OTHER, "the kernel did not answer a queue configuration request");
        } catch (InlineException e) {
            throw e;
        } catch (Throwable t) {
            throw new InlineException(InlineException.Kind.OTHER, "netlink: " + t);
        }
    }

    /**
     * Waits at most {@code pollMillis} for the next queued packet. After {@link #PACKET}, the
     * packet's id, queue, lengths and payload are available until the next call; its verdict must be
     * given ({@link #verdict}) before the next call.
     *
     * @return {@link #PACKET}, {@link #IDLE} (nothing within the poll interval) or {@link #END}
     *         (the socket failed: {@link #lastError})
     */
    public int next(boolean wait) {
        while (true) {
            while (cursor + HDR <= filled) {
                int at = cursor;
                int len = rx.get(HOST_INT, at);
                if (len < HDR || at + len > filled) {
                    cursor = filled;   // damaged: drop the rest of this datagram
                    break;
                }
                cursor = at + ((len + 3) & ~3);
                int type = rx.get(HOST_SHORT, at + 4) & 0xffff;
                if (type == (NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_PACKET)) {
                    if (parsePacket(at, len)) {
                        packets++;
                        return PACKET;
                    }
                } else if (type == NLMSG_ERROR && len >= HDR + 4) {
                    if (rx.get(HOST_INT, at + HDR) != 0) {
                        verdictErrors++;   // a verdict the kernel refused (an id it no longer holds)
                        lastError = -rx.get(HOST_INT, at + HDR);
                    }
                }
            }
            filled = 0;
            cursor = 0;
            long n;
            try {
                n = (long) Libc.recv.invokeExact(state, fd, rx, (long) RX_BUFFER, Libc.MSG_DONTWAIT);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            if (n > 0) {
                filled = (int) Math.min(n, RX_BUFFER);
                continue;
            }
            int e = n < 0 ? Libc.errno(state) : 0;
            if (n < 0 && e == Libc.ENOBUFS) {
                receiveOverruns++;
                continue;
            }
            if (n < 0 && e != Libc.EAGAIN && e != Libc.EINTR) {
                lastError = e;
                return END;
            }
            if (batchCount > 0) {
                flushBatch();   // nothing more to read now: the accepts held back leave before we wait
                continue;       // (and anything that arrived meanwhile is read first)
            }
            if (n == 0 || !wait) {
                return n == 0 ? END : IDLE;
            }
            int ready;
            try {
                ready = (int) Libc.poll.invokeExact(state, pollfd, 1L, Math.max(1, settings.pollMillis()));
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            if (ready == 0) {
                return IDLE;
            }
        }
    }

    private boolean parsePacket(int at, int len) {
        int end = at + len;
        int a = at + HDR + NFGEN;
        queue = rx.get(BE_SHORT, at + HDR + 2) & 0xffff;
        boolean haveId = false;
        payloadAt = -1;
        payloadLength = 0;
        wireLength = -1;
        while (a + 4 <= end) {
            int alen = rx.get(HOST_SHORT, a) & 0xffff;
            int type = rx.get(HOST_SHORT, a + 2) & 0x3fff;
            if (alen < 4 || a + alen > end) {
                break;
            }
            switch (type) {
                case NFQA_PACKET_HDR -> {
                    if (alen >= 4 + 7) {
                        packetId = rx.get(BE_INT, a + 4);
                        hwProtocol = rx.get(BE_SHORT, a + 8) & 0xffff;
                        haveId = true;
                    }
                }
                case NFQA_PAYLOAD -> {
                    payloadAt = a + 4;
                    payloadLength = alen - 4;
                }
                case NFQA_CAP_LEN -> {
                    if (alen >= 8) {
                        wireLength = rx.get(BE_INT, a + 4);
                    }
                }
                default -> { }
            }
            a += (alen + 3) & ~3;
        }
        if (!haveId) {
            return false;
        }
        if (payloadAt < 0) {
            payloadAt = a;
            payloadLength = 0;
        }
        if (wireLength < payloadLength) {
            wireLength = payloadLength;
        }
        return true;
    }

    /** Copies the last packet's bytes ({@link #payloadLength} of them) to {@code dst[at..]}. */
    public void copyPayload(byte[] dst, int at, int max) {
        MemorySegment.copy(rx, ValueLayout.JAVA_BYTE, payloadAt, dst, at, Math.min(payloadLength, max));
    }

    public int packetId() {
        return packetId;
    }

    public int queue() {
        return queue;
    }

    public int payloadLength() {
        return payloadLength;
    }

    /** The packet's length before the copy range cut it (equal to {@link #payloadLength} when whole). */
    public int wireLength() {
        return wireLength;
    }

    /** The packet's EtherType (0x0800 IPv4, 0x86DD IPv6). */
    public int hwProtocol() {
        return hwProtocol;
    }

    /**
     * The verdict for the packet last returned by {@link #next} (whose bytes stay in the receive
     * buffer until the next call): {@link #NF_ACCEPT} or {@link #NF_DROP}. One {@code send} of one
     * small message; the kernel answers only when it refuses.
     *
     * @return true when sent
     */
    public boolean verdict(int verdict) {
        flushBatch();   // the accepts held back go first: packets of a flow leave in their order
        int at = begin(NFQNL_MSG_VERDICT, NLM_F_REQUEST, 0, queue);
        at = attr(at, NFQA_VERDICT_HDR, 8);
        tx.set(BE_INT, at - 8, verdict);
        tx.set(BE_INT, at - 4, packetId);
        return sendVerdict(at);
    }

    /**
     * Accepts the packet last returned by {@link #next} with its DSCP set to {@code dscp}: the packet
     * is copied from the receive buffer into the verdict, its IP header rewritten there
     * ({@link Dscp#set}). A packet cut by the copy range, or not IP, is accepted unchanged.
     *
     * @return {@link Dscp#CHANGED} when a rewritten packet was sent, else what {@link Dscp#set} said
     *         ({@link Dscp#NOT_IP} also for a cut packet)
     */
    public int acceptWithDscp(int dscp) {
        int n = payloadLength;
        if (n != wireLength || n > COPY_RANGE) {
            verdict(NF_ACCEPT);
            return Dscp.NOT_IP;
        }
        int head = Math.min(n, scratch.length);
        MemorySegment.copy(rx, ValueLayout.JAVA_BYTE, payloadAt, scratch, 0, head);
        int r = Dscp.set(scratch, 0, head, dscp);
        if (r != Dscp.CHANGED) {
            verdict(NF_ACCEPT);
            return r;
        }
        flushBatch();
        int at = begin(NFQNL_MSG_VERDICT, NLM_F_REQUEST, 0, queue);
        at = attr(at, NFQA_VERDICT_HDR, 8);
        tx.set(BE_INT, at - 8, NF_ACCEPT);
        tx.set(BE_INT, at - 4, packetId);
        int v = at + 4;
        attrHeader(at, NFQA_PAYLOAD, n);
        MemorySegment.copy(rx, payloadAt, tx, v, n);
        MemorySegment.copy(scratch, 0, tx, ValueLayout.JAVA_BYTE, v, 12);   // TOS/class and checksum lie in the first 12 bytes
        int end = v + n;
        at = (end + 3) & ~3;
        for (int i = end; i < at; i++) {
            tx.set(ValueLayout.JAVA_BYTE, i, (byte) 0);
        }
        sendVerdict(at);
        return Dscp.CHANGED;
    }

    /**
     * Accepts the packet last returned by {@link #next} unchanged, like {@code verdict(NF_ACCEPT)},
     * but may hold the answer back to send it with the accepts of the packets after it as one
     * batch verdict ({@code NFQNL_MSG_VERDICT_BATCH}: every packet of the queue up to an id). The
     * batch is sent when it is full ({@link #verdictBatch}), before any other verdict (so packets
     * leave in the order they came), when the next packet is from another queue, and whenever
     * {@link #next} finds nothing more to read (so a packet waits only while others are already
     * there to be read: under light load each verdict leaves at once).
     */
    public void acceptLater() {
        if (batchCount > 0 && batchQueue != queue) {
            flushBatch();
        }
        batchQueue = queue;
        batchId = packetId;
        if (++batchCount >= batchMax) {
            flushBatch();
        }
    }

    /** Sends the accepts held back, if any: one batch verdict (one for a single packet). */
    public void flushBatch() {
        int n = batchCount;
        if (n == 0) {
            return;
        }
        batchCount = 0;
        int at = begin(n == 1 ? NFQNL_MSG_VERDICT : NFQNL_MSG_VERDICT_BATCH, NLM_F_REQUEST, 0, batchQueue);
        at = attr(at, NFQA_VERDICT_HDR, 8);
        tx.set(BE_INT, at - 8, NF_ACCEPT);
        tx.set(BE_INT, at - 4, batchId);
        if (sendVerdict(at) && n > 1) {
            batches++;
            batchedPackets += n;
        }
    }

    /** Unchanged accepts sent together at most: 1 sends each verdict at once. */
    public void verdictBatch(int n) {
        if (n < 1 || n > MAX_BATCH) {
            throw new IllegalArgumentException("verdict batch must be 1.." + MAX_BATCH + ", not " + n);
        }
        flushBatch();
        batchMax = n;
    }

    /** Batch verdicts sent (of two packets or more), and the packets they answered. */
    public long batches() {
        return batches;
    }

    public long batchedPackets() {
        return batchedPackets;
    }

    private boolean sendVerdict(int length) {
        tx.set(HOST_INT, 0, length);
        try {
            long sent = (long) Libc.send.invokeExact(state, fd, tx, (long) length, 0);
            if (sent < 0) {
                lastError = Libc.errno(state);
                verdictErrors++;
                return false;
            }
            return true;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private void attrHeader(int at, int type, int len) {
        tx.set(HOST_SHORT, at, (short) (4 + len));
        tx.set(HOST_SHORT, at + 2, (short) type);
    }

    /**
     * From now on the kernel accepts packets that do not fit the queue instead of queueing them
     * (fail-open, with a queue length of 0): used while stopping, so that what arrives during the
     * last drain passes. Best effort.
     */
    public void passNewPackets() {
        flushBatch();
        for (int n : queues) {
            int at = begin(NFQNL_MSG_CONFIG, NLM_F_REQUEST, 0, n);
            at = attr(at, NFQA_CFG_QUEUE_MAXLEN, 4);
            tx.set(BE_INT, at - 4, 0);
            at = attr(at, NFQA_CFG_MASK, 4);
            tx.set(BE_INT, at - 4, NFQA_CFG_F_FAIL_OPEN);
            at = attr(at, NFQA_CFG_FLAGS, 4);
            tx.set(BE_INT, at - 4, NFQA_CFG_F_FAIL_OPEN);
            tx.set(HOST_INT, 0, at);
            try {
                long ignored = (long) Libc.send.invokeExact(state, fd, tx, (long) at, 0);
            } catch (Throwable t) {
                return;
            }
        }
    }

    public List<Integer> queues() {
        List<Integer> l = new java.util.ArrayList<>();
        for (int q : queues) {
            l.add(q);
        }
        return l;
    }

    public Settings settings() {
        return settings;
    }

    public long packets() {
        return packets;
    }

    /** Verdicts the kernel refused or that could not be sent. */
    public long verdictErrors() {
        return verdictErrors;
    }

    /** Packets accepted unseen while the later queues were being bound. */
    public long acceptedAtStart() {
        return acceptedAtStart;
    }

    public long receiveOverruns() {
        return receiveOverruns;
    }

    /** errno of the last failure, 0 when none. */
    public int lastError() {
        return lastError;
    }

    /**
     * Unbinds the queues and closes the socket. Packets still queued in the kernel (none after a
     * drain) are dropped by the kernel as the queue goes; with {@code --queue-bypass} in the rule,
     * later packets pass.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (fd >= 0) {
            flushBatch();
            for (int n : queues) {
                int at = begin(NFQNL_MSG_CONFIG, NLM_F_REQUEST, 0, n);
                at = attr(at, NFQA_CFG_CMD, 4);
                tx.set(ValueLayout.JAVA_BYTE, at - 4, (byte) NFQNL_CFG_CMD_UNBIND);
                tx.set(ValueLayout.JAVA_BYTE, at - 3, (byte) 0);
                tx.set(BE_SHORT, at - 2, (short) 0);
                tx.set(HOST_INT, 0, at);
                try {
                    long ignored = (long) Libc.send.invokeExact(state, fd, tx, (long) at, 0);
                } catch (Throwable t) {
                    break;
                }
            }
            try {
                int ignored = (int) Libc.close.invokeExact(fd);
            } catch (Throwable t) {
                // best effort
            }
            fd = -1;
        }
        arena.close();
    }

    /** Kernel counters of each queue of this process, from /proc/net/netfilter/nfnetlink_queue. */
    public record KernelStats(int queue, long waiting, long dropped, long userDropped) {}

    /**
     * The kernel's counters for our queues: packets waiting for a verdict, dropped because the queue
     * was full, dropped because our socket's buffer was full. Empty when the file cannot be read.
     */
    public List<KernelStats> kernelStats() {
        List<KernelStats> out = new java.util.ArrayList<>();
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/netfilter/nfnetlink_queue"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 8) {
                    continue;
                }
                int q = Integer.parseInt(f[0]);
                for (int mine : queues) {
                    if (mine == q) {
                        out.add(new KernelStats(q, Long.parseLong(f[2]), Long.parseLong(f[5]), Long.parseLong(f[6])));
                    }
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return List.of();
        }
        return out;
    }
}
