package org.fathom.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fathom.analysis.PacketAnalyzer;
import org.fathom.decode.DecodedPacket;
import org.fathom.decode.IpProtocol;
import org.fathom.net.Cidr;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.record.AlertRecord;

/**
 * Finds floods, amplification, scans, spam runs and brute force across all packets of a capture
 * in bounded memory: a count-min sketch admits heavy destinations into a fixed table of tracked
 * destinations (and probing sources into a fixed table of sources); everything else costs only
 * the sketch update. No allocation per packet on the steady path: an alert object is made once
 * when an attack is detected and updated until the attack ends (5 s quiet) or the input ends.
 */
public final class AttackDetector implements PacketAnalyzer {
    /** Per-network thresholds, the first matching network wins, else {@link Thresholds#DEFAULTS}. */
    public record NetworkThresholds(Cidr network, Thresholds thresholds) {}

    /**
     * Categories counted per destination. Each amplification service (AmpService.PORTS) is a
     * category of its own, from AMP on, so that every vector aimed at one victim raises its own
     * alert (DNS reflection and then NTP reflection are two alerts, not one).
     */
    static final int SYN = 0, ACK = 1, RST = 2, UDP = 3, ICMP = 4, FRAG = 5, HTTP = 6, AMP = 7,
            TCP = AMP + AmpService.PORTS.length, SENT_SYN = TCP + 1, SENT_UDP_TOP = TCP + 2, SENT = TCP + 3,
            SENT_HTTP = TCP + 4, NC = TCP + 5;
    /**
     * An HTTP request rate only counts as a flood when it is more than load: the server leaves
     * over half of the requests unanswered (overwhelmed, or requests that are incomplete or not
     * meant to be answered), or at least this many clients send them at once, or the rate is
     * {@link #HTTP_ONE_SOURCE_FACTOR} times the minimum (beyond any single well-behaved client).
     */
    static final int HTTP_SOURCES = 10;
    static final double HTTP_ONE_SOURCE_FACTOR = 10;
    static final String[] FLOOD_KIND = {"syn_flood", "ack_flood", "rst_flood", "udp_flood", "icmp_flood", "fragment_flood", "http_flood"};
    private static final long SEC = 1_000_000_000L;
    private static final long QUIET = 5 * SEC;
    private static final int CMS_W = 4096, CMS_D = 4, ADMIT = 32;
    private static final long SCAN_WINDOW = 30 * SEC;

    /**
     * Per-network thresholds that can be replaced while the detectors run (a reload on SIGHUP): an
     * immutable array published through a volatile field. A detector looks at it once per second
     * (its sweep), on its own thread; when it changed, the thresholds of the destinations it
     * tracks are looked up again. No lock, nothing read per packet.
     */
    public static final class Rules {
        private volatile NetworkThresholds[] networks;

        public Rules(List<NetworkThresholds> networks) {
            set(networks);
        }

        /** Publishes new thresholds; detectors take them at their next sweep (within a second of capture time). */
        public void set(List<NetworkThresholds> networks) {
            this.networks = List.copyOf(networks).toArray(NetworkThresholds[]::new);
        }

        public List<NetworkThresholds> get() {
            return List.of(networks);
        }

        NetworkThresholds[] array() {
            return networks;
        }
    }

    private final PrivacyGuard guard;
    private final Rules rules;
    private final AlertCounts counts;
    private NetworkThresholds[] networkArray;
    /** Slots of the source table; the destination table has twice as many and is kept at most half full. */
    private final int cap;
    private final int dcap;
    /**
     * Count-min sketch of packets per destination in the current second. Only "fewer than ADMIT"
     * is ever asked of it, so the counters saturate at ADMIT and fit a byte: 16 KiB that stay in
     * L1 (and a quarter of the clearing each second) instead of 64 KiB of ints, same answers.
     */
    private final byte[] cms = new byte[CMS_W * CMS_D];
    private long cmsSecond = Long.MIN_VALUE;
    // tracked destinations
    /**
     * Per tracked destination, side by side in one array (4 longs, a half cache line): the
     * address (high, low half), the capture second its counters are at and when it was last
     * counted ({@link #HI}, {@link #LO}, {@link #SEC_AT}, {@link #SEEN}). A lookup, the roll test
     * and the count of a packet then read one cache line, where separate arrays cost a miss each.
     */
    private final long[] dKey;
    private static final int HI = 0, LO = 1, SEC_AT = 2, SEEN = 3;
    /**
     * Per slot, 0 when free, else a 16-bit fingerprint of the address hash ({@link #tag}): a
     * lookup reads one short per probed slot (16 KiB for the whole table, cache-resident) and
     * compares the addresses only when the fingerprint matches (most packets go to untracked
     * destinations, whose probes end at the first free slot).
     */
    private final short[] dTag;
    private final Thresholds[] dTh;
    /**
     * Per slot and category, this second's count and the last second's, side by side
     * (cp[2i] and cp[2i+1], i = slot * NC + category): counting and rating a packet read one
     * cache line, not two.
     */
    private final double[] cp;
    private final double[] base;
    private final long[] runStart;
    private final int[] udpTop, udpTopCnt;
    private final Alert[] active;
    /** Per destination, 256-bit set of the TCP ports SYNs went to this second: a flood hits few, a scan many. */
    private final long[] synPorts;
    /** Per destination, 64-bit sets of the sources of HTTP requests this second and the last one. */
    private final long[] httpSrc, httpSrcPrev;
    private int dCount;
    // tracked probing sources
    private final long[] sHi, sLo, sStart, sLast;
    /** As {@link #dTag}, for the source table (0: never used; slots are reused but never freed). */
    private final short[] sTag;
    private final long[][] sPorts, sHosts, sSmtp;
    /** Bits set in each source's bitmaps, kept as they are set: the estimates need no scan per probe. */
    private final int[] sPortsN, sHostsN, sSmtpN;
    private final long[] sTopHi, sTopLo;
    private final int[] sTopCnt, sTopPort, sTopPortCnt, sProbes, sAccepted, sAuth, sRcpt, sRegister;
    private final Alert[][] sActive;
    private final List<Alert> done = new ArrayList<>();
    /**
     * One bit per destination slot that has an open alert in {@link #active}: the sweep visits
     * those slots (in slot order, as a scan of the table would) instead of scanning the whole
     * table (tens of thousands of references) every second while any alert is open.
     */
    private final long[] openSlots;
    /** Sources with open alerts: the sweep skips the source table while there are none. */
    private int sActiveCount;
    private long lastSweep = Long.MIN_VALUE;
    private long lastFailedEviction = Long.MIN_VALUE;
    /** Scratch for eviction: the candidates' slots and last activity, then the victims' addresses. */
    private final long[] evictable, evictHi, evictLo;
    private final int[] evictSlots;

