package org.fathom.flow;

import java.util.Arrays;
import org.fathom.decode.DecodedPacket;
import org.fathom.decode.IpProtocol;

/**
 * Bidirectional flows keyed by (L4 protocol, the two endpoints, innermost VLAN), in primitive
 * open-addressing storage: no boxed keys, no per-packet allocation once grown.
 *
 * <p>A key is stored in canonical order (endpoint A is the lower one), so both directions of a
 * conversation find the same slot. Counters are kept per canonical side; which side is the client
 * is a per-flow bit decided from the TCP handshake or the first packet, and may be revised by
 * protocol knowledge ({@link #setClientIsB}). Flows are chained in least-recently-seen lists, one
 * per timeout class, so idle expiry and eviction look only at list heads.
 *
 * <p>Memory is bounded by {@link FlowConfig#maxFlows()}: arrays grow by doubling up to that cap;
 * a new flow beyond it evicts the stalest flow (closed TCP first, then unanswered SYNs, then the
 * least recently seen), which is reported with {@link FlowEnd#EVICTED} and counted.
 *
 * <p>Not thread-safe: each worker owns one table.
 */
public final class FlowTable {
    /** Receives every flow as it ends; the flow's data stays readable during the call only. */
    @FunctionalInterface
    public interface Listener {
        void flowEnded(FlowTable table, int flow, FlowEnd reason);

        /**
         * Flow {@code flow} has lived another active timeout ({@link FlowConfig#activeTimeoutNanos}):
         * emit its interim record now; the counters {@link #packetsInRecord}/{@link #bytesInRecord}
         * start again from zero after the call.
         */
        default void flowActive(FlowTable table, int flow) {
        }

        /**
         * A hint from {@link #flush}: flow {@code flow} ends soon after the one ending now. The
         * listener may read the flow's own state so that it is in cache by then: the flush asks
         * for a batch of flows at once, whose memory loads then overlap instead of each flow's
         * first read waiting on memory alone. Must not change anything.
         */
        default void endsSoon(FlowTable table, int flow) {
        }
    }

    /** Flows {@link #flush} announces at once ({@link Listener#endsSoon}), one batch ahead of the flow ending. */
    private static final int FLUSH_AHEAD = 16;

    // timeout classes
    static final int TCP_SYN = 0;
    static final int TCP_OPEN = 1;
    static final int TCP_CLOSED = 2;
    static final int UDP = 3;
    static final int OTHER = 4;
    private static final int CLASSES = 5;

    // state bits
    private static final int CLIENT_IS_B = 1;
    private static final int SYN_A = 1 << 1;
    private static final int SYN_B = 1 << 2;
    private static final int FIN_A = 1 << 3;
    private static final int FIN_B = 1 << 4;
    private static final int RST = 1 << 5;
    private static final int ESTABLISHED = 1 << 6;
    /** The client was decided by a SYN (or a first-seen SYN-ACK): protocol hints no longer apply. */
    private static final int CLIENT_BY_SYN = 1 << 7;

    private static final int KEY_LONGS = 5;
    private static final int INITIAL_FLOWS = 1024;

    private final FlowConfig config;
    private final Listener listener;
    // test hook: the home slot is ((hash & hashAnd) ^ hashXor) & slotMask, so tests can force collisions
    private final int hashAnd;
    private final int hashXor;
    private final long[] timeouts = new long[CLASSES];

    // slot table
    private long[] keys;
    private int[] slotFlow;
    private int slotMask;

    // per flow
    private int capacity;
    private int[] flowSlot;
    private long[] pkts;      // [2f] sent by A, [2f+1] sent by B
    private long[] bytes;
    private long[] first;
    private long[] last;
    private byte[] flags;
    private int[] state;
    private byte[] tclass;
    private byte[] tunnel;
    private long[] lastSeen;
    private int[] prev;
    private int[] next;
    private Object[] ext;
    // active timeout (null when off): start of the current record's interval, and the counters
    // already reported in interim records
    private final long activeTimeout;
    private long[] recordStart;
    private long[] reportedPkts;
    private long[] reportedBytes;
    private int freeHead = -1;
    private int nextUnused;

