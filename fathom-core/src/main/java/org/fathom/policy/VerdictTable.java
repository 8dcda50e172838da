package org.fathom.policy;

import java.util.concurrent.locks.StampedLock;
import org.fathom.decode.DecodedPacket;

/**
 * The verdicts in force, for the packet path to look up: per flow (decided at classification),
 * per address (an alert rule's verdict on a flagged source or target, for the rule's {@code for:})
 * and per media endpoint (address and port a call's SDP announced, for as long as the call lives).
 *
 * <p>{@link #lookup} gives one packet's verdict: the first rule (smallest index) among its flow's
 * verdict (both directions are the same flow), its source's and destination's address verdicts
 * and its source's and destination's endpoint verdicts that are in force at the packet's time;
 * the policy's default when there is none. Address and endpoint verdicts have a window
 * {@code [from, until)} of capture time, so a packet is judged by what was in force when it was
 * captured, whichever thread wrote the verdict and however far ahead of the workers it runs.
 *
 * <p><b>Memory.</b> At most {@code capacity} entries in arrays fixed at construction
 * (open addressing, linear probing, at most half full). When it is full, an entry whose window has
 * passed is reused, otherwise an entry is evicted and counted ({@link #evicted}): an evicted flow
 * verdict falls back to the default for the rest of the flow (fail-open).
 *
 * <p><b>Thread safety.</b> Any number of threads may write (workers put and remove their flows'
 * verdicts; the dispatcher or single worker puts the alert and call verdicts) and any number may
 * read. Writers are serialised by a {@link StampedLock}'s write lock (a write happens once per
 * classified flow or event, not per packet). Readers take no lock: {@link #lookup} reads
 * optimistically and validates the stamp, retrying if a write overlapped; only after repeated
 * overlaps does it wait for the read lock. {@link #lookup} allocates nothing.
 */
public final class VerdictTable {
    static final long KIND_FLOW = 1L << 62;
    static final long KIND_ADDRESS = 2L << 62;
    static final long KIND_ENDPOINT = 3L << 62;
    /** A flow keyed entry with a window (a call's signalling): flow kind with this bit. */
    static final long CALL_FLOW = 1L << 61;
    private static final long KIND_MASK = 3L << 62;
    private static final int STRIDE = 5;   // aHi, aLo, bHi, bLo, meta
    private static final int OPTIMISTIC_TRIES = 4;
    /** Entries examined for one that has passed, when the table is full, before evicting one. */
    private static final int REUSE_SCAN = 64;

    /** Replaced by {@link #rebase} (a policy reload); read by every lookup. */
    private volatile Verdict fallback;
    private final int capacity;
    private final int mask;
    private final long[] keys;
    /** Per slot: from, until (the window in force or last), and the window before it (from, until). */
    private final long[] windows;
    /** Per slot: calls holding an open window (call flows and endpoints), for {@link #endEndpoint}. */
    private final int[] holders;
    private final Verdict[] verdicts;
    private final StampedLock lock = new StampedLock();
    // written under the write lock, read anywhere
    private volatile int size;
    private volatile int addresses;
    private volatile int endpoints;
    private volatile int callFlows;
    private volatile long evicted;
    private int cursor;

    /** Entries by default: a verdict for every flow of a full default flow table would be 2 M. */
    public static final int DEFAULT_CAPACITY = 1 << 17;
    private static final int W = 4;

    /**
     * @param fallback the verdict when nothing is in force (the policy's default)
     * @param capacity entries at most (flows with a verdict, flagged addresses, media endpoints)
     */
    public VerdictTable(Verdict fallback, int capacity) {
        if (capacity < 1 || capacity > 1 << 26) {
            throw new IllegalArgumentException("verdict table capacity must be 1..2^26, not " + capacity);
        }
        this.fallback = fallback;
        this.capacity = capacity;
        int slots = Integer.highestOneBit(Math.max(4, capacity) * 2 - 1) << 1;
        this.mask = slots - 1;
        this.keys = new long[slots * STRIDE];
        this.windows = new long[slots * W];
        this.holders = new int[slots];
        this.verdicts = new Verdict[slots];
    }

    public Verdict fallback() {
        return fallback;
    }

    public int capacity() {
        return capacity;
    }

    /** Entries held now. */
    public int size() {
        return size;
    }

    /** Entries evicted because the table was full. */
    public long evicted() {
        return evicted;
    }

    // ------------------------------------------------------------------ reading