    /** Told of each alert when it is raised (the policy engine); nobody by default. */
    private org.fathom.analysis.AnalysisEvents events = org.fathom.analysis.AnalysisEvents.NONE;

    @Override
    public void listen(org.fathom.analysis.AnalysisEvents events) {
        this.events = events;
    }

    public AttackDetector(PrivacyGuard guard) {
        this(guard, List.of(), 4096);
    }

    public AttackDetector(PrivacyGuard guard, List<NetworkThresholds> networks, int capacity) {
        this(guard, new Rules(networks), capacity);
    }

    /** A detector whose thresholds follow {@code rules} (replaced at run time, e.g. on SIGHUP). */
    public AttackDetector(PrivacyGuard guard, Rules rules, int capacity) {
        this(guard, rules, capacity, new AlertCounts());
    }

    /** A detector whose thresholds follow {@code rules} and that counts its alerts into {@code counts}. */
    public AttackDetector(PrivacyGuard guard, Rules rules, int capacity, AlertCounts counts) {
        this.guard = guard;
        this.rules = rules;
        this.counts = counts;
        this.networkArray = rules.array();
        this.cap = Integer.highestOneBit(Math.max(64, capacity));
        this.dcap = 2 * cap;
        int dc = dcap;
        dKey = new long[4 * dc]; dTag = new short[dc]; openSlots = new long[(dc + 63) / 64]; dTh = new Thresholds[dc];
        cp = new double[2 * dc * NC]; base = new double[dc * NC];
        runStart = new long[dc * NC];
        udpTop = new int[dc]; udpTopCnt = new int[dc];
        active = new Alert[dc * NC];
        synPorts = new long[dc * 4];
        httpSrc = new long[dc];
        httpSrcPrev = new long[dc];
        evictable = new long[dc];
        evictHi = new long[dc];
        evictLo = new long[dc];
        evictSlots = new int[dc];
        sHi = new long[cap]; sLo = new long[cap]; sStart = new long[cap]; sLast = new long[cap]; sTag = new short[cap];
        sPorts = new long[cap][]; sHosts = new long[cap][]; sSmtp = new long[cap][];
        sPortsN = new int[cap]; sHostsN = new int[cap]; sSmtpN = new int[cap];
        sTopHi = new long[cap]; sTopLo = new long[cap]; sTopCnt = new int[cap]; sTopPort = new int[cap]; sTopPortCnt = new int[cap];
        sProbes = new int[cap]; sAccepted = new int[cap]; sAuth = new int[cap]; sRcpt = new int[cap]; sRegister = new int[cap];
        sActive = new Alert[cap][];
    }

    public static PacketAnalyzer.Factory factory() {
        return AttackDetector::new;
    }

    public static PacketAnalyzer.Factory factory(List<NetworkThresholds> networks) {
        return g -> new AttackDetector(g, networks, 4096);
    }

    /** Detectors whose thresholds follow {@code rules}, which may be replaced while they run. */
    public static PacketAnalyzer.Factory factory(Rules rules) {
        return g -> new AttackDetector(g, rules, 4096);
    }

    /** As {@link #factory(Rules)}, counting the alerts raised and ended into {@code counts}. */
    public static PacketAnalyzer.Factory factory(Rules rules, AlertCounts counts) {
        return g -> new AttackDetector(g, rules, 4096, counts);
    }

    /** A fragment not (yet) part of a complete datagram: counted towards a fragment flood on its destination. */
    @Override
    public void onFragment(DecodedPacket d) {
        long ts = d.timestampNanos;
        if (ts - lastSweep >= SEC || ts < lastSweep || lastSweep == Long.MIN_VALUE) {   // ts - MIN_VALUE overflows
            sweep(ts);
        }
        long sec = clock.of(ts);
        int slot = destination(d.dstHi, d.dstLo, mix(d.dstHi, d.dstLo), sec, ts);
        if (slot < 0) {
            return;
        }
        if (dKey[4 * slot + SEC_AT] != sec) roll(slot, sec);
        count(slot, FRAG, ts);
        check(slot, FRAG, d, ts, keep(ts));
        Alert a = active[slot * NC + FRAG];
        if (a != null) {
            a.add(d, ts, d.wireBytes);
        }
    }