    private final int[] head = new int[CLASSES];
    private final int[] tail = new int[CLASSES];

    private int active;
    private long now = Long.MIN_VALUE;
    private long nextExpiry = Long.MIN_VALUE;

    // statistics
    private long created;
    private long evicted;
    private long expired;
    private int peak;

    // result of the last update
    private boolean lastFromA;

    public FlowTable(FlowConfig config, Listener listener) {
        this(config, listener, -1, 0);
    }

    /**
     * For tests: {@code hashAnd}/{@code hashXor} squeeze every key's home slot into a few slots
     * (e.g. 7 and ~7: the last eight slots, so that probe runs wrap around the end of the table).
     */
    FlowTable(FlowConfig config, Listener listener, int hashAnd, int hashXor) {
        this.config = config;
        this.listener = listener;
        this.hashAnd = hashAnd;
        this.hashXor = hashXor;
        timeouts[TCP_SYN] = config.tcpSynTimeoutNanos();
        timeouts[TCP_OPEN] = config.tcpTimeoutNanos();
        timeouts[TCP_CLOSED] = config.tcpClosedNanos();
        timeouts[UDP] = config.udpTimeoutNanos();
        timeouts[OTHER] = config.otherTimeoutNanos();
        activeTimeout = config.activeTimeoutNanos();
        Arrays.fill(head, -1);
        Arrays.fill(tail, -1);
        allocateFlows(Math.min(INITIAL_FLOWS, config.maxFlows()));
        allocateSlots(slotsFor(capacity));
    }

    private static int slotsFor(int flows) {
        return Integer.highestOneBit(Math.max(4, flows) * 2 - 1) << 1;
    }

    /**
     * Accounts one decoded packet to its flow, creating the flow if needed, and expires idle flows
     * as capture time advances.
     *
     * @return the flow id, valid until the flow ends
     */
    public int update(DecodedPacket d) {
        tick(d.timestampNanos);
        int proto = d.l4;
        boolean ports = IpProtocol.hasPorts(proto);
        int sp = ports ? d.srcPort : 0;
        int dp = ports ? d.dstPort : 0;
        boolean srcIsA = compare(d.srcHi, d.srcLo, sp, d.dstHi, d.dstLo, dp) <= 0;
        long aHi, aLo, bHi, bLo;
        int aPort, bPort;
        if (srcIsA) {
            aHi = d.srcHi; aLo = d.srcLo; aPort = sp;
            bHi = d.dstHi; bLo = d.dstLo; bPort = dp;
        } else {
            aHi = d.dstHi; aLo = d.dstLo; aPort = dp;
            bHi = d.srcHi; bLo = d.srcLo; bPort = sp;
        }
        long meta = (proto & 0xFFL) | (long) (d.vlan & 0xFFF) << 8 | (long) aPort << 32 | (long) bPort << 48;
        int slot = slotOf(aHi, aLo, bHi, bLo, meta);
        int f;
        while (true) {
            f = slotFlow[slot];
            if (f < 0) {
                f = create(slot, aHi, aLo, bHi, bLo, meta, d, srcIsA);
                break;
            }
            int k = slot * KEY_LONGS;
            if (keys[k + 4] == meta && keys[k + 1] == aLo && keys[k + 3] == bLo && keys[k] == aHi && keys[k + 2] == bHi) {
                int c = tclass[f];
                if (now - lastSeen[f] > timeouts[c]) {
                    // idle past its timeout, only not swept yet (the sweep runs once a second of
                    // capture time): this packet starts a new flow
                    expired++;
                    end(f, endReason(f, c, FlowEnd.IDLE));
                } else if (proto == IpProtocol.TCP && (state[f] & (FIN_A | FIN_B | RST)) != 0
                        && (d.tcpFlags & (DecodedPacket.TCP_SYN | DecodedPacket.TCP_ACK)) == DecodedPacket.TCP_SYN) {
                    // a new connection reusing the ports of a closing or closed one
                    end(f, (state[f] & RST) != 0 ? FlowEnd.RST : FlowEnd.FIN);
                } else {
                    break;
                }
                slot = slotOf(aHi, aLo, bHi, bLo, meta); // slots shifted: search again
                continue;
            }
            slot = (slot + 1) & slotMask;
        }
        account(f, d, srcIsA);
        lastFromA = srcIsA;
        if (activeTimeout > 0 && d.timestampNanos - recordStart[f] >= activeTimeout) {
            interim(f, d.timestampNanos);
        }
        return f;
    }

