package org.fathom.protocol.dns;

import java.util.ArrayList;
import java.util.List;
import org.fathom.net.Addresses;

/**
 * A DNS message (RFC 1035 section 4; also mDNS, RFC 6762, and LLMNR, RFC 4795, which share the
 * format): header, the first question, and the answer section's addresses and aliases. Pure and
 * bounded: names follow at most {@link #MAX_JUMPS} compression pointers, each pointing strictly
 * backwards, so no input can loop; counts are checked against the bytes present before anything
 * is read; {@link #parse} returns null, never throws, when the bytes are not a DNS message.
 */
public final class DnsMessage {
    public static final int HEADER = 12;
    static final int MAX_JUMPS = 16;
    static final int MAX_NAME = 255;
    static final int MAX_QUESTIONS = 64;
    static final int MAX_RECORDS = 512;
    /** Answers kept as text. */
    public static final int MAX_ANSWERS = 16;

    public int id;
    public int flags;
    public int qdcount;
    public int ancount;
    public int nscount;
    public int arcount;
    /** First question's name (no trailing dot; "" for the root), or null without a question. */
    public String qname;
    public int qtype = -1;
    public int qclass = -1;
    /** Answer section: addresses as text and CNAME targets, at most {@link #MAX_ANSWERS}. */
    public final List<String> answers = new ArrayList<>(0);
    /** A and AAAA answers as (hi, lo) pairs, IPv4 mapped; at most {@link #MAX_ANSWERS}. */
    public long[] addresses = new long[0];
    public int addressCount;
    /** Whether every section was read to its end (false: the records after the questions were cut or damaged). */
    public boolean complete;
    /** Where the parsed records ended, relative to the message start. */
    public int end;

    public boolean isResponse() {
        return (flags & 0x8000) != 0;
    }

    public int opcode() {
        return (flags >>> 11) & 0xF;
    }

    public int rcode() {
        return flags & 0xF;
    }

    /**
     * Checks the 12-byte header alone: opcode in use, counts that fit in {@code len} bytes. Cheap;
     * allocates nothing.
     */
    public static boolean plausibleHeader(byte[] b, int off, int len) {
        if (len < HEADER) {
            return false;
        }
        int flags = u16(b, off + 2);
        int opcode = (flags >>> 11) & 0xF;
        if (opcode == 3 || opcode > 6) {
            return false;
        }
        int qd = u16(b, off + 4);
        int rr = u16(b, off + 6) + u16(b, off + 8) + u16(b, off + 10);
        if (qd > MAX_QUESTIONS || rr > MAX_RECORDS) {
            return false;
        }
        if (qd + rr == 0) {
            return (flags & 0x8000) != 0; // a query asks something; an error response may echo nothing
        }
        // a question takes at least 5 bytes, a record at least 11
        return qd * 5 + rr * 11 <= len - HEADER;
    }