    /*
     * Per packet, in C1-compiled code (no escape analysis, little inlining, long division a runtime
     * call), so: the capture second and the two address hashes are computed once and handed down
     * (table lookups, sketch, source bitmaps and alerts all use the same mix(hi, lo)); a slot's
     * counters are rolled to the new second once, where the first count needs it, not in every
     * count/rate call; the sliding-window weight of the last second is computed once.
     */
    @Override
    public void onPacket(DecodedPacket d) {
        long ts = d.timestampNanos;
        if (ts - lastSweep >= SEC || ts < lastSweep || lastSweep == Long.MIN_VALUE) {   // ts - MIN_VALUE overflows
            sweep(ts);
        }
        long sec = clock.of(ts);
        int l4 = d.l4;
        int flags = d.tcpFlags;
        boolean tcp = l4 == IpProtocol.TCP, udp = l4 == 17;
        long hDst = mix(d.dstHi, d.dstLo), hSrc = mix(d.srcHi, d.srcLo);
        // ----- per destination
        int slot = destination(d.dstHi, d.dstLo, hDst, sec, ts);
        if (slot >= 0) {
            int o = slot * NC;
            long bytes = d.wireBytes;
            int cat = -1;
            if (tcp) {
                if (dKey[4 * slot + SEC_AT] != sec) roll(slot, sec);   // before the SYN port and HTTP source sets below, which it clears
                count(slot, TCP, ts);
                boolean syn = (flags & DecodedPacket.TCP_SYN) != 0, ackf = (flags & DecodedPacket.TCP_ACK) != 0;
                if (syn && !ackf) {
                    cat = SYN;
                    int b = (int) (mix(d.dstPort, 7) & 255);
                    synPorts[slot * 4 + (b >>> 6)] |= 1L << b;
                } else if ((flags & DecodedPacket.TCP_RST) != 0) {
                    cat = RST;
                } else if (ackf && !syn && (flags & DecodedPacket.TCP_FIN) == 0 && d.payloadLength == 0) {
                    cat = ACK;
                } else if (d.payloadLength >= 4 && isHttpRequest(d)) {
                    cat = HTTP;
                    httpSrc[slot] |= 1L << (hSrc & 63);
                }
            } else if (udp) {
                int amp = AmpService.index(d.srcPort);
                if (amp >= 0 && d.wireBytes >= 200) {
                    cat = AMP + amp;
                } else {
                    cat = UDP;
                    int p = d.dstPort;
                    if (udpTop[slot] == p) udpTopCnt[slot]++; else if (--udpTopCnt[slot] <= 0) { udpTop[slot] = p; udpTopCnt[slot] = 1; }
                }
            } else if (l4 == IpProtocol.ICMP || l4 == 58) {
                int t = d.icmpType;
                boolean request = l4 == 1 ? (t == 8 || t == 13 || t == 15 || t == 17) : (t == 128);
                if (request) {
                    cat = ICMP;
                }
            }
            boolean fragmented = d.frames > 1;
            if (cat >= 0 || fragmented) {
                // the roll must happen only when something is counted (an uncounted packet, e.g. an
                // ICMP reply, leaves the slot's second alone: the baseline depends on it)
                if (dKey[4 * slot + SEC_AT] != sec) roll(slot, sec);
                double keep = keep(ts);
                if (fragmented) {
                    // the datagram's other fragments were counted as they arrived (onFragment)
                    count(slot, FRAG, ts);
                    check(slot, FRAG, d, ts, keep);
                }
                if (cat >= 0) {
                    count(slot, cat, ts);
                    check(slot, cat, d, ts, keep);
                    // floods: every packet to the victim counts once in each open alert of its kind
                    Alert a = active[o + cat];
                    if (a != null) {
                        a.add(d, ts, bytes, hSrc);
                    }
                }
                if (fragmented && active[o + FRAG] != null) {
                    active[o + FRAG].add(d, ts, bytes, hSrc);
                }
            }
        }
        // ----- per source, as a sender (reverse counters for the destination table); nothing to
        // look up while no destination is tracked
        int src = dCount == 0 ? -1 : find(d.srcHi, d.srcLo, hSrc);
        if (src >= 0) {
            if (dKey[4 * src + SEC_AT] != sec) roll(src, sec);
            int so = src * NC;
            cp[2 * (so + SENT)]++;
            if (tcp && (flags & (DecodedPacket.TCP_SYN | DecodedPacket.TCP_ACK)) == DecodedPacket.TCP_SYN) {
                cp[2 * (so + SENT_SYN)]++;
            }
            if (udp && d.srcPort == udpTop[src]) {
                cp[2 * (so + SENT_UDP_TOP)]++;
            }
            if (tcp && d.payloadLength >= 5 && isHttpResponse(d)) {
                cp[2 * (so + SENT_HTTP)]++;
            }
        }
        // ----- scans and abuse, per probing source
        if (tcp) {
            int f = flags & (DecodedPacket.TCP_SYN | DecodedPacket.TCP_ACK | DecodedPacket.TCP_RST);
            if (f == (DecodedPacket.TCP_SYN | DecodedPacket.TCP_ACK)) {
                int s = source(d.dstHi, d.dstLo, ts, false);   // the prober got an answer
                if (s >= 0) {
                    sAccepted[s]++;
                }
            } else if (f == DecodedPacket.TCP_SYN || (f == 0)) {   // SYN, or FIN/NULL/XMAS probes
                int s = source(d.srcHi, d.srcLo, ts, true);
                if (s >= 0) {
                    probe(s, d, ts, hDst, hSrc);
                }
            } else if (d.dstPort == 25 || d.dstPort == 587) {
                if (d.payloadLength >= 8 && startsWith(d, "RCPT TO:")) {
                    int s = source(d.srcHi, d.srcLo, ts, true);
                    if (s >= 0) {
                        sRcpt[s]++;
                        abuse(s, d, ts, hSrc);
                    }
                }
            }
        } else if (udp && d.dstPort == 5060 && d.payloadLength >= 8 && startsWith(d, "REGISTER")) {
            int s = source(d.srcHi, d.srcLo, ts, true);
            if (s >= 0) {
                sRegister[s]++;
                if (sTopHi[s] == d.dstHi && sTopLo[s] == d.dstLo) sTopCnt[s]++; else if (--sTopCnt[s] <= 0) { sTopHi[s] = d.dstHi; sTopLo[s] = d.dstLo; sTopCnt[s] = 1; }
                abuse(s, d, ts, hSrc);
            }
        }
    }