    /**
     * The verdict for a decoded packet: its flow's, its addresses' or its endpoints' (the first
     * rule wins), or the default. Lock-free, allocation-free; safe on any thread.
     */
    public Verdict lookup(DecodedPacket p) {
        Verdict v = lookup(p, true);
        return v == null ? fallback : v;
    }

    /**
     * Like {@link #lookup} without the flow's own verdict, and null instead of the default: only
     * what alerts and calls decided (for a caller that keeps its flows' verdicts itself, as the
     * engine's workers do).
     */
    public Verdict lookupEvents(DecodedPacket p) {
        if (addresses == 0 && endpoints == 0 && callFlows == 0) {
            return null;
        }
        return lookup(p, false);
    }

    /** The first rule's verdict in force for the packet, or null. */
    private Verdict lookup(DecodedPacket p, boolean flows) {
        if (size == 0) {
            return null;
        }
        for (int i = 0; i < OPTIMISTIC_TRIES; i++) {
            long stamp = lock.tryOptimisticRead();
            if (stamp != 0) {
                Verdict v = probeAll(p, flows);
                if (lock.validate(stamp)) {
                    return v;
                }
            }
            Thread.onSpinWait();
        }
        long stamp = lock.readLock();
        try {
            return probeAll(p, flows);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private Verdict probeAll(DecodedPacket p, boolean flows) {
        Verdict best = null;
        long ts = p.timestampNanos;
        if (flows) {
            best = better(best, flowVerdict(p.l4, p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort, p.vlan));
        }
        if (callFlows > 0) {
            best = better(best, timed(callFlowSlot(p.l4, p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort), ts));
        }
        if (addresses > 0) {
            best = better(best, timed(find(p.srcHi, p.srcLo, 0, 0, KIND_ADDRESS), ts));
            best = better(best, timed(find(p.dstHi, p.dstLo, 0, 0, KIND_ADDRESS), ts));
        }
        if (endpoints > 0) {
            best = better(best, timed(find(p.srcHi, p.srcLo, 0, 0, endpointMeta(p.l4, p.srcPort)), ts));
            best = better(best, timed(find(p.dstHi, p.dstLo, 0, 0, endpointMeta(p.l4, p.dstPort)), ts));
        }
        return best;
    }

    private static Verdict better(Verdict best, Verdict v) {
        return v != null && (best == null || v.index() < best.index()) ? v : best;
    }

    private Verdict flowVerdict(int l4, long sHi, long sLo, int sPort, long dHi, long dLo, int dPort, int vlan) {
        if (first(sHi, sLo, sPort, dHi, dLo, dPort)) {
            int s = find(sHi, sLo, dHi, dLo, flowMeta(l4, vlan, sPort, dPort));
            return s < 0 ? null : verdicts[s];
        }
        int s = find(dHi, dLo, sHi, sLo, flowMeta(l4, vlan, dPort, sPort));
        return s < 0 ? null : verdicts[s];
    }

    private Verdict timed(int slot, long ts) {
        if (slot < 0) {
            return null;
        }
        int o = slot * W;
        long[] w = windows;
        return ts >= w[o] && ts < w[o + 1] || ts >= w[o + 2] && ts < w[o + 3] ? verdicts[slot] : null;
    }

    /** The flow verdict held for a flow (either direction), or null; for tests and the verdict log. */
    public Verdict flow(int l4, long sHi, long sLo, int sPort, long dHi, long dLo, int dPort, int vlan) {
        long stamp = lock.readLock();
        try {
            return flowVerdict(l4, sHi, sLo, sPort, dHi, dLo, dPort, vlan);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    // ------------------------------------------------------------------ keys

    /** Whether (aHi, aLo, aPort) orders first: the flow key is the same for both directions. */
    private static boolean first(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        int c = Long.compareUnsigned(aHi, bHi);
        if (c == 0) {
            c = Long.compareUnsigned(aLo, bLo);
        }
        return c < 0 || c == 0 && aPort <= bPort;
    }

    private static long flowMeta(int l4, int vlan, int portA, int portB) {
        return KIND_FLOW | (long) (l4 & 0xFF) << 44 | (long) (vlan & 0xFFF) << 32 | (long) (portA & 0xFFFF) << 16 | (portB & 0xFFFF);
    }

    private static long endpointMeta(int l4, int port) {
        return KIND_ENDPOINT | (long) (l4 & 0xFF) << 16 | (port & 0xFFFF);
    }

    private static int hash(long aHi, long aLo, long bHi, long bLo, long meta) {
        long h = aHi * 0x9E3779B97F4A7C15L ^ aLo * 0xC2B2AE3D27D4EB4FL ^ bHi * 0x165667B19E3779F9L
                ^ bLo * 0xD6E8FEB86659FD93L ^ meta * 0x94D049BB133111EBL;
        h = (h ^ h >>> 29) * 0xBF58476D1CE4E5B9L;
        return (int) (h ^ h >>> 32);
    }

    /** The slot holding the key, or -1. Bounded by the table size even if read during a write. */
    private int find(long aHi, long aLo, long bHi, long bLo, long meta) {
        long[] k = keys;
        int m = mask;
        int i = hash(aHi, aLo, bHi, bLo, meta) & m;
        for (int n = 0; n <= m; n++, i = i + 1 & m) {
            int o = i * STRIDE;
            long w = k[o + 4];
            if (w == 0) {
                return -1;
            }
            if (w == meta && k[o] == aHi && k[o + 1] == aLo && k[o + 2] == bHi && k[o + 3] == bLo) {
                return i;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ writing

    /** How a put treats an entry that exists. */
    private static final int FORCE = 0, TIMED = 1, HELD = 2;

    /** What {@link #putEndpoint} and {@link #putCallFlow} did. */
    public static final int REFUSED = 0, OPENED = 1, JOINED = 2;

    /**
     * Sets a flow's verdict (both directions), replacing what it had. The flow's owner calls it
     * when the flow is classified; {@link #removeFlow} when it ends.
     */
    public void putFlow(int l4, long sHi, long sLo, int sPort, long dHi, long dLo, int dPort, int vlan, Verdict v) {
        long stamp = lock.writeLock();
        try {
            if (first(sHi, sLo, sPort, dHi, dLo, dPort)) {
                put(sHi, sLo, dHi, dLo, flowMeta(l4, vlan, sPort, dPort), v, Long.MIN_VALUE, Long.MAX_VALUE, FORCE);
            } else {
                put(dHi, dLo, sHi, sLo, flowMeta(l4, vlan, dPort, sPort), v, Long.MIN_VALUE, Long.MAX_VALUE, FORCE);
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Removes a flow's verdict (the flow ended); nothing when it has none. */
    public void removeFlow(int l4, long sHi, long sLo, int sPort, long dHi, long dLo, int dPort, int vlan) {
        long stamp = lock.writeLock();
        try {
            int s = first(sHi, sLo, sPort, dHi, dLo, dPort) ? find(sHi, sLo, dHi, dLo, flowMeta(l4, vlan, sPort, dPort))
                    : find(dHi, dLo, sHi, sLo, flowMeta(l4, vlan, dPort, sPort));
            if (s >= 0) {
                delete(s);
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /**
     * Puts a verdict on an address for capture time {@code [from, until)}: every packet from or to
     * it. The same verdict again (an alert raised anew) extends the window when the two meet, else
     * opens a new one (the previous window is kept too, for packets still on their way through
     * the workers). An address under another rule's verdict that is in force at {@code from}
     * keeps it when that rule comes first, and takes the new one otherwise.
     *
     * @return false when the earlier verdict was kept
     */
    public boolean putAddress(long hi, long lo, Verdict v, long from, long until) {
        long stamp = lock.writeLock();
        try {
            return put(hi, lo, 0, 0, KIND_ADDRESS, v, from, until, TIMED) != REFUSED;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /**
     * Puts a call's verdict on a media endpoint (address and port) from capture time {@code from}
     * until {@link #endEndpoint}: every packet from or to it. Calls that share the endpoint hold it
     * together: it ends when the last of them ends.
     *
     * @return {@link #OPENED} (a verdict change), {@link #JOINED} (another call holds it already) or
     *         {@link #REFUSED} (another rule's verdict in force was kept: do not end it then)
     */
    public int putEndpoint(long hi, long lo, int port, int l4, Verdict v, long from, long until) {
        long stamp = lock.writeLock();
        try {
            return put(hi, lo, 0, 0, endpointMeta(l4, port), v, from, until, HELD);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** One call that held the endpoint's verdict {@code v} ended at capture time {@code until}. */
    public void endEndpoint(long hi, long lo, int port, int l4, Verdict v, long until) {
        long stamp = lock.writeLock();
        try {
            release(find(hi, lo, 0, 0, endpointMeta(l4, port)), v, until);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private int callFlowSlot(int l4, long sHi, long sLo, int sPort, long dHi, long dLo, int dPort) {
        return first(sHi, sLo, sPort, dHi, dLo, dPort) ? find(sHi, sLo, dHi, dLo, flowMeta(l4, 0, sPort, dPort) | CALL_FLOW)
                : find(dHi, dLo, sHi, sLo, flowMeta(l4, 0, dPort, sPort) | CALL_FLOW);
    }

    /**
     * Puts a call's verdict on its signalling flow (either direction, any VLAN) from capture time
     * {@code from} until {@link #endCallFlow}. Kept apart from the flow's own verdict (the
     * worker's) and looked up with it: the first rule wins. Calls on the same flow hold it together.
     *
     * @return {@link #OPENED}, {@link #JOINED} or {@link #REFUSED}, as {@link #putEndpoint}
     */
    public int putCallFlow(int l4, long sHi, long sLo, int sPort, long dHi, long dLo, int dPort, Verdict v, long from) {
        long stamp = lock.writeLock();
        try {
            if (first(sHi, sLo, sPort, dHi, dLo, dPort)) {
                return put(sHi, sLo, dHi, dLo, flowMeta(l4, 0, sPort, dPort) | CALL_FLOW, v, from, Long.MAX_VALUE, HELD);
            }
            return put(dHi, dLo, sHi, sLo, flowMeta(l4, 0, dPort, sPort) | CALL_FLOW, v, from, Long.MAX_VALUE, HELD);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** One call that held its signalling flow's verdict {@code v} ended at capture time {@code until}. */
    public void endCallFlow(int l4, long sHi, long sLo, int sPort, long dHi, long dLo, int dPort, Verdict v, long until) {
        long stamp = lock.writeLock();
        try {
            release(callFlowSlot(l4, sHi, sLo, sPort, dHi, dLo, dPort), v, until);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Under the write lock: one holder of the slot's open window let go. */
    private void release(int s, Verdict v, long until) {
        if (s < 0 || !sameRule(verdicts[s], v) || holders[s] <= 0) {
            return;
        }
        if (--holders[s] == 0) {
            int o = s * W;
            windows[o + 1] = Math.max(until, windows[o]);
        }
    }

    /** The same rule, by name (a reload replaces a rule's verdict with the new policy's). */
    private static boolean sameRule(Verdict a, Verdict b) {
        return a == b || a != null && b != null && java.util.Objects.equals(a.rule(), b.rule());
    }

    /** An entry a {@link #rebase} lifted: its kind ({@code flow}, {@code address}, {@code endpoint}), key and verdict. */
    public record Lifted(String kind, long hi, long lo, int port, int l4, Verdict verdict) {}

    /**
     * A policy reload: every entry's verdict becomes {@code map}'s answer for it (the new policy's
     * verdict of the rule with the same name), entries it answers null for are removed (their
     * rule is gone: a sticky address verdict is lifted), and {@code fallback} is the new default.
     * Windows and holders stay. One write lock for the lot: a reader sees the table before or after.
     *
     * @return the address, endpoint and call-signalling entries removed (for the verdict log)
     */
    public java.util.List<Lifted> rebase(java.util.function.UnaryOperator<Verdict> map, Verdict fallback) {
        java.util.List<Lifted> lifted = new java.util.ArrayList<>();
        java.util.List<long[]> gone = new java.util.ArrayList<>();
        long stamp = lock.writeLock();
        try {
            for (int s = 0; s <= mask; s++) {
                int o = s * STRIDE;
                long meta = keys[o + 4];
                if (meta == 0) {
                    continue;
                }
                Verdict v = verdicts[s];
                Verdict n = v == null ? null : map.apply(v);
                if (n != null) {
                    verdicts[s] = n;
                    continue;
                }
                gone.add(new long[] {keys[o], keys[o + 1], keys[o + 2], keys[o + 3], meta});
                long kind = meta & KIND_MASK;
                if (kind == KIND_ADDRESS) {
                    lifted.add(new Lifted("address", keys[o], keys[o + 1], 0, 0, v));
                } else if (kind == KIND_ENDPOINT) {
                    lifted.add(new Lifted("endpoint", keys[o], keys[o + 1], (int) (meta & 0xFFFF), (int) (meta >>> 16 & 0xFF), v));
                } else if ((meta & CALL_FLOW) != 0) {
                    lifted.add(new Lifted("flow", keys[o], keys[o + 1], (int) (meta >>> 16 & 0xFFFF), (int) (meta >>> 44 & 0xFF), v));
                }
            }
            for (long[] k : gone) {   // deleted after the scan: backward shifts move entries the scan has not reached
                int s = find(k[0], k[1], k[2], k[3], k[4]);
                if (s >= 0) {
                    delete(s);
                }
            }
            this.fallback = fallback;
        } finally {
            lock.unlockWrite(stamp);
        }
        return lifted;
    }

    /** The verdict on an address in force at {@code ts}, or null (tests, the verdict log). */
    public Verdict address(long hi, long lo, long ts) {
        long stamp = lock.readLock();
        try {
            return timed(find(hi, lo, 0, 0, KIND_ADDRESS), ts);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Under the write lock: {@link #OPENED}, {@link #JOINED} or {@link #REFUSED}. */
    private int put(long aHi, long aLo, long bHi, long bLo, long meta, Verdict v, long from, long until, int mode) {
        int s = find(aHi, aLo, bHi, bLo, meta);
        if (s >= 0 && mode != FORCE) {
            int o = s * W;
            Verdict old = verdicts[s];
            boolean inForce = from >= windows[o] && from < windows[o + 1];
            if (old == v) {
                if (mode == HELD && holders[s] > 0) {
                    holders[s]++;                          // another call on the open window
                    return JOINED;
                } else if (mode == TIMED && from <= windows[o + 1]) {
                    windows[o + 1] = Math.max(windows[o + 1], until);   // the windows meet: one longer window
                } else {
                    windows[o + 2] = windows[o];           // a new window; the last one kept for late packets
                    windows[o + 3] = windows[o + 1];
                    windows[o] = from;
                    windows[o + 1] = until;
                    holders[s] = mode == HELD ? 1 : 0;
                }
                return OPENED;
            }
            if (inForce && old.index() < v.index()) {
                return REFUSED;
            }
            verdicts[s] = v;
            windows[o] = from;
            windows[o + 1] = until;
            windows[o + 2] = windows[o + 3] = Long.MIN_VALUE;
            holders[s] = mode == HELD ? 1 : 0;
            return OPENED;
        }
        if (s < 0) {
            if (size >= capacity) {
                makeRoom(from);
            }
            s = hash(aHi, aLo, bHi, bLo, meta) & mask;
            while (keys[s * STRIDE + 4] != 0) {
                s = s + 1 & mask;
            }
            size++;
            count(meta, 1);
        }
        int o = s * STRIDE;
        // the verdict and window first, the key's meta last: a reader that sees the key sees a full entry
        verdicts[s] = v;
        windows[s * W] = from;
        windows[s * W + 1] = until;
        windows[s * W + 2] = windows[s * W + 3] = Long.MIN_VALUE;
        holders[s] = mode == HELD ? 1 : 0;
        keys[o] = aHi;
        keys[o + 1] = aLo;
        keys[o + 2] = bHi;
        keys[o + 3] = bLo;
        keys[o + 4] = meta;
        return OPENED;
    }

    private void count(long meta, int d) {
        long kind = meta & KIND_MASK;
        if (kind == KIND_FLOW && (meta & CALL_FLOW) != 0) {
            callFlows += d;
        } else if (kind == KIND_ADDRESS) {
            addresses += d;
        } else if (kind == KIND_ENDPOINT) {
            endpoints += d;
        }
    }

    /** Full: reuse an entry whose windows have passed, else evict one (counted). */
    private void makeRoom(long now) {
        int slots = mask + 1;
        int victim = -1;
        for (int n = 0; n < slots && n < REUSE_SCAN * 4; n++) {
            int i = cursor = cursor + 1 & mask;
            if (keys[i * STRIDE + 4] == 0) {
                continue;
            }
            if (victim < 0) {
                victim = i;
            }
            if (windows[i * W + 1] <= now && holders[i] == 0) {
                delete(i);
                return;
            }
        }
        if (victim >= 0) {
            delete(victim);
            evicted++;
        }
    }

    /** Backward-shift deletion (under the write lock): every probe sequence stays unbroken. */
    private void delete(int s) {
        long[] k = keys;
        int m = mask;
        count(k[s * STRIDE + 4], -1);
        int hole = s;
        for (int i = s + 1 & m; ; i = i + 1 & m) {
            int o = i * STRIDE;
            if (k[o + 4] == 0) {
                break;
            }
            int home = hash(k[o], k[o + 1], k[o + 2], k[o + 3], k[o + 4]) & m;
            boolean stays = hole <= i ? home > hole && home <= i : home > hole || home <= i;
            if (!stays) {
                System.arraycopy(k, o, k, hole * STRIDE, STRIDE);
                System.arraycopy(windows, i * W, windows, hole * W, W);
                holders[hole] = holders[i];
                verdicts[hole] = verdicts[i];
                hole = i;
            }
        }
        int o = hole * STRIDE;
        k[o + 4] = 0;
        k[o] = k[o + 1] = k[o + 2] = k[o + 3] = 0;
        verdicts[hole] = null;
        holders[hole] = 0;
        size--;
    }
}