    /**
     * Parses the message {@code b[off..off+len)}. The header and the questions must be whole; the
     * records are read as far as they are whole ({@link #complete} says whether all were).
     */
    public static DnsMessage parse(byte[] b, int off, int len) {
        if (b == null || off < 0 || len < HEADER || off + len > b.length || !plausibleHeader(b, off, len)) {
            return null;
        }
        DnsMessage m = new DnsMessage();
        m.id = u16(b, off);
        m.flags = u16(b, off + 2);
        m.qdcount = u16(b, off + 4);
        m.ancount = u16(b, off + 6);
        m.nscount = u16(b, off + 8);
        m.arcount = u16(b, off + 10);
        int p = HEADER;
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < m.qdcount; i++) {
            sb.setLength(0);
            int q = readName(b, off, len, p, i == 0 ? sb : null);
            if (q < 0 || q + 4 > len) {
                return null;
            }
            if (i == 0) {
                m.qname = sb.toString();
                m.qtype = u16(b, off + q);
                m.qclass = u16(b, off + q + 2);
            }
            p = q + 4;
        }
        m.end = p;
        int records = m.ancount + m.nscount + m.arcount;
        for (int i = 0; i < records; i++) {
            boolean answer = i < m.ancount;
            int q = readName(b, off, len, p, null);
            if (q < 0 || q + 10 > len) {
                return m;
            }
            int type = u16(b, off + q);
            int rdlen = u16(b, off + q + 8);
            int rd = q + 10;
            if (rd + rdlen > len) {
                return m;
            }
            if (answer) {
                if (type == 1 && rdlen == 4) {
                    long v4 = ((long) (b[off + rd] & 0xFF) << 24) | ((b[off + rd + 1] & 0xFF) << 16) | ((b[off + rd + 2] & 0xFF) << 8)
                            | (b[off + rd + 3] & 0xFF);
                    m.addAddress(0, 0x0000FFFF00000000L | v4);
                } else if (type == 28 && rdlen == 16) {
                    m.addAddress(u64(b, off + rd), u64(b, off + rd + 8));
                } else if (type == 5 && m.answers.size() < MAX_ANSWERS) {
                    sb.setLength(0);
                    if (readName(b, off, rd + rdlen, rd, sb) > 0) {
                        m.answers.add(sb.toString());
                    }
                }
            }
            p = rd + rdlen;
            m.end = p;
        }
        m.complete = true;
        return m;
    }

    private void addAddress(long hi, long lo) {
        if (addressCount >= MAX_ANSWERS) {
            return;
        }
        if (addresses.length < 2 * (addressCount + 1)) {
            addresses = java.util.Arrays.copyOf(addresses, Math.max(4, addresses.length * 2));
        }
        addresses[2 * addressCount] = hi;
        addresses[2 * addressCount + 1] = lo;
        addressCount++;
        if (answers.size() < MAX_ANSWERS) {
            answers.add(Addresses.format(hi, lo));
        }
    }

    /**
     * Reads the (possibly compressed) name at {@code pos} of the message {@code b[off..off+len)}.
     * Appends it in dotted form to {@code out} when not null. Returns the position just after the
     * name where it started (not where a pointer led), or -1 when it is malformed.
     */
    static int readName(byte[] b, int off, int len, int pos, StringBuilder out) {
        int after = -1;
        int jumps = 0;
        int total = 0;
        int p = pos;
        int limit = p; // pointers must lead strictly backwards from here
        while (true) {
            if (p >= len) {
                return -1;
            }
            int c = b[off + p] & 0xFF;
            if (c == 0) {
                return after >= 0 ? after : p + 1;
            }
            if ((c & 0xC0) == 0xC0) {
                if (p + 1 >= len || ++jumps > MAX_JUMPS) {
                    return -1;
                }
                int target = ((c & 0x3F) << 8) | (b[off + p + 1] & 0xFF);
                if (after < 0) {
                    after = p + 2;
                }
                if (target >= limit) {
                    return -1;
                }
                limit = target;
                p = target;
                continue;
            }
            if ((c & 0xC0) != 0) {
                return -1; // extended label types are obsolete
            }
            if (p + 1 + c > len) {
                return -1;
            }
            total += c + 1;
            if (total > MAX_NAME) {
                return -1;
            }
            if (out != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                for (int i = p + 1; i <= p + c; i++) {
                    int ch = b[off + i] & 0xFF;
                    out.append(ch > 0x20 && ch < 0x7F ? (char) ch : '?');
                }
            }
            p += 1 + c;
        }
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static long u64(byte[] b, int i) {
        long v = 0;
        for (int k = 0; k < 8; k++) {
            v = (v << 8) | (b[i + k] & 0xFF);
        }
        return v;
    }

    /** Mnemonic of a record type (RFC 1035, IANA registry), or {@code TYPEn}. */
    public static String typeName(int t) {
        return switch (t) {
            case 1 -> "A";
            case 2 -> "NS";
            case 5 -> "CNAME";
            case 6 -> "SOA";
            case 10 -> "NULL";
            case 12 -> "PTR";
            case 13 -> "HINFO";
            case 15 -> "MX";
            case 16 -> "TXT";
            case 17 -> "RP";
            case 24 -> "SIG";
            case 25 -> "KEY";
            case 28 -> "AAAA";
            case 29 -> "LOC";
            case 32 -> "NB";
            case 33 -> "SRV";
            case 35 -> "NAPTR";
            case 39 -> "DNAME";
            case 41 -> "OPT";
            case 43 -> "DS";
            case 46 -> "RRSIG";
            case 47 -> "NSEC";
            case 48 -> "DNSKEY";
            case 50 -> "NSEC3";
            case 52 -> "TLSA";
            case 64 -> "SVCB";
            case 65 -> "HTTPS";
            case 99 -> "SPF";
            case 251 -> "IXFR";
            case 252 -> "AXFR";
            case 255 -> "ANY";
            case 256 -> "URI";
            case 257 -> "CAA";
            default -> "TYPE" + t;
        };
    }

    /** Mnemonic of a response code (RFC 1035, RFC 2136, RFC 6895), or {@code RCODEn}. */
    public static String rcodeName(int r) {
        return switch (r) {
            case 0 -> "NOERROR";
            case 1 -> "FORMERR";
            case 2 -> "SERVFAIL";
            case 3 -> "NXDOMAIN";
            case 4 -> "NOTIMP";
            case 5 -> "REFUSED";
            case 6 -> "YXDOMAIN";
            case 7 -> "YXRRSET";
            case 8 -> "NXRRSET";
            case 9 -> "NOTAUTH";
            case 10 -> "NOTZONE";
            default -> "RCODE" + r;
        };
    }
}