    // ================================================================ destinations

    /** The fingerprint of an address hash kept in {@link #dTag}/{@link #sTag}: its top 16 bits, never 0 (0 marks a free slot). */
    private static short tag(long h) {
        return (short) ((h >>> 48) | 1);
    }

    /** {@code h} is {@code mix(hi, lo)}, {@code sec} the capture second of {@code ts}. */
    private int destination(long hi, long lo, long h, long sec, long ts) {
        int s = find(hi, lo, h);
        if (s >= 0) {
            return s;
        }
        if (sec != cmsSecond) {
            Arrays.fill(cms, (byte) 0);
            cmsSecond = sec;
        }
        // the four rows unrolled (C1 does not unroll); a counter stops at ADMIT (see cms)
        int i0 = (int) (h & (CMS_W - 1)), i1 = CMS_W + (int) ((h >>> 16) & (CMS_W - 1)),
                i2 = 2 * CMS_W + (int) ((h >>> 32) & (CMS_W - 1)), i3 = 3 * CMS_W + (int) ((h >>> 48) & (CMS_W - 1));
        int v0 = cms[i0] + 1, v1 = cms[i1] + 1, v2 = cms[i2] + 1, v3 = cms[i3] + 1;
        if (v0 <= ADMIT) cms[i0] = (byte) v0;
        if (v1 <= ADMIT) cms[i1] = (byte) v1;
        if (v2 <= ADMIT) cms[i2] = (byte) v2;
        if (v3 <= ADMIT) cms[i3] = (byte) v3;
        int min = Math.min(Math.min(v0, v1), Math.min(v2, v3));
        if (min < ADMIT || isMulticast(hi, lo)) {
            return -1;
        }
        if (dCount >= dcap / 2 && !evictStalest(ts)) {
            return -1;
        }
        int i = (int) (h & (dcap - 1));
        while (dTag[i] != 0) {
            i = (i + 1) & (dcap - 1);
        }
        dTag[i] = tag(h);
        dKey[4 * i + HI] = hi;
        dKey[4 * i + LO] = lo;
        dKey[4 * i + SEC_AT] = sec;
        dTh[i] = thresholdsFor(hi, lo);
        dKey[4 * i + SEEN] = ts;
        int o = i * NC;
        Arrays.fill(cp, 2 * o, 2 * (o + NC), 0);
        Arrays.fill(base, o, o + NC, 0);
        Arrays.fill(runStart, o, o + NC, ts);
        udpTop[i] = udpTopCnt[i] = 0;
        Arrays.fill(synPorts, i * 4, i * 4 + 4, 0);
        httpSrc[i] = httpSrcPrev[i] = 0;
        dCount++;
        return i;
    }

    /** The slot of a tracked destination, or -1; {@code h} is {@code mix(hi, lo)}. */
    private int find(long hi, long lo, long h) {
        short tag = tag(h);
        int i = (int) (h & (dcap - 1));
        short t;
        while ((t = dTag[i]) != 0) {
            if (t == tag && dKey[4 * i + HI] == hi && dKey[4 * i + LO] == lo) {
                return i;
            }
            i = (i + 1) & (dcap - 1);
        }
        return -1;
    }

