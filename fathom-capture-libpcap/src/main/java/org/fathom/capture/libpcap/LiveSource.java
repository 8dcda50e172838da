package org.fathom.capture.libpcap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fathom.capture.CaptureWarning;
import org.fathom.capture.LinkType;
import org.fathom.capture.Packet;
import org.fathom.capture.PacketSource;

/**
 * Frames from one or more network interfaces through libpcap ({@link Pcap}, bound with the FFM API).
 *
 * <p>One thread, no queue of its own: every interface is opened non-blocking, {@link #read} takes
 * the next frame from the interfaces in turn ({@code pcap_next_ex}) and, when none has one, waits
 * in {@code poll(2)} on their descriptors for at most the poll interval, then says
 * {@link #IDLE} with the wall clock as the packet's time. Frames wait in the kernel's capture
 * buffer ({@code --buffer-size}), a fixed amount of memory: when the engine cannot keep up (its
 * rings are full and the dispatcher waits) that buffer fills and the kernel drops at the capture
 * edge, counted in {@code pcap_stats} and reported by {@link #stats}. Nothing here grows.
 *
 * <p>The frame is copied straight from libpcap's buffer (valid until the next {@code pcap_next_ex})
 * into the reused {@link Packet}, or only its prefix, with {@link #copyFrame} copying the whole
 * frame once into a worker's ring: no allocation per packet.
 *
 * <p>{@link #stop} may be called from any thread (a shutdown hook): the next {@link #read}, at the
 * latest one poll interval later, says {@link #END}.
 */
public final class LiveSource implements PacketSource {
    /** Capture settings shared by every interface of the source. */
    public record Settings(int snaplen, boolean promiscuous, int bufferBytes, String filter, int pollMillis) {
        public static final int DEFAULT_SNAPLEN = Packet.MAX_FRAME;
        public static final int DEFAULT_BUFFER = 32 << 20;
        public static final int DEFAULT_POLL_MILLIS = 100;

        public static Settings defaults() {
            return new Settings(DEFAULT_SNAPLEN, true, DEFAULT_BUFFER, null, DEFAULT_POLL_MILLIS);
        }

        public Settings withFilter(String f) {
            return new Settings(snaplen, promiscuous, bufferBytes, f, pollMillis);
        }
    }

    /** Counters of one interface: frames read, and libpcap's statistics (since the interface opened). */
    public record InterfaceStats(String name, long captured, long received, long dropped, long ifDropped) {}

    /** Told, from the reading thread, when an interface's drops grew since the last report. */
    @FunctionalInterface
    public interface DropListener {
        /**
         * @param kernel  frames the kernel dropped (buffer full) since the last report
         * @param ifDrops frames the interface dropped since the last report
         * @param nanos   time since the last report (or since capture started)
         */
        void dropped(String iface, long kernel, long ifDrops, long nanos);
    }

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private final Arena arena = Arena.ofShared();
    private final String[] names;
    private final MemorySegment[] handles;
    private final int[] linkTypes;
    private final boolean[] nanos;
    private final boolean[] open;
    private final long[] captured;
    /** libpcap's u_int counters wrap; kept as totals here: last raw value and accumulated total. */
    private final long[][] lastRaw;
    private final long[][] totals;
    private final MemorySegment pollfds;
    private final MemorySegment hdrOut;
    private final MemorySegment dataOut;
    private final MemorySegment statBuf;
    private final int pollMillis;
    private final List<CaptureWarning> warnings = new ArrayList<>();
    private volatile boolean stopRequested;
    private boolean closed;
    private int next;
    private int openCount;
    private int prefix = Integer.MAX_VALUE;
    // the frame last read: where libpcap holds it, until the next pcap_next_ex
    private long frameAddress;
    private long frames;
    private DropListener dropListener;
    private long dropInterval;
    private long nextDropCheck;
    private long lastDropReport;
    private final long[][] reported;

    private LiveSource(List<String> interfaces, int pollMillis) {
        int n = interfaces.size();
        this.names = interfaces.toArray(new String[0]);
        this.handles = new MemorySegment[n];
        this.linkTypes = new int[n];
        this.nanos = new boolean[n];
        this.open = new boolean[n];
        this.captured = new long[n];
        this.lastRaw = new long[n][3];
        this.totals = new long[n][3];
        this.reported = new long[n][3];
        this.pollfds = arena.allocate(8L * n, 8);
        this.hdrOut = arena.allocate(ValueLayout.ADDRESS);
        this.dataOut = arena.allocate(ValueLayout.ADDRESS);
        this.statBuf = arena.allocate(Pcap.STAT_SIZE, 8);
        this.pollMillis = pollMillis;
    }