    /**
     * Advances capture time without a packet of this table (a packet owned by another worker), so
     * that idle flows end at the same point of the capture whatever the number of workers.
     */
    public void tick(long ts) {
        if (ts > now) {
            now = ts;
        }
        if (now >= nextExpiry) {
            expireIdle(now);
            nextExpiry = now + 1_000_000_000L;
        }
    }

    private int create(int slot, long aHi, long aLo, long bHi, long bLo, long meta, DecodedPacket d, boolean srcIsA) {
        if (active >= config.maxFlows()) {
            // flows already past their timeout go first, with their true end reason
            expireIdle(now);
            if (active >= config.maxFlows()) {
                evictOne();
            }
            // removals may have shifted slots (and opened one before the probe's end): find the
            // insertion point again
            slot = slotOf(aHi, aLo, bHi, bLo, meta);
            while (slotFlow[slot] >= 0) {
                slot = (slot + 1) & slotMask;
            }
        } else if (freeHead < 0 && nextUnused == capacity) {
            allocateFlows(Math.min(config.maxFlows(), capacity * 2));
            allocateSlots(slotsFor(capacity));
            slot = slotOf(aHi, aLo, bHi, bLo, meta);
            while (slotFlow[slot] >= 0) {
                slot = (slot + 1) & slotMask;
            }
        }
        int f;
        if (freeHead >= 0) {
            f = freeHead;
            freeHead = next[f];
        } else {
            f = nextUnused++;
        }
        int k = slot * KEY_LONGS;
        keys[k] = aHi;
        keys[k + 1] = aLo;
        keys[k + 2] = bHi;
        keys[k + 3] = bLo;
        keys[k + 4] = meta;
        slotFlow[slot] = f;
        flowSlot[f] = slot;
        pkts[2 * f] = pkts[2 * f + 1] = 0;
        bytes[2 * f] = bytes[2 * f + 1] = 0;
        first[2 * f] = first[2 * f + 1] = 0;
        last[2 * f] = last[2 * f + 1] = 0;
        flags[2 * f] = flags[2 * f + 1] = 0;
        int st;
        int proto = d.l4;
        if (proto == IpProtocol.TCP && (d.tcpFlags & (DecodedPacket.TCP_SYN | DecodedPacket.TCP_ACK))
                == (DecodedPacket.TCP_SYN | DecodedPacket.TCP_ACK)) {
            // first seen packet is the server's SYN-ACK: the other side is the client
            st = (srcIsA ? CLIENT_IS_B : 0) | CLIENT_BY_SYN;
        } else {
            st = srcIsA ? 0 : CLIENT_IS_B;
        }
        state[f] = st;
        tunnel[f] = (byte) d.tunnel;
        ext[f] = null;
        if (activeTimeout > 0) {
            recordStart[f] = d.timestampNanos;
            reportedPkts[2 * f] = reportedPkts[2 * f + 1] = 0;
            reportedBytes[2 * f] = reportedBytes[2 * f + 1] = 0;
        }
        int c = proto == IpProtocol.TCP ? TCP_SYN : proto == IpProtocol.UDP ? UDP : OTHER;
        tclass[f] = (byte) c;
        lastSeen[f] = d.timestampNanos;
        append(c, f);
        active++;
        created++;
        if (active > peak) {
            peak = active;
        }
        return f;
    }