    /**
     * Makes room when the table is full: frees the destinations quiet longest (over 2 s, no open
     * alert), up to an eighth of the tracked ones at once, so that the table is scanned once per
     * many admissions rather than for each one.
     */
    private boolean evictStalest(long ts) {
        if (lastFailedEviction != Long.MIN_VALUE && ts >= lastFailedEviction && ts - lastFailedEviction < SEC) {
            return false;   // nothing was evictable a moment ago: do not scan the table for every packet
        }
        int n = 0;
        for (int i = 0; i < dcap; i++) {
            if (dTag[i] != 0 && ts - dKey[4 * i + SEEN] > 2 * SEC && !hasActive(i)) {
                evictSlots[n] = i;
                evictable[n++] = dKey[4 * i + SEEN];
            }
        }
        if (n == 0) {
            lastFailedEviction = ts;
            return false;
        }
        int batch = Math.max(1, dcap / 16);
        long limit = Long.MAX_VALUE;
        if (n > batch) {
            Arrays.sort(evictable, 0, n);
            limit = evictable[batch - 1];
        }
        // removal shifts entries, so remember the victims by address before removing any
        int m = 0;
        for (int k = 0; k < n && m < batch; k++) {
            int slot = evictSlots[k];
            if (dKey[4 * slot + SEEN] <= limit) {
                evictHi[m] = dKey[4 * slot + HI];
                evictLo[m++] = dKey[4 * slot + LO];
            }
        }
        for (int k = 0; k < m; k++) {
            int slot = find(evictHi[k], evictLo[k], mix(evictHi[k], evictLo[k]));
            if (slot >= 0) {
                removeDestination(slot);
            }
        }
        return true;
    }

    private boolean hasActive(int slot) {
        for (int c = 0; c < NC; c++) {
            if (active[slot * NC + c] != null) return true;
        }
        return false;
    }

    /** Backward-shift deletion keeps linear probing free of tombstones. */
    private void removeDestination(int i) {
        dTag[i] = 0;
        dCount--;
        int j = i;
        while (true) {
            j = (j + 1) & (dcap - 1);
            if (dTag[j] == 0) return;
            int home = (int) (mix(dKey[4 * j + HI], dKey[4 * j + LO]) & (dcap - 1));
            boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (between) continue;
            dTag[i] = dTag[j]; dTh[i] = dTh[j];
            System.arraycopy(dKey, 4 * j, dKey, 4 * i, 4);
            System.arraycopy(cp, 2 * j * NC, cp, 2 * i * NC, 2 * NC);
            System.arraycopy(base, j * NC, base, i * NC, NC);
            System.arraycopy(runStart, j * NC, runStart, i * NC, NC);
            System.arraycopy(active, j * NC, active, i * NC, NC);
            System.arraycopy(synPorts, j * 4, synPorts, i * 4, 4);
            httpSrc[i] = httpSrc[j]; httpSrcPrev[i] = httpSrcPrev[j];
            udpTop[i] = udpTop[j]; udpTopCnt[i] = udpTopCnt[j];
            dTag[j] = 0;
            Arrays.fill(active, j * NC, j * NC + NC, null);
            // the open-alert bit moves with the alerts
            if ((openSlots[j >>> 6] & 1L << j) != 0) openSlots[i >>> 6] |= 1L << i; else openSlots[i >>> 6] &= ~(1L << i);
            openSlots[j >>> 6] &= ~(1L << j);
            i = j;
        }
    }

    /** The capture second of the packet at hand (no long division per packet). */
    private final CaptureSecond clock = new CaptureSecond();

    /** Moves a slot's counters on to capture second {@code sec}; callers test its second ({@code SEC_AT}) first (no call per packet). */
    private void roll(int slot, long sec) {
        long old = dKey[4 * slot + SEC_AT];
        if (sec == old) {
            return;
        }
        int o = slot * NC;
        for (int c = 0; c < NC; c++) {
            double last = sec == old + 1 ? cp[2 * (o + c)] : 0;
            if (active[o + c] == null && c < SENT_SYN) {
                base[o + c] = base[o + c] == 0 ? last : 0.8 * base[o + c] + 0.2 * last;
            }
            cp[2 * (o + c) + 1] = last;
            cp[2 * (o + c)] = 0;
        }
        dKey[4 * slot + SEC_AT] = sec;
        int p = slot * 4;
        synPorts[p] = synPorts[p + 1] = synPorts[p + 2] = synPorts[p + 3] = 0;
        httpSrcPrev[slot] = sec == old + 1 ? httpSrc[slot] : 0;
        httpSrc[slot] = 0;
    }

    /** Counts one packet of category {@code c}; the slot was rolled to the packet's second before. */
    private void count(int slot, int c, long ts) {
        int i = slot * NC + c;
        if (cp[2 * i] == 0 && cp[2 * i + 1] == 0 && active[i] == null) {
            runStart[i] = ts;   // the category was quiet for a whole second: a new run starts here
        }
        cp[2 * i] += 1;
        dKey[4 * slot + SEEN] = ts;
    }

    /**
     * The weight of the last second's count in the sliding 1 s window at {@code ts} (the part of
     * it still in the window), made once per packet; {@code clock.of(ts)} was called.
     */
    private double keep(long ts) {
        double frac = (double) (ts - clock.start()) / SEC;
        return 1 - frac;
    }

    /** Sliding 1 s rate: this second's count plus the part of the last second still in the window. */
    private double rate(int slot, int c, double keep) {
        int i = slot * NC + c;
        return cp[2 * i] + cp[2 * i + 1] * keep;
    }