    /** Whether libpcap can be used here; null when it can, else the one-line reason. */
    public static String unavailableReason() {
        return Pcap.missing;
    }

    /**
     * Opens and activates every interface, with the filter when one is given.
     *
     * @throws LiveCaptureException with a one-line message: libpcap missing, no such interface,
     *                              not permitted, bad filter
     */
    public static LiveSource open(List<String> interfaces, Settings s) throws LiveCaptureException {
        if (Pcap.missing != null) {
            throw new LiveCaptureException(LiveCaptureException.Kind.LIBRARY_MISSING, Pcap.missing);
        }
        if (interfaces.isEmpty()) {
            throw new LiveCaptureException(LiveCaptureException.Kind.BAD_SETTING, "no interface given");
        }
        if (s.snaplen() < 64 || s.snaplen() > Packet.MAX_FRAME) {
            throw new LiveCaptureException(LiveCaptureException.Kind.BAD_SETTING,
                    "--snaplen must be between 64 and " + Packet.MAX_FRAME + ", not " + s.snaplen());
        }
        if (s.bufferBytes() < (1 << 16)) {
            throw new LiveCaptureException(LiveCaptureException.Kind.BAD_SETTING,
                    "--buffer-size must be at least 65536 bytes, not " + s.bufferBytes());
        }
        LiveSource src = new LiveSource(interfaces, Math.max(1, s.pollMillis()));
        try {
            for (int i = 0; i < interfaces.size(); i++) {
                src.openOne(i, s);
            }
        } catch (LiveCaptureException | RuntimeException e) {
            src.close();
            throw e;
        }
        return src;
    }