    /** Emits an interim record of flow {@code f} and starts its next interval at {@code ts}. */
    private void interim(int f, long ts) {
        listener.flowActive(this, f);
        reportedPkts[2 * f] = pkts[2 * f];
        reportedPkts[2 * f + 1] = pkts[2 * f + 1];
        reportedBytes[2 * f] = bytes[2 * f];
        reportedBytes[2 * f + 1] = bytes[2 * f + 1];
        recordStart[f] = ts;
    }

    private void account(int f, DecodedPacket d, boolean srcIsA) {
        int side = srcIsA ? 2 * f : 2 * f + 1;
        long ts = d.timestampNanos;
        if (pkts[side] == 0) {
            first[side] = ts;
            last[side] = ts;
        } else if (ts < first[side]) {
            first[side] = ts;
        } else if (ts > last[side]) {
            last[side] = ts;
        }
        pkts[side] += d.frames;
        bytes[side] += d.wireBytes;
        if (ts > lastSeen[f]) {
            lastSeen[f] = ts;
        }
        int c = tclass[f];
        if (d.l4 == IpProtocol.TCP) {
            int tf = d.tcpFlags;
            flags[side] |= (byte) tf;
            int st = state[f];
            if ((tf & DecodedPacket.TCP_SYN) != 0) {
                // a SYN-ACK answers but does not complete the handshake: half-open flows (the
                // signature of a SYN flood) keep the short handshake timeout and go first
                if ((tf & DecodedPacket.TCP_ACK) == 0) {
                    st |= srcIsA ? SYN_A : SYN_B;
                    if ((st & CLIENT_BY_SYN) == 0) {
                        // the sender of the first SYN is the client
                        st = srcIsA ? st & ~CLIENT_IS_B : st | CLIENT_IS_B;
                        st |= CLIENT_BY_SYN;
                    }
                }
            } else if ((tf & DecodedPacket.TCP_ACK) != 0 && pkts[2 * f] > 0 && pkts[2 * f + 1] > 0) {
                st |= ESTABLISHED;
            }
            if ((tf & DecodedPacket.TCP_FIN) != 0) {
                st |= srcIsA ? FIN_A : FIN_B;
            }
            if ((tf & DecodedPacket.TCP_RST) != 0) {
                st |= RST;
            }
            state[f] = st;
            int want = (st & RST) != 0 || (st & (FIN_A | FIN_B)) == (FIN_A | FIN_B) ? TCP_CLOSED
                    : (st & ESTABLISHED) != 0 ? TCP_OPEN : TCP_SYN;
            if (want != c) {
                unlink(c, f);
                tclass[f] = (byte) want;
                append(want, f);
                return;
            }
        }
        // move to the tail of its list: most recently seen
        if (tail[c] != f) {
            unlink(c, f);
            append(c, f);
        }
    }

    /** Ends every flow idle for longer than its timeout at capture time {@code at}. */
    public void expireIdle(long at) {
        for (int c = 0; c < CLASSES; c++) {
            long limit = timeouts[c];
            int f;
            while ((f = head[c]) >= 0 && at - lastSeen[f] > limit) {
                expired++;
                end(f, endReason(f, c, FlowEnd.IDLE));
            }
        }
    }

    /** True while {@link #flush} ends every flow: their index slots are cleared all at once afterwards. */
    private boolean flushing;