    private void check(int slot, int c, DecodedPacket d, long ts, double keep) {
        int i = slot * NC + c;
        if (active[i] != null) {
            return;
        }
        Thresholds t = dTh[slot];
        double r = rate(slot, c, keep);
        double min = switch (c) {
            case SYN -> t.synPps();
            case ACK -> t.ackPps();
            case RST -> t.rstPps();
            case UDP -> t.udpPps();
            case ICMP -> t.icmpPps();
            case FRAG -> t.fragmentPps();
            case HTTP -> t.httpRps();
            default -> t.amplificationPps();
        };
        if (r < min || r < t.baselineFactor() * base[i]) {
            return;
        }
        boolean attack = switch (c) {
            case SYN -> r >= 0.5 * rate(slot, TCP, keep)                      // mostly SYNs: handshakes are not completed
                    && synPortCount(slot) <= 16;                                 // to few ports (many: a port scan)
            case ACK -> rate(slot, SENT, keep) < 0.1 * r;                      // ACKs for no traffic the target sends
            case RST -> rate(slot, SENT, keep) < 0.5 * r;                      // not answers to what the target itself sends
            case UDP -> rate(slot, SENT_UDP_TOP, keep) < 0.05 * r;             // the target does not answer on that port
            case HTTP -> rate(slot, SENT_HTTP, keep) < 0.5 * r                 // requests go unanswered
                    || LC64[Long.bitCount(httpSrc[slot] | httpSrcPrev[slot])] >= HTTP_SOURCES   // many clients
                    || r >= HTTP_ONE_SOURCE_FACTOR * min;                        // far beyond one client's load
            default -> c >= AMP ? r * 8 * avgBytes(d) >= t.amplificationBps() && rate(slot, SENT, keep) < 0.1 * r : true;
        };
        if (!attack) {
            return;
        }
        boolean amp = c >= AMP;
        int ampPort = amp ? AmpService.PORTS[c - AMP] : 0;
        String kind = amp ? AmpService.kind(ampPort) : FLOOD_KIND[c];
        int port = switch (c) {
            case SYN, ACK, RST, HTTP, UDP -> d.dstPort;
            default -> ampPort;
        };
        String proto = c == UDP || amp ? "UDP" : c == ICMP ? (d.l4 == 58 ? "ICMPV6" : "ICMP") : c == FRAG ? null : "TCP";
        long start = runStart[i];
        Alert a = new Alert(kind, dKey[4 * slot + HI], dKey[4 * slot + LO], port, proto, start, ts);
        counts.raised(kind);
        a.packets = (long) (cp[2 * i] + cp[2 * i + 1]);
        a.bytes = (long) (a.packets * avgBytes(d));
        a.peakPps = r;
        a.peakBps = r * 8 * avgBytes(d);
        if (amp && c - AMP >= AmpService.KINDS) {
            a.detail = "reflection from " + AmpService.name(ampPort) + " (UDP " + ampPort + ")";
        }
        active[i] = a;
        openSlots[slot >>> 6] |= 1L << slot;
        events.alertRaised(kind, a.hi, a.lo, port, false, 0, 0, ts);
    }

    private int synPortCount(int slot) {
        int n = 0;
        for (int k = 0; k < 4; k++) n += Long.bitCount(synPorts[slot * 4 + k]);
        return n;
    }

    private static double avgBytes(DecodedPacket d) {
        return (double) d.wireBytes / Math.max(1, d.frames);
    }

    // ================================================================ sources

    private int source(long hi, long lo, long ts, boolean admit) {
        long h = mix(lo, hi);
        short tag = tag(h);
        int i = (int) (h & (cap - 1));
        for (int n = 0; n < 16; n++) {
            int j = (i + n) & (cap - 1);
            short t = sTag[j];
            if (t == 0) {
                // Slots are never freed, and an address is admitted into the first free slot of its
                // window at the latest: past a free slot there is no entry of this window.
                break;
            }
            if (t == tag && sHi[j] == hi && sLo[j] == lo) {
                if (ts - sStart[j] > SCAN_WINDOW && sActive[j] == null) {
                    resetSource(j, ts);
                }
                sLast[j] = ts;
                return j;
            }
        }
        if (!admit) {
            return -1;
        }
        int victim = -1;
        for (int n = 0; n < 16; n++) {   // a free slot, else one whose window is over, else the one with fewest probes
            int j = (i + n) & (cap - 1);
            if (sTag[j] == 0) { victim = j; break; }
            if (sActive[j] != null) continue;
            if (ts - sLast[j] > SCAN_WINDOW) { victim = j; break; }
            if (victim < 0 || sProbes[j] < sProbes[victim]) victim = j;
        }
        if (victim < 0) {
            return -1;
        }
        sTag[victim] = tag;
        sHi[victim] = hi;
        sLo[victim] = lo;
        resetSource(victim, ts);
        sLast[victim] = ts;
        return victim;
    }

    private void resetSource(int j, long ts) {
        sStart[j] = ts;
        if (sPorts[j] == null) {
            sPorts[j] = new long[16];
            sHosts[j] = new long[16];
            sSmtp[j] = new long[4];
        } else {
            Arrays.fill(sPorts[j], 0);
            Arrays.fill(sHosts[j], 0);
            Arrays.fill(sSmtp[j], 0);
        }
        sPortsN[j] = sHostsN[j] = sSmtpN[j] = 0;
        sTopHi[j] = sTopLo[j] = 0;
        sTopCnt[j] = sTopPort[j] = sTopPortCnt[j] = sProbes[j] = sAccepted[j] = sAuth[j] = sRcpt[j] = sRegister[j] = 0;
    }