    private void openOne(int i, Settings s) throws LiveCaptureException {
        String name = names[i];
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errbuf = tmp.allocate(Pcap.ERRBUF_SIZE);
            MemorySegment h = (MemorySegment) Pcap.create.invokeExact(tmp.allocateFrom(name), errbuf);
            if (h.address() == 0) {
                throw new LiveCaptureException(LiveCaptureException.Kind.OTHER, name + ": " + errbuf.getString(0));
            }
            handles[i] = h;
            int r = (int) Pcap.setSnaplen.invokeExact(h, s.snaplen());
            r |= (int) Pcap.setPromisc.invokeExact(h, s.promiscuous() ? 1 : 0);
            r |= (int) Pcap.setTimeout.invokeExact(h, Math.max(1, s.pollMillis()));
            r |= (int) Pcap.setBufferSize.invokeExact(h, s.bufferBytes());
            if (r != 0) {
                throw new LiveCaptureException(LiveCaptureException.Kind.OTHER, name + ": cannot set capture options");
            }
            nanos[i] = (int) Pcap.setTstampPrecision.invokeExact(h, Pcap.TSTAMP_PRECISION_NANO) == 0;
            int status = (int) Pcap.activate.invokeExact(h);
            if (status < 0) {
                throw activationError(name, h, status);
            }
            linkTypes[i] = (int) Pcap.datalink.invokeExact(h);
            if (s.filter() != null && !s.filter().isBlank()) {
                MemorySegment prog = tmp.allocate(Pcap.BPF_PROGRAM_SIZE, 8);
                if ((int) Pcap.compile.invokeExact(h, prog, tmp.allocateFrom(s.filter()), 1, Pcap.NETMASK_UNKNOWN) != 0) {
                    throw new LiveCaptureException(LiveCaptureException.Kind.BAD_FILTER,
                            "bad --filter '" + s.filter() + "': " + Pcap.geterr(h));
                }
                int set = (int) Pcap.setfilter.invokeExact(h, prog);
                Pcap.freecode.invokeExact(prog);
                if (set != 0) {
                    throw new LiveCaptureException(LiveCaptureException.Kind.BAD_FILTER,
                            "--filter '" + s.filter() + "' cannot be set on " + name + ": " + Pcap.geterr(h));
                }
            }
            if ((int) Pcap.setnonblock.invokeExact(h, 1, errbuf) != 0) {
                throw new LiveCaptureException(LiveCaptureException.Kind.OTHER, name + ": " + errbuf.getString(0));
            }
            int fd = (int) Pcap.selectableFd.invokeExact(h);
            if (fd < 0) {
                throw new LiveCaptureException(LiveCaptureException.Kind.OTHER, name + ": no selectable descriptor");
            }
            pollfds.set(ValueLayout.JAVA_INT, 8L * i, fd);
            pollfds.set(ValueLayout.JAVA_SHORT, 8L * i + 4, Pcap.POLLIN);
            open[i] = true;
            openCount++;
        } catch (LiveCaptureException e) {
            throw e;
        } catch (Throwable t) {
            throw new LiveCaptureException(LiveCaptureException.Kind.OTHER, name + ": " + t);
        }
    }

    private static LiveCaptureException activationError(String name, MemorySegment h, int status) {
        String detail = Pcap.geterr(h);
        return switch (status) {
            case Pcap.ERROR_NO_SUCH_DEVICE -> new LiveCaptureException(LiveCaptureException.Kind.NO_SUCH_INTERFACE,
                    name + ": no such interface");
            case Pcap.ERROR_PERM_DENIED, Pcap.ERROR_PROMISC_PERM_DENIED -> new LiveCaptureException(
                    LiveCaptureException.Kind.NOT_PERMITTED, name + ": capture not permitted (run as root, or give java "
                    + "the capabilities: setcap cap_net_raw,cap_net_admin+eip on the java binary)");
            case Pcap.ERROR_IFACE_NOT_UP -> new LiveCaptureException(LiveCaptureException.Kind.OTHER,
                    name + ": interface is not up");
            default -> new LiveCaptureException(LiveCaptureException.Kind.OTHER, name + ": "
                    + (detail.isEmpty() ? Pcap.statusText(status) : detail));
        };
    }

    /**
     * Reports growing drops to {@code listener} while capture runs: {@link #read} looks at
     * libpcap's counters at most once per {@code intervalNanos} (one system call per interface),
     * and calls the listener for each interface whose drops grew since its last report.
     */
    public void onDrops(DropListener listener, long intervalNanos) {
        this.dropListener = listener;
        this.dropInterval = Math.max(0, intervalNanos);
        this.lastDropReport = System.nanoTime();
        this.nextDropCheck = lastDropReport + dropInterval;
    }

    private void checkDrops() {
        long now = System.nanoTime();
        if (now < nextDropCheck) {
            return;
        }
        nextDropCheck = now + dropInterval;
        synchronized (this) {
            for (int i = 0; i < names.length; i++) {
                refresh(i);
                long kernel = totals[i][1] - reported[i][1];
                long iface = totals[i][2] - reported[i][2];
                if (kernel > 0 || iface > 0) {
                    reported[i][1] = totals[i][1];
                    reported[i][2] = totals[i][2];
                    dropListener.dropped(names[i], kernel, iface, now - lastDropReport);
                    lastDropReport = now;
                }
            }
        }
    }

    /** Makes {@link #read} say {@link #END} (from any thread; at the latest one poll interval later). */
    public void stop() {
        stopRequested = true;
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    /** Frames read so far, all interfaces. */
    public long frames() {
        return frames;
    }

    /** The interfaces, as given. */
    public List<String> interfaces() {
        return List.of(names);
    }

    @Override
    public int read(Packet packet) {
        int n = names.length;
        while (true) {
            if (stopRequested || openCount == 0) {
                return END;
            }
            for (int k = 0; k < n; k++) {
                int i = next + k;
                if (i >= n) {
                    i -= n;
                }
                if (!open[i]) {
                    continue;
                }
                int r;
                try {
                    r = (int) Pcap.nextEx.invokeExact(handles[i], hdrOut, dataOut);
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
                if (r == 1) {
                    next = i + 1 == n ? 0 : i + 1;
                    fill(i, packet);
                    if (dropListener != null && (frames & 4095) == 0) {
                        checkDrops();
                    }
                    return PACKET;
                }
                if (r < 0) {
                    // the interface went away or failed: keep the others going
                    warnings.add(new CaptureWarning(Path.of(names[i]), 0, "capture stopped: "
                            + (r == Pcap.ERROR_BREAK ? "interrupted" : Pcap.geterr(handles[i]))));
                    open[i] = false;
                    pollfds.set(ValueLayout.JAVA_INT, 8L * i, -1);
                    openCount--;
                }
            }
            if (openCount == 0) {
                return END;
            }
            int ready;
            try {
                ready = (int) Pcap.poll.invokeExact(pollfds, (long) n, pollMillis);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            if (ready == 0) {
                if (dropListener != null) {
                    checkDrops();
                }
                packet.timestampNanos = wallClockNanos();
                packet.length = 0;
                packet.frameLength = 0;
                packet.wireLength = 0;
                return IDLE;
            }
            // ready > 0: a frame (or an error) waits; ready < 0 (EINTR): look again
        }
    }

    private void fill(int i, Packet p) {
        long hdr = hdrOut.get(ValueLayout.JAVA_LONG, 0);
        long sec = ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, hdr + Pcap.HDR_SEC);
        long frac = ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, hdr + Pcap.HDR_FRAC);
        int caplen = Math.min(ALL.get(ValueLayout.JAVA_INT_UNALIGNED, hdr + Pcap.HDR_CAPLEN), Packet.MAX_FRAME);
        int len = ALL.get(ValueLayout.JAVA_INT_UNALIGNED, hdr + Pcap.HDR_LEN);
        frameAddress = dataOut.get(ValueLayout.JAVA_LONG, 0);
        int copy = Math.min(caplen, prefix);
        MemorySegment.copy(ALL, ValueLayout.JAVA_BYTE, frameAddress, p.own(), 0, copy);
        p.length = copy;
        p.frameLength = caplen;
        p.wireLength = len;
        p.timestampNanos = sec * 1_000_000_000L + (nanos[i] ? frac : frac * 1_000L);
        p.linkType = linkTypes[i];
        p.fileOffset = frames;
        captured[i]++;
        frames++;
    }

    private static long wallClockNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public void copyPrefixOnly(int bytesPerFrame) {
        prefix = Math.max(1, bytesPerFrame);
    }

    @Override
    public void complete(Packet p) {
        if (p.length < p.frameLength) {
            MemorySegment.copy(ALL, ValueLayout.JAVA_BYTE, frameAddress + p.length, p.data, p.length,
                    p.frameLength - p.length);
            p.length = p.frameLength;
        }
    }

    @Override
    public void copyFrame(Packet read, byte[] dst, int at) {
        MemorySegment.copy(ALL, ValueLayout.JAVA_BYTE, frameAddress, dst, at, read.frameLength);
    }

    @Override
    public String name() {
        return String.join(",", names);
    }

    @Override
    public String format() {
        StringBuilder sb = new StringBuilder("live (");
        for (int i = 0; i < names.length; i++) {
            String t = LinkType.name(linkTypes[i]);
            if (sb.indexOf(t) < 0) {
                sb.append(i == 0 ? "" : ", ").append(t);
            }
        }
        return sb.append(')').toString();
    }

    @Override
    public long position() {
        return 0;
    }

    @Override
    public long size() {
        return 0;
    }

    @Override
    public List<CaptureWarning> warnings() {
        return warnings;
    }

    /**
     * Per interface: frames read and libpcap's counters (received, dropped by the kernel for want of
     * buffer space, dropped by the interface). Call from the reading thread or after it stopped.
     */
    public synchronized List<InterfaceStats> stats() {
        List<InterfaceStats> out = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            refresh(i);
            out.add(new InterfaceStats(names[i], captured[i], totals[i][0], totals[i][1], totals[i][2]));
        }
        return out;
    }

    /**
     * Per interface: the counters as the reading thread last read them (every interval given to
     * {@link #onDrops}, and at close), without calling libpcap: safe from any thread while capture
     * runs (metrics). {@code captured} is current; the libpcap counters are at most one interval old.
     */
    public synchronized List<InterfaceStats> lastStats() {
        List<InterfaceStats> out = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            out.add(new InterfaceStats(names[i], captured[i], totals[i][0], totals[i][1], totals[i][2]));
        }
        return out;
    }

    private void refresh(int i) {
        if (handles[i] == null || handles[i].address() == 0 || closed) {
            return;
        }
        try {
            if ((int) Pcap.stats.invokeExact(handles[i], statBuf) != 0) {
                return;
            }
        } catch (Throwable t) {
            return;
        }
        for (int k = 0; k < 3; k++) {
            long raw = Integer.toUnsignedLong(statBuf.get(ValueLayout.JAVA_INT, 4L * k));
            totals[i][k] += (raw - lastRaw[i][k]) & 0xFFFF_FFFFL;   // u_int counters wrap
            lastRaw[i][k] = raw;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        for (int i = 0; i < handles.length; i++) {
            refresh(i);
        }
        closed = true;
        for (MemorySegment h : handles) {
            if (h != null && h.address() != 0) {
                try {
                    Pcap.close.invokeExact(h);
                } catch (Throwable t) {
                    // closing is best effort
                }
            }
        }
        arena.close();
    }
}