    /**
     * Ends every flow still open (end of input). The index is not kept up to date flow by flow
     * (a backward-shift deletion per flow cost 1.5% of a run, all of it cache misses): it is
     * cleared at once when every flow has ended, or, should a listener fail part-way, rid of the
     * slots of the flows that did end.
     */
    public void flush() {
        flushing = true;
        try {
            for (int c = 0; c < CLASSES; c++) {
                int f;
                // the first flow not announced yet: the first batch at once, then each batch
                // announced as the one before it starts ending
                int announced = announce(head[c], FLUSH_AHEAD);
                int ahead = 0;   // flows left before the next batch is announced
                while ((f = head[c]) >= 0) {
                    if (ahead-- == 0) {
                        announced = announce(announced, FLUSH_AHEAD);
                        ahead = FLUSH_AHEAD - 1;
                    }
                    end(f, endReason(f, c, FlowEnd.END_OF_INPUT));
                }
            }
        } finally {
            flushing = false;
            clearEndedSlots();
        }
    }

    /** Announces up to {@code n} flows from {@code f} along the time list; returns the next one, or -1. */
    private int announce(int f, int n) {
        long sum = 0;
        for (int k = 0; k < n && f >= 0; k++) {
            // the table's own words the flow's record reads: its key and counters
            sum += keys[flowSlot[f] * KEY_LONGS] + pkts[2 * f] + bytes[2 * f] + first[2 * f] + last[2 * f] + lastSeen[f];
            listener.endsSoon(this, f);
            f = next[f];
        }
        touched += sum;
        return f;
    }

    /** What {@link #announce} read, kept so that the reads are not optimised away. */
    @SuppressWarnings("unused")
    private long touched;

    private void clearEndedSlots() {
        if (active == 0) {
            Arrays.fill(slotFlow, -1);
            return;
        }
        boolean[] live = new boolean[tclass.length];
        for (int c = 0; c < CLASSES; c++) {
            for (int f = head[c]; f >= 0; f = next[f]) {
                live[f] = true;
            }
        }
        for (int s = 0; s < slotFlow.length; ) {
            int f = slotFlow[s];
            if (f >= 0 && !live[f]) {
                removeSlot(s);   // another entry may have shifted into s: look at it again
            } else {
                s++;
            }
        }
    }

    /** A closed TCP flow ends by its FIN or RST whenever it is written; any other by {@code otherwise}. */
    private FlowEnd endReason(int f, int c, FlowEnd otherwise) {
        return c == TCP_CLOSED ? ((state[f] & RST) != 0 ? FlowEnd.RST : FlowEnd.FIN) : otherwise;
    }

    private void evictOne() {
        int victim = head[TCP_CLOSED];
        if (victim < 0) {
            victim = head[TCP_SYN];
        }
        if (victim < 0) {
            for (int c = 0; c < CLASSES; c++) {
                int h = head[c];
                if (h >= 0 && (victim < 0 || lastSeen[h] < lastSeen[victim])) {
                    victim = h;
                }
            }
        }
        evicted++;
        end(victim, FlowEnd.EVICTED);
    }

    private void end(int f, FlowEnd reason) {
        listener.flowEnded(this, f, reason);
        unlink(tclass[f], f);
        if (!flushing) {
            removeSlot(flowSlot[f]);
        }
        ext[f] = null;
        next[f] = freeHead;
        freeHead = f;
        active--;
    }

    /** Backward-shift deletion: keeps probe sequences intact without tombstones. */
    private void removeSlot(int slot) {
        int hole = slot;
        int s = (slot + 1) & slotMask;
        while (true) {
            int f = slotFlow[s];
            if (f < 0) {
                break;
            }
            int k = s * KEY_LONGS;
            int home = slotOf(keys[k], keys[k + 1], keys[k + 2], keys[k + 3], keys[k + 4]);
            // move s into the hole if its home is not in the cyclic range (hole, s]
            boolean inRange = hole <= s ? (home > hole && home <= s) : (home > hole || home <= s);
            if (!inRange) {
                System.arraycopy(keys, k, keys, hole * KEY_LONGS, KEY_LONGS);
                slotFlow[hole] = f;
                flowSlot[f] = hole;
                hole = s;
            }
            s = (s + 1) & slotMask;
        }
        slotFlow[hole] = -1;
    }