    /** {@code hDst}, {@code hSrc}: {@code mix} of the packet's destination and source address. */
    private void probe(int s, DecodedPacket d, long ts, long hDst, long hSrc) {
        sProbes[s]++;
        int port = d.dstPort;
        if (sTopHi[s] == d.dstHi && sTopLo[s] == d.dstLo) sTopCnt[s]++; else if (--sTopCnt[s] <= 0) { sTopHi[s] = d.dstHi; sTopLo[s] = d.dstLo; sTopCnt[s] = 1; }
        if (sTopPort[s] == port) sTopPortCnt[s]++; else if (--sTopPortCnt[s] <= 0) { sTopPort[s] = port; sTopPortCnt[s] = 1; }
        sPortsN[s] += setNewBit(sPorts[s], (int) (mix(port, 0x9e37L) & 1023));
        sHostsN[s] += setNewBit(sHosts[s], (int) (hDst & 1023));
        if (port == 25) {
            sSmtpN[s] += setNewBit(sSmtp[s], (int) (hDst & 255));
        }
        if ((port == 22 || port == 3389 || port == 21) && d.dstHi == sTopHi[s] && d.dstLo == sTopLo[s]) {
            sAuth[s]++;
        }
        scanCheck(s, d, ts, hSrc);
        abuse(s, d, ts, hSrc);
    }

    // The details of scan and abuse alerts change with every probe: the counts are kept in the
    // alert and the text made once, when the alert is released (Alert.record), not per probe.
    private void scanCheck(int s, DecodedPacket d, long ts, long hSrc) {
        Thresholds t = thresholdsFor(sTopHi[s], sTopLo[s]);
        double ports = LC1024[sPortsN[s]], hosts = LC1024[sHostsN[s]];
        boolean failing = sAccepted[s] < 0.5 * sProbes[s];
        if (failing && ports >= t.scanPorts() && hosts < ports / 10) {
            open(s, 0, "port_scan", sTopHi[s], sTopLo[s], 0, ts, d).counts(Alert.PORT_SCAN, Math.round(ports), 0);
        } else if (failing && hosts >= t.scanHosts() && ports < 10 && sTopPort[s] != 25) {
            long lo = sTopLo[s];
            if (sTopHi[s] == 0 && (lo >>> 32) == 0xffffL) {
                lo &= ~0xffL;   // IPv4: name the /24
            }
            open(s, 1, "host_scan", sTopHi[s], lo, sTopPort[s], ts, d).counts(Alert.HOST_SCAN, Math.round(hosts), sTopPort[s]);
        }
        touch(s, d, hSrc);
    }

    private void abuse(int s, DecodedPacket d, long ts, long hSrc) {
        Thresholds t = thresholdsFor(d.dstHi, d.dstLo);
        double servers = LC256[sSmtpN[s]];
        if (servers >= t.spamServers() || sRcpt[s] >= t.spamRcpts()) {
            open(s, 2, "spam_run", d.dstHi, d.dstLo, 25, ts, d).counts(Alert.SPAM_RUN, Math.round(servers), sRcpt[s]);
        }
        if ((sAuth[s] >= t.bruteForceAttempts() && LC1024[sHostsN[s]] < 5) || sRegister[s] >= t.sipRegisters()) {
            int port = sRegister[s] >= t.sipRegisters() ? 5060 : d.dstPort;
            open(s, 3, "brute_force", sTopHi[s], sTopLo[s], port, ts, d)
                    .counts(port == 5060 ? Alert.SIP_REGISTER : Alert.BRUTE_FORCE, 0, port == 5060 ? sRegister[s] : sAuth[s]);
        }
        touch(s, d, hSrc);
    }

    private Alert open(int s, int k, String kind, long hi, long lo, int port, long ts, DecodedPacket d) {
        if (sActive[s] == null) {
            sActive[s] = new Alert[4];
            sActiveCount++;
        }
        Alert a = sActive[s][k];
        if (a == null) {
            a = new Alert(kind, hi, lo, port, k == 3 && port == 5060 ? "UDP" : "TCP", sStart[s], ts);
            counts.raised(kind);
            a.packets = sProbes[s] - 1;
            a.sources.add(d.srcHi, d.srcLo);
            sActive[s][k] = a;
            events.alertRaised(kind, hi, lo, port, true, sHi[s], sLo[s], ts);
        }
        return a;
    }

    private void touch(int s, DecodedPacket d, long hSrc) {
        Alert[] as = sActive[s];
        if (as != null) {
            for (Alert a : as) {
                if (a != null) a.add(d, d.timestampNanos, d.wireBytes, hSrc);
            }
        }
    }

    // ================================================================ ending alerts

