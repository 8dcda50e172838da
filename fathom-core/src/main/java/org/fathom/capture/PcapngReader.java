package org.fathom.capture;

import java.nio.file.Path;

/**
 * pcapng files: section header blocks (each may switch byte order and resets the interfaces),
 * interface description blocks (link type, {@code if_tsresol}, {@code if_tsoffset}), enhanced,
 * simple and obsolete packet blocks. Other block types are skipped. A damaged block is reported
 * and the reader scans forward for the next well-formed block.
 */
final class PcapngReader extends MappedCapture {
    static final int SHB = 0x0A0D0D0A;
    private static final int IDB = 1;
    private static final int OPB = 2;
    private static final int SPB = 3;
    private static final int EPB = 6;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int MAX_INTERFACES = 4096;
    private static final long RESYNC_WINDOW = 1 << 20;
    private static final long MAX_BLOCK = 64L << 20;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    // per interface of the current section
    private int interfaces;
    private final int[] ifLinkType = new int[MAX_INTERFACES];
    private final int[] ifSnapLen = new int[MAX_INTERFACES];
    /** Timestamp units per second, and the offset in seconds, per interface. */
    private final long[] ifUnitsPerSecond = new long[MAX_INTERFACES];
    private final long[] ifOffsetSeconds = new long[MAX_INTERFACES];
    private boolean sectionSeen;
    private int sections;

    PcapngReader(Path file, CaptureBytes bytes) throws CaptureException {
        super(file, bytes);
        if (size < 28) {
            throw new CaptureException(file + ": pcapng section header cut short (" + size + " bytes)");
        }
        pos = 0;
    }

    @Override
    public String format() {
        return "pcapng (" + sections + (sections == 1 ? " section, " : " sections, ") + interfaces + " interfaces)";
    }

    @Override
    public boolean next(Packet packet) {
        while (pos < size) {
            long at = pos;
            if (size - at < 12) {
                warn(at, "truncated block (" + (size - at) + " bytes) at end of file");
                pos = size;
                return false;
            }
            int type = bytes.intLE(at);
            if (type == SHB) {
                if (!readSectionHeader(at)) {
                    if (!resync(at + 4)) {
                        return false;
                    }
                }
                continue;
            }
            long len = u32L(at + 4);
            type = u32(at);
            if (len < 12 || (len & 3) != 0 || len > MAX_BLOCK) {
                warn(at, "block of type " + Integer.toUnsignedString(type) + " has invalid length " + len);
                if (!resync(at + 4)) {
                    return false;
                }
                continue;
            }
            if (at + len > size) {
                // the end of a cut file, or a damaged length in the middle: a well-formed block
                // further on tells them apart
                long next = findBlock(at + 4);
                if (next < 0) {
                    warn(at, "truncated block: " + len + " bytes announced, " + (size - at) + " present at end of file");
                    pos = size;
                    return false;
                }
                warn(at, "block length " + len + " runs past the end of the file (" + (size - at) + " bytes left)");
                resyncAt(at + 4, next);
                continue;
            }
            if (u32L(at + len - 4) != len) {
                warn(at, "block trailer length does not match header length " + len);
                if (!resync(at + 4)) {
                    return false;
                }
                continue;
            }
            pos = at + len;
            if (!sectionSeen) {
                warn(at, "block before any section header; skipped");
                continue;
            }
            switch (type) {
                case IDB -> readInterface(at, len);
                case EPB -> {
                    if (readEnhanced(packet, at, len)) {
                        return true;
                    }
                }
                case SPB -> {
                    if (readSimple(packet, at, len)) {
                        return true;
                    }
                }
                case OPB -> {
                    if (readObsolete(packet, at, len)) {
                        return true;
                    }
                }
                default -> { /* statistics, name resolution, custom, ...: not needed */ }
            }
        }
        return false;
    }