    private void append(int c, int f) {
        int t = tail[c];
        prev[f] = t;
        next[f] = -1;
        if (t >= 0) {
            next[t] = f;
        } else {
            head[c] = f;
        }
        tail[c] = f;
    }

    private void unlink(int c, int f) {
        int p = prev[f];
        int n = next[f];
        if (p >= 0) {
            next[p] = n;
        } else {
            head[c] = n;
        }
        if (n >= 0) {
            prev[n] = p;
        } else {
            tail[c] = p;
        }
    }

    private void allocateFlows(int n) {
        int old = capacity;
        capacity = n;
        flowSlot = grow(flowSlot, n);
        pkts = grow(pkts, 2 * n);
        bytes = grow(bytes, 2 * n);
        first = grow(first, 2 * n);
        last = grow(last, 2 * n);
        flags = flags == null ? new byte[2 * n] : Arrays.copyOf(flags, 2 * n);
        state = grow(state, n);
        tclass = tclass == null ? new byte[n] : Arrays.copyOf(tclass, n);
        tunnel = tunnel == null ? new byte[n] : Arrays.copyOf(tunnel, n);
        lastSeen = grow(lastSeen, n);
        prev = grow(prev, n);
        next = grow(next, n);
        ext = ext == null ? new Object[n] : Arrays.copyOf(ext, n);
        if (config.activeTimeoutNanos() > 0) {
            recordStart = grow(recordStart, n);
            reportedPkts = grow(reportedPkts, 2 * n);
            reportedBytes = grow(reportedBytes, 2 * n);
        }
        assert old <= n;
    }

    private static int[] grow(int[] a, int n) {
        return a == null ? new int[n] : Arrays.copyOf(a, n);
    }

    private static long[] grow(long[] a, int n) {
        return a == null ? new long[n] : Arrays.copyOf(a, n);
    }

    private void allocateSlots(int n) {
        long[] oldKeys = keys;
        int[] oldFlow = slotFlow;
        keys = new long[n * KEY_LONGS];
        slotFlow = new int[n];
        Arrays.fill(slotFlow, -1);
        slotMask = n - 1;
        if (oldFlow == null) {
            return;
        }
        for (int s = 0; s < oldFlow.length; s++) {
            int f = oldFlow[s];
            if (f < 0) {
                continue;
            }
            int k = s * KEY_LONGS;
            int slot = slotOf(oldKeys[k], oldKeys[k + 1], oldKeys[k + 2], oldKeys[k + 3], oldKeys[k + 4]);
            while (slotFlow[slot] >= 0) {
                slot = (slot + 1) & slotMask;
            }
            System.arraycopy(oldKeys, k, keys, slot * KEY_LONGS, KEY_LONGS);
            slotFlow[slot] = f;
            flowSlot[f] = slot;
        }
    }

    static int compare(long hi1, long lo1, int p1, long hi2, long lo2, int p2) {
        int c = Long.compareUnsigned(hi1, hi2);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(lo1, lo2);
        return c != 0 ? c : Integer.compare(p1, p2);
    }