    private void sweep(long ts) {
        lastSweep = ts;
        NetworkThresholds[] now = rules.array();   // one volatile read per second
        if (now != networkArray) {
            networkArray = now;
            for (int i = 0; i < dcap; i++) {
                if (dTag[i] != 0) {
                    dTh[i] = thresholdsFor(dKey[4 * i + HI], dKey[4 * i + LO]);
                }
            }
        }
        for (int w = 0; w < openSlots.length; w++) {
            for (long bits = openSlots[w]; bits != 0; bits &= bits - 1) {
                int slot = (w << 6) + Long.numberOfTrailingZeros(bits);
                boolean any = false;
                for (int i = slot * NC; i < slot * NC + NC; i++) {
                    Alert a = active[i];
                    if (a != null && (ts - a.last > QUIET || ts < a.start)) {
                        done.add(a);
                        counts.ended(a.kind);
                        active[i] = null;
                    }
                    any |= active[i] != null;
                }
                if (!any) {
                    openSlots[w] &= ~(1L << slot);
                }
            }
        }
        for (int s = 0; s < cap && sActiveCount > 0; s++) {
            Alert[] as = sActive[s];
            if (as == null) continue;
            boolean any = false;
            for (int k = 0; k < as.length; k++) {
                if (as[k] != null && (ts - as[k].last > SCAN_WINDOW || ts < as[k].start)) {
                    done.add(as[k]);
                    counts.ended(as[k].kind);
                    as[k] = null;
                }
                any |= as[k] != null;
            }
            if (!any) {
                sActive[s] = null;
                sActiveCount--;
            }
        }
        releaseEnded();
    }

    /**
     * Releases the alerts that ended at this sweep, oldest first, so a live run's outputs (files,
     * store, dashboard, Kafka) see an attack once it is over, not only when the run stops.
     */
    private void releaseEnded() {
        if (done.isEmpty()) {
            return;
        }
        done.sort((a, b) -> Long.compare(a.start, b.start));
        for (Alert a : done) {
            guard.emitAlert(a.record());
        }
        done.clear();
    }

    @Override
    public void finish(PrivacyGuard g) {
        for (int i = 0; i < active.length; i++) {
            if (active[i] != null) { done.add(active[i]); counts.ended(active[i].kind); active[i] = null; }
        }
        Arrays.fill(openSlots, 0);
        for (int s = 0; s < cap; s++) {
            if (sActive[s] != null) {
                for (Alert a : sActive[s]) if (a != null) { done.add(a); counts.ended(a.kind); }
                sActive[s] = null;
            }
        }
        sActiveCount = 0;
        done.sort((a, b) -> Long.compare(a.start, b.start));
        for (Alert a : done) {
            g.emitAlert(a.record());
        }
        done.clear();
    }

    // ================================================================ helpers

    private Thresholds thresholdsFor(long hi, long lo) {
        for (NetworkThresholds n : networkArray) {   // an array: no iterator per check
            if (n.network().contains(hi, lo)) return n.thresholds();
        }
        return Thresholds.DEFAULTS;
    }

    private static boolean isHttpRequest(DecodedPacket d) {
        int p = d.dstPort;
        if (p != 80 && p != 8080 && p != 8000) return false;
        byte[] b = d.buf;
        int o = d.payloadOffset;
        return (b[o] == 'G' && b[o + 1] == 'E' && b[o + 2] == 'T' && b[o + 3] == ' ')
                || (b[o] == 'P' && b[o + 1] == 'O' && b[o + 2] == 'S' && b[o + 3] == 'T')
                || (b[o] == 'H' && b[o + 1] == 'E' && b[o + 2] == 'A' && b[o + 3] == 'D');
    }

    /** A TCP segment from a web port that starts an HTTP response ("HTTP/"). */
    private static boolean isHttpResponse(DecodedPacket d) {
        int p = d.srcPort;
        if (p != 80 && p != 8080 && p != 8000) return false;
        byte[] b = d.buf;
        int o = d.payloadOffset;
        return b[o] == 'H' && b[o + 1] == 'T' && b[o + 2] == 'T' && b[o + 3] == 'P' && b[o + 4] == '/';
    }

    private static boolean startsWith(DecodedPacket d, String s) {
        byte[] b = d.buf;
        int o = d.payloadOffset;
        for (int i = 0; i < s.length(); i++) {
            if (Character.toUpperCase(b[o + i]) != s.charAt(i)) return false;
        }
        return true;
    }

    private static boolean isMulticast(long hi, long lo) {
        if (hi == 0 && (lo >>> 32) == 0xffffL) {
            int v4 = (int) lo;
            return (v4 >>> 28) == 0xe || v4 == -1;
        }
        return (hi >>> 56) == 0xff;
    }

    static void setBit(long[] bits, int i) {
        bits[i >>> 6] |= 1L << i;
    }

    /** 1 if bit {@code i} was clear (and is now set), else 0. */
    static int setNewBit(long[] bits, int i) {
        long w = bits[i >>> 6];
        long b = 1L << i;
        bits[i >>> 6] = w | b;
        return (w & b) == 0 ? 1 : 0;
    }

    /** Linear-counting estimates by number of bits set, for bitmaps of 1,024 and 256 bits. */
    private static final double[] LC1024 = linearCounting(1024), LC256 = linearCounting(256), LC64 = linearCounting(64);

    private static double[] linearCounting(int m) {
        double[] t = new double[m + 1];
        for (int set = 0; set <= m; set++) {
            t[set] = linearCount(set, m);
        }
        return t;
    }

    private static double linearCount(int set, int m) {
        int zero = m - set;
        return zero == 0 ? m * Math.log(m) : m * Math.log((double) m / zero);
    }

    /** Linear counting: distinct items hashed into a bitmap of m bits. */
    static double distinct(long[] bits, int m) {
        int set = 0;
        for (long w : bits) set += Long.bitCount(w);
        return linearCount(set, m);
    }

    static long mix(long hi, long lo) {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