    private boolean readSectionHeader(long at) {
        int magic = bytes.intLE(at + 8);
        if (magic == BYTE_ORDER_MAGIC) {
            bigEndian = false;
        } else if (Integer.reverseBytes(magic) == BYTE_ORDER_MAGIC) {
            bigEndian = true;
        } else {
            warn(at, "section header with unknown byte-order magic");
            return false;
        }
        long len = u32L(at + 4);
        if (len < 28 || (len & 3) != 0 || len > MAX_BLOCK || at + len > size) {
            warn(at, "section header has invalid length " + len);
            return false;
        }
        int major = u16(at + 12);
        if (major != 1) {
            warn(at, "section of unsupported pcapng version " + major + "; skipped");
        }
        interfaces = 0;
        sectionSeen = major == 1;
        sections++;
        pos = at + len;
        return true;
    }

    private void readInterface(long at, long len) {
        if (len < 20) {
            warn(at, "interface description block too short");
            return;
        }
        if (interfaces == MAX_INTERFACES) {
            warn(at, "more than " + MAX_INTERFACES + " interfaces in one section; extra ignored");
            return;
        }
        int i = interfaces++;
        ifLinkType[i] = u16(at + 8);
        ifSnapLen[i] = u32(at + 12);
        ifUnitsPerSecond[i] = 1_000_000L;
        ifOffsetSeconds[i] = 0;
        long opt = at + 16;
        long end = at + len - 4;
        while (opt + 4 <= end) {
            int code = u16(opt);
            int olen = u16(opt + 2);
            if (code == 0) {
                break;
            }
            long value = opt + 4;
            if (value + olen > end) {
                warn(opt, "interface option " + code + " overruns its block");
                break;
            }
            if (code == 9 && olen >= 1) {
                int res = bytes.u8(value);
                ifUnitsPerSecond[i] = unitsPerSecond(res, opt);
            } else if (code == 14 && olen >= 8) {
                long hi = u32L(value);
                long lo = u32L(value + 4);
                ifOffsetSeconds[i] = bigEndian ? (hi << 32) | lo : (lo << 32) | hi;
            }
            opt = value + ((olen + 3) & ~3);
        }
    }

    private long unitsPerSecond(int tsresol, long at) {
        int exp = tsresol & 0x7F;
        if ((tsresol & 0x80) != 0) {
            if (exp > 62) {
                warn(at, "if_tsresol 2^-" + exp + " unsupported; microseconds assumed");
                return 1_000_000L;
            }
            return 1L << exp;
        }
        if (exp > 18) {
            warn(at, "if_tsresol 10^-" + exp + " unsupported; microseconds assumed");
            return 1_000_000L;
        }
        long u = 1;
        for (int k = 0; k < exp; k++) {
            u *= 10;
        }
        return u;
    }

    private long toNanos(int iface, long ts) {
        long units = ifUnitsPerSecond[iface];
        long secs = Long.divideUnsigned(ts, units);
        long rem = Long.remainderUnsigned(ts, units);
        return (secs + ifOffsetSeconds[iface]) * NANOS_PER_SECOND + fractionNanos(rem, units);
    }

    /**
     * {@code floor(rem * 10^9 / units)} exactly, for {@code 0 <= rem < units}, where units is a
     * power of 10 or of 2 up to 2^62. Floating point would round some values up, even into the
     * next second.
     */
    private static long fractionNanos(long rem, long units) {
        if (rem <= Long.MAX_VALUE / NANOS_PER_SECOND) {
            return rem * NANOS_PER_SECOND / units;
        }
        if (units % NANOS_PER_SECOND == 0) {
            return rem / (units / NANOS_PER_SECOND);   // 10^-n, n > 9
        }
        // 2^-n, n >= 34: the 128-bit product shifted right by n
        int n = Long.numberOfTrailingZeros(units);
        return (Math.multiplyHigh(rem, NANOS_PER_SECOND) << (64 - n)) | ((rem * NANOS_PER_SECOND) >>> n);
    }

