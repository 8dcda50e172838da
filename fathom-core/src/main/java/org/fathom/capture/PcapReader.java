package org.fathom.capture;

import java.nio.file.Path;

/**
 * Classic libpcap files: microsecond ({@code a1b2c3d4}) and nanosecond ({@code a1b23c4d}) magic in
 * either byte order, and Alexey Kuznetzov's patched format ({@code a1b2cd34}, 8 more bytes per
 * record header). A record with an absurd length is reported and the reader scans forward for the
 * next plausible record header, so one damaged record does not lose the rest of the file.
 */
final class PcapReader extends MappedCapture {
    static final int MAGIC_USEC = 0xa1b2c3d4;
    static final int MAGIC_NSEC = 0xa1b23c4d;
    static final int MAGIC_KUZNETZOV = 0xa1b2cd34;
    private static final int FILE_HEADER = 24;
    /** How far to scan for the next record after damage before giving up. */
    private static final long RESYNC_WINDOW = 1 << 20;

    private final boolean nanos;
    private final int recordHeader;
    private final int linkType;
    private final int fcsBytes;
    private final int maxRecord;
    private long lastSeconds = Long.MIN_VALUE;
    private final String format;

    PcapReader(Path file, CaptureBytes bytes) throws CaptureException {
        super(file, bytes);
        if (size < FILE_HEADER) {
            throw new CaptureException(file + ": pcap file header cut short (" + size + " of 24 bytes)");
        }
        int magic = bytes.intLE(0);
        if (magic != MAGIC_USEC && magic != MAGIC_NSEC && magic != MAGIC_KUZNETZOV) {
            bigEndian = true;
            magic = Integer.reverseBytes(magic);
        }
        nanos = magic == MAGIC_NSEC;
        recordHeader = magic == MAGIC_KUZNETZOV ? 24 : 16;
        int snaplen = u32(16);
        int network = u32(20);
        linkType = network & 0x03FF_FFFF;
        // bit 26 says the frames carry an FCS of the length (in 16-bit words) in bits 28..31
        fcsBytes = (network & 0x0400_0000) != 0 ? ((network >>> 28) & 0xF) * 2 : 0;
        maxRecord = Math.max(Packet.MAX_FRAME, snaplen > 0 ? snaplen : 0);
        format = "pcap (" + (nanos ? "nanoseconds" : "microseconds") + ", "
                + (bigEndian ? "big-endian" : "little-endian") + ", " + LinkType.name(linkType) + ")";
        pos = FILE_HEADER;
    }

    @Override
    public String format() {
        return format;
    }

    @Override
    public boolean next(Packet packet) {
        while (true) {
            if (pos >= size) {
                return false;
            }
            long at = pos;
            if (size - at < recordHeader) {
                warn(at, "truncated record header (" + (size - at) + " of " + recordHeader + " bytes) at end of file");
                pos = size;
                return false;
            }
            // one copy of the record header, then plain array reads: cheaper than four reads
            // through the file's bytes, each with its own bounds checks
            byte[] h = header;
            bytes.copy(at, h, 16);
            long sec = headerInt(h, 0) & 0xFFFF_FFFFL;
            long frac = headerInt(h, 4) & 0xFFFF_FFFFL;
            int capLen = headerInt(h, 8);
            int wireLen = headerInt(h, 12);
            if (capLen < 0 || capLen > maxRecord) {
                warn(at, "record length " + Integer.toUnsignedString(capLen) + " is absurd (limit " + maxRecord + ")");
                if (!resync(at + 1)) {
                    return false;
                }
                continue;
            }
            long data = at + recordHeader;
            if (size - data < capLen) {
                // the end of a cut file, or a damaged length in the middle: a good record further
                // on tells them apart
                long next = findRecord(at + 1);
                if (next < 0) {
                    warn(at, "truncated record: " + capLen + " bytes announced, " + (size - data) + " present at end of file");
                    pos = size;
                    return false;
                }
                warn(at, "record length " + capLen + " runs past the end of the file (" + (size - data) + " bytes left)");
                resyncAt(at + 1, next);
                continue;
            }
            pos = data + capLen;
            lastSeconds = sec;
            int frameLen = capLen;
            if (fcsBytes > 0 && frameLen >= fcsBytes) {
                frameLen -= fcsBytes;
            }
            long ts = sec * 1_000_000_000L + (nanos ? frac : frac * 1_000L);
            copyFrame(packet, data, frameLen, wireLen, ts, linkType, at);
            return true;
        }
    }

    private final byte[] header = new byte[16];

    private int headerInt(byte[] h, int i) {
        int v = (h[i] & 0xFF) | (h[i + 1] & 0xFF) << 8 | (h[i + 2] & 0xFF) << 16 | (h[i + 3] & 0xFF) << 24;
        return bigEndian ? Integer.reverseBytes(v) : v;
    }

    /** Continues at the next plausible record after damage at {@code from - 1}, if any. */
    private boolean resync(long from) {
        long next = findRecord(from);
        if (next < 0) {
            warn(from - 1, "no plausible record found after damage; rest of file (" + (size - from + 1) + " bytes) skipped");
            pos = size;
            return false;
        }
        resyncAt(from, next);
        return true;
    }

    private void resyncAt(long from, long next) {
        warn(next, "resynchronised after skipping " + (next - from + 1) + " damaged bytes");
        pos = next;
    }

    /**
     * The next offset from {@code from} on (within the resync window) where a plausible record
     * header starts: sane lengths, a timestamp within a day of the last good one, and either the
     * end of file or another plausible header right after it; -1 if there is none.
     */
    private long findRecord(long from) {
        long limit = Math.min(size - recordHeader, from + RESYNC_WINDOW);
        for (long at = from; at <= limit; at++) {
            if (plausible(at)) {
                long next = at + recordHeader + u32(at + 8);
                if (next == size || (next + recordHeader <= size && plausible(next))) {
                    return at;
                }
            }
        }
        return -1;
    }

    private boolean plausible(long at) {
        if (at + recordHeader > size) {
            return false;
        }
        long sec = u32L(at);
        long frac = u32L(at + 4);
        int capLen = u32(at + 8);
        int wireLen = u32(at + 12);
        if (capLen <= 0 || capLen > maxRecord || wireLen < capLen || wireLen > 0x0400_0000) {
            return false;
        }
        if (frac >= (nanos ? 1_000_000_000L : 1_000_000L)) {
            return false;
        }
        if (lastSeconds != Long.MIN_VALUE && Math.abs(sec - lastSeconds) > 86_400) {
            return false;
        }
        return at + recordHeader + capLen <= size;
    }
}