    /**
     * Symmetric by construction (the key is canonical); also used to pick a worker. Every bit of
     * the key reaches the low bits, which pick the slot.
     */
    public static int hash(long aHi, long aLo, long bHi, long bLo, long meta) {
        long h = aLo * 0x9E3779B97F4A7C15L;
        h = (h ^ bLo) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ aHi ^ Long.rotateLeft(bHi, 29)) * 0x165667B19E3779F9L;
        h = (h ^ meta) * 0x9E3779B97F4A7C15L;
        // a product's bit i depends only on the factors' bits 0..i: without this finaliser (murmur3's
        // fmix64) the high key bits, e.g. endpoint B's port, never reached the slot bits
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h;
    }

    private int slotOf(long aHi, long aLo, long bHi, long bLo, long meta) {
        return ((hash(aHi, aLo, bHi, bLo, meta) & hashAnd) ^ hashXor) & slotMask;
    }

    // ---------------------------------------------------------------- per-flow accessors

    /** Whether the packet given to the last {@link #update}, which returned {@code f}, came from the client. */
    public boolean lastFromClient(int f) {
        return lastFromA == ((state[f] & CLIENT_IS_B) == 0);
    }

    /** True when the last updated packet was sent by endpoint A of its flow. */
    public boolean lastFromA() {
        return lastFromA;
    }

    public boolean clientIsB(int f) {
        return (state[f] & CLIENT_IS_B) != 0;
    }

    /**
     * Lets protocol knowledge name the client (e.g. the DNS querier); ignored once a SYN (or a
     * first-seen SYN-ACK) decided it. A SYN seen later still overrides it: the handshake is the
     * stronger evidence.
     */
    public void setClientIsB(int f, boolean clientIsB) {
        if ((state[f] & CLIENT_BY_SYN) != 0) {
            return;
        }
        state[f] = clientIsB ? state[f] | CLIENT_IS_B : state[f] & ~CLIENT_IS_B;
    }

    public int l4(int f) {
        return (int) (keys[flowSlot[f] * KEY_LONGS + 4] & 0xFF);
    }

    public int vlan(int f) {
        return (int) (keys[flowSlot[f] * KEY_LONGS + 4] >>> 8 & 0xFFF);
    }

    public int tunnel(int f) {
        return tunnel[f];
    }

    private int sideIndex(int f, boolean client) {
        boolean b = (state[f] & CLIENT_IS_B) != 0;
        return client == b ? 1 : 0; // 0 = A, 1 = B
    }

    public long addrHi(int f, boolean client) {
        return keys[flowSlot[f] * KEY_LONGS + 2 * sideIndex(f, client)];
    }

    public long addrLo(int f, boolean client) {
        return keys[flowSlot[f] * KEY_LONGS + 2 * sideIndex(f, client) + 1];
    }

    public int port(int f, boolean client) {
        long meta = keys[flowSlot[f] * KEY_LONGS + 4];
        return (int) (sideIndex(f, client) == 0 ? meta >>> 32 & 0xFFFF : meta >>> 48 & 0xFFFF);
    }

    public long packets(int f, boolean client) {
        return pkts[2 * f + sideIndex(f, client)];
    }

    public long bytes(int f, boolean client) {
        return bytes[2 * f + sideIndex(f, client)];
    }

    /** Packets sent by one side since the flow's last interim record (all of them when it had none). */
    public long packetsInRecord(int f, boolean client) {
        int side = 2 * f + sideIndex(f, client);
        return reportedPkts == null ? pkts[side] : pkts[side] - reportedPkts[side];
    }

    /** Wire bytes sent by one side since the flow's last interim record (all of them when it had none). */
    public long bytesInRecord(int f, boolean client) {
        int side = 2 * f + sideIndex(f, client);
        return reportedBytes == null ? bytes[side] : bytes[side] - reportedBytes[side];
    }

    public long firstSeen(int f, boolean client) {
        return first[2 * f + sideIndex(f, client)];
    }

    public long lastSeen(int f, boolean client) {
        return last[2 * f + sideIndex(f, client)];
    }

    public int tcpFlags(int f, boolean client) {
        return flags[2 * f + sideIndex(f, client)] & 0xFF;
    }

    /** Flow-level first and last seen across both directions. */
    public long firstSeen(int f) {
        long a = pkts[2 * f] > 0 ? first[2 * f] : Long.MAX_VALUE;
        long b = pkts[2 * f + 1] > 0 ? first[2 * f + 1] : Long.MAX_VALUE;
        return Math.min(a, b);
    }

    public long lastSeen(int f) {
        long a = pkts[2 * f] > 0 ? last[2 * f] : Long.MIN_VALUE;
        long b = pkts[2 * f + 1] > 0 ? last[2 * f + 1] : Long.MIN_VALUE;
        return Math.max(a, b);
    }

    public Object ext(int f) {
        return ext[f];
    }

    public void setExt(int f, Object value) {
        ext[f] = value;
    }

    public int active() {
        return active;
    }

    public long created() {
        return created;
    }

    public long evicted() {
        return evicted;
    }

    public long expired() {
        return expired;
    }

    public int peak() {
        return peak;
    }

    public FlowConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- for tests

    /** The flows held now, by timeout class and least recently seen first (allocates: tests only). */
    int[] activeFlows() {
        int[] out = new int[active];
        int n = 0;
        for (int c = 0; c < CLASSES; c++) {
            for (int f = head[c]; f >= 0; f = next[f]) {
                out[n++] = f;
            }
        }
        return out;
    }

    /** Timeout class of a held flow: {@link #TCP_SYN}, {@link #TCP_OPEN}, {@link #TCP_CLOSED}, {@link #UDP}, {@link #OTHER}. */
    int timeoutClass(int f) {
        return tclass[f];
    }

    /** Mean number of slots a lookup of a held key visits (1 = every key in its home slot). */
    double meanProbeLength() {
        long sum = 0;
        for (int s = 0; s <= slotMask; s++) {
            if (slotFlow[s] >= 0) {
                int k = s * KEY_LONGS;
                sum += ((s - slotOf(keys[k], keys[k + 1], keys[k + 2], keys[k + 3], keys[k + 4])) & slotMask) + 1;
            }
        }
        return active == 0 ? 0 : (double) sum / active;
    }

    /**
     * Checks the structure (tests only): every key reachable from its home slot by an unbroken
     * probe run, no key twice, slots and flows pointing at each other, class lists consistent.
     *
     * @throws IllegalStateException naming the first violation
     */
    void checkInvariants() {
        int occupied = 0;
        java.util.Set<java.util.List<Long>> seen = new java.util.HashSet<>();
        for (int s = 0; s <= slotMask; s++) {
            int f = slotFlow[s];
            if (f < 0) {
                continue;
            }
            occupied++;
            if (flowSlot[f] != s) {
                throw new IllegalStateException("slot " + s + " holds flow " + f + " whose slot is " + flowSlot[f]);
            }
            int k = s * KEY_LONGS;
            if (!seen.add(java.util.List.of(keys[k], keys[k + 1], keys[k + 2], keys[k + 3], keys[k + 4]))) {
                throw new IllegalStateException("key of slot " + s + " held twice");
            }
            for (int h = slotOf(keys[k], keys[k + 1], keys[k + 2], keys[k + 3], keys[k + 4]); h != s; h = (h + 1) & slotMask) {
                if (slotFlow[h] < 0) {
                    throw new IllegalStateException("flow " + f + " in slot " + s + " unreachable: empty slot " + h + " on its probe run");
                }
            }
        }
        if (occupied != active) {
            throw new IllegalStateException(occupied + " slots occupied but " + active + " flows active");
        }
        int listed = 0;
        for (int c = 0; c < CLASSES; c++) {
            int p = -1;
            for (int f = head[c]; f >= 0; f = next[f]) {
                if (prev[f] != p || tclass[f] != c || slotFlow[flowSlot[f]] != f || ++listed > active) {
                    throw new IllegalStateException("class list " + c + " broken at flow " + f);
                }
                p = f;
            }
            if (tail[c] != p) {
                throw new IllegalStateException("class list " + c + " tail " + tail[c] + ", last " + p);
            }
        }
        if (listed != active) {
            throw new IllegalStateException(listed + " flows listed but " + active + " active");
        }
    }

    /** Bytes of primitive storage per flow slot, for memory reports. */
    public static int bytesPerFlow() {
        // keys (5 longs, 2 slots per flow) + slot index + counters and links
        return 2 * (KEY_LONGS * 8 + 4) + 4 + 8 * 8 + 2 + 4 + 1 + 1 + 8 + 4 + 4 + 8;
    }
}