    private boolean readEnhanced(Packet packet, long at, long len) {
        if (len < 32) {
            warn(at, "enhanced packet block too short");
            return false;
        }
        int iface = u32(at + 8);
        if (iface < 0 || iface >= interfaces) {
            warn(at, "packet for undeclared interface " + Integer.toUnsignedString(iface) + "; skipped");
            return false;
        }
        long ts = (u32L(at + 12) << 32) | u32L(at + 16);
        int capLen = u32(at + 20);
        int wireLen = u32(at + 24);
        if (capLen < 0 || 28L + capLen + 4 > len) {
            warn(at, "packet length " + Integer.toUnsignedString(capLen) + " overruns its block of " + len + " bytes; skipped");
            return false;
        }
        copyFrame(packet, at + 28, capLen, wireLen, toNanos(iface, ts), ifLinkType[iface], at);
        return true;
    }

    private boolean readSimple(Packet packet, long at, long len) {
        if (len < 16) {
            warn(at, "simple packet block too short");
            return false;
        }
        if (interfaces == 0) {
            warn(at, "simple packet block without an interface; skipped");
            return false;
        }
        int wireLen = u32(at + 8);
        long room = len - 16;
        int capLen = (int) Math.min(Math.min(room, Integer.toUnsignedLong(wireLen)),
                ifSnapLen[0] > 0 ? ifSnapLen[0] : Integer.MAX_VALUE);
        // no timestamp in a simple packet block
        copyFrame(packet, at + 12, capLen, wireLen, 0L, ifLinkType[0], at);
        return true;
    }

    private boolean readObsolete(Packet packet, long at, long len) {
        if (len < 32) {
            warn(at, "packet block too short");
            return false;
        }
        int iface = u16(at + 8);
        if (iface >= interfaces) {
            warn(at, "packet for undeclared interface " + iface + "; skipped");
            return false;
        }
        long ts = (u32L(at + 12) << 32) | u32L(at + 16);
        int capLen = u32(at + 20);
        int wireLen = u32(at + 24);
        if (capLen < 0 || 28L + capLen + 4 > len) {
            warn(at, "packet length " + Integer.toUnsignedString(capLen) + " overruns its block; skipped");
            return false;
        }
        copyFrame(packet, at + 28, capLen, wireLen, toNanos(iface, ts), ifLinkType[iface], at);
        return true;
    }

    /** Continues at the next well-formed block after damage at {@code from - 4}, if any. */
    private boolean resync(long from) {
        long next = findBlock(from);
        if (next < 0) {
            warn(from - 4, "no well-formed block found after damage; rest of file (" + (size - from + 4) + " bytes) skipped");
            pos = size;
            return false;
        }
        resyncAt(from, next);
        return true;
    }

    private void resyncAt(long from, long next) {
        boolean section = bytes.intLE(next) == SHB;
        warn(next, section ? "resynchronised at a section header after skipping " + (next - from + 4) + " bytes"
                : "resynchronised after skipping " + (next - from + 4) + " damaged bytes");
        pos = next;
    }

    /**
     * The offset of the next well-formed block (a known type whose header and trailer lengths
     * agree, or a section header) from {@code from} on, within the window; -1 if there is none.
     * The scan goes byte by byte: garbage of any length may have been inserted, so the blocks
     * after it need not be aligned to 4 bytes from the start of the file any more.
     */
    private long findBlock(long from) {
        long limit = Math.min(size - 12, from + RESYNC_WINDOW);
        for (long at = from; at <= limit; at++) {
            int type = u32(at);
            boolean known = type == SHB || type == IDB || type == EPB || type == SPB || type == OPB
                    || type == 4 || type == 5 || type == 0x0BAD || type == 0x40000BAD || type == 10;
            if (!known) {
                continue;
            }
            if (type == SHB) {
                int magic = bytes.intLE(at + 8);
                if (magic != BYTE_ORDER_MAGIC && Integer.reverseBytes(magic) != BYTE_ORDER_MAGIC) {
                    continue;
                }
                return at;
            }
            long len = u32L(at + 4);
            if (len >= 12 && (len & 3) == 0 && len <= MAX_BLOCK && at + len <= size && u32L(at + len - 4) == len) {
                return at;
            }
        }
        return -1;
    }
}
