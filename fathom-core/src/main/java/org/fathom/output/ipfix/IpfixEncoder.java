package org.fathom.output.ipfix;

import java.nio.charset.StandardCharsets;
import org.fathom.net.Addresses;
import org.fathom.record.FlowRecord;

/**
 * Builds IPFIX messages (RFC 7011) of flow records into one reused buffer: a message header, the
 * template sets when asked for, then data sets of consecutive records (one set per run of records
 * of the same template). Nothing is allocated per record except the UTF-8 bytes of the names.
 *
 * <p>Templates (docs/EXPORTS.md): 256 IPv4, 257 IPv6, 258 IPv4 with vlanId, 259 IPv6 with vlanId,
 * 260 the RFC 6235 anonymisation options template. Counters are biflow (RFC 5103): the forward
 * direction is client to server, the reverse elements carry enterprise number 29305.
 *
 * <p>Not thread-safe; {@link IpfixSink} serialises.
 */
final class IpfixEncoder {
    static final int VERSION = 10;
    static final int HEADER_LENGTH = 16;
    /** RFC 5103: the enterprise number that turns an IANA element into its reverse direction. */
    static final int PEN_REVERSE = 29305;
    /**
     * Fathom's enterprise-specific elements: 32473 is the documentation PEN of RFC 5612, a
     * placeholder, not a number registered for Fathom.
     */
    static final int PEN_FATHOM = 32473;

    static final int TEMPLATE_V4 = 256;
    static final int TEMPLATE_V6 = 257;
    static final int TEMPLATE_V4_VLAN = 258;
    static final int TEMPLATE_V6_VLAN = 259;
    static final int TEMPLATE_ANONYMISATION = 260;

    static final int SET_TEMPLATE = 2;
    static final int SET_OPTIONS_TEMPLATE = 3;

    // IANA information elements (RFC 7012 registry)
    static final int IE_OCTET_DELTA_COUNT = 1;
    static final int IE_PACKET_DELTA_COUNT = 2;
    static final int IE_PROTOCOL_IDENTIFIER = 4;
    static final int IE_TCP_CONTROL_BITS = 6;
    static final int IE_SOURCE_TRANSPORT_PORT = 7;
    static final int IE_SOURCE_IPV4_ADDRESS = 8;
    static final int IE_DESTINATION_TRANSPORT_PORT = 11;
    static final int IE_DESTINATION_IPV4_ADDRESS = 12;
    static final int IE_SOURCE_IPV6_ADDRESS = 27;
    static final int IE_DESTINATION_IPV6_ADDRESS = 28;
    static final int IE_VLAN_ID = 58;
    static final int IE_APPLICATION_NAME = 96;
    static final int IE_FLOW_END_REASON = 136;
    static final int IE_TEMPLATE_ID = 145;
    static final int IE_FLOW_START_MILLISECONDS = 152;
    static final int IE_FLOW_END_MILLISECONDS = 153;
    static final int IE_ANONYMIZATION_FLAGS = 285;
    static final int IE_ANONYMIZATION_TECHNIQUE = 286;
    static final int IE_INFORMATION_ELEMENT_ID = 303;

    // Fathom's elements under PEN_FATHOM, all strings
    static final int FE_PROTOCOL_NAME = 1;
    static final int FE_APPLICATION_NAME = 2;
    static final int FE_CATEGORY_NAME = 3;
    static final int FE_CONFIDENCE = 4;
    static final int FE_TUNNEL = 5;

    /** RFC 6235 anonymizationTechnique: structured permutation (prefix-preserving, Crypto-PAn). */
    static final int TECHNIQUE_STRUCTURED_PERMUTATION = 6;
    /**
     * RFC 6235 anonymizationFlags: stability class 0 "undefined" (pseudonyms are stable within a key
     * epoch, default one day, which no stability class expresses), PmA and LOR clear.
     */
    static final int ANONYMIZATION_FLAGS = 0;

    /**
     * Longest name (application, protocol, category) in bytes of UTF-8; longer names are cut at a
     * character boundary. With {@link #MAX_SHORT_STRING} for confidence and tunnel, the largest
     * record (IPv6 with VLAN) is 1,198 bytes, so a record always fits an empty message of
     * {@link #MIN_MESSAGE} bytes.
     */
    static final int MAX_STRING = 256;
    /** Longest confidence and tunnel name in bytes. */
    static final int MAX_SHORT_STRING = 32;
    /** The smallest message size allowed. */
    static final int MIN_MESSAGE = 1280;
    static final int VARIABLE = 0xFFFF;

    private final byte[] buf;
    private int pos;
    /** Start of the open set, or -1. */
    private int setStart = -1;
    private int setId;
    private int dataRecords;

    /** @param maxMessage the largest message built, in bytes ({@link #MIN_MESSAGE} to 65535) */
    IpfixEncoder(int maxMessage) {
        if (maxMessage < MIN_MESSAGE || maxMessage > 65535) {
            throw new IllegalArgumentException("IPFIX message size must be between " + MIN_MESSAGE + " and 65535, not " + maxMessage);
        }
        buf = new byte[maxMessage];
        reset();
    }

    /** Starts a new, empty message. */
    void reset() {
        pos = HEADER_LENGTH;
        setStart = -1;
        setId = 0;
        dataRecords = 0;
    }

    boolean isEmpty() {
        return pos == HEADER_LENGTH;
    }

    /** Data records (flows and options records) in the message so far: what the sequence number counts. */
    int dataRecords() {
        return dataRecords;
    }

    byte[] buffer() {
        return buf;
    }

    int length() {
        return pos;
    }

    /**
     * Writes the four flow templates and, when {@code anonymised}, the anonymisation options
     * template and its records (one per address element). Call on an empty message.
     */
    void writeTemplates(boolean anonymised) {
        if (!isEmpty()) {
            throw new IllegalStateException("templates go first in a message");
        }
        openSet(SET_TEMPLATE);
        flowTemplate(TEMPLATE_V4, false, false);
        flowTemplate(TEMPLATE_V6, true, false);
        flowTemplate(TEMPLATE_V4_VLAN, false, true);
        flowTemplate(TEMPLATE_V6_VLAN, true, true);
        closeSet();
        if (anonymised) {
            openSet(SET_OPTIONS_TEMPLATE);
            u16(TEMPLATE_ANONYMISATION);
            u16(4);   // fields
            u16(2);   // scope fields: templateId, informationElementId
            field(IE_TEMPLATE_ID, 2);
            field(IE_INFORMATION_ELEMENT_ID, 2);
            field(IE_ANONYMIZATION_FLAGS, 2);
            field(IE_ANONYMIZATION_TECHNIQUE, 2);
            closeSet();
            openSet(TEMPLATE_ANONYMISATION);
            int[][] labelled = {
                {TEMPLATE_V4, IE_SOURCE_IPV4_ADDRESS}, {TEMPLATE_V4, IE_DESTINATION_IPV4_ADDRESS},
                {TEMPLATE_V6, IE_SOURCE_IPV6_ADDRESS}, {TEMPLATE_V6, IE_DESTINATION_IPV6_ADDRESS},
                {TEMPLATE_V4_VLAN, IE_SOURCE_IPV4_ADDRESS}, {TEMPLATE_V4_VLAN, IE_DESTINATION_IPV4_ADDRESS},
                {TEMPLATE_V6_VLAN, IE_SOURCE_IPV6_ADDRESS}, {TEMPLATE_V6_VLAN, IE_DESTINATION_IPV6_ADDRESS},
            };
            for (int[] l : labelled) {
                u16(l[0]);
                u16(l[1]);
                u16(ANONYMIZATION_FLAGS);
                u16(TECHNIQUE_STRUCTURED_PERMUTATION);
                dataRecords++;
            }
            closeSet();
        }
    }

    private void flowTemplate(int id, boolean v6, boolean vlan) {
        u16(id);
        u16(vlan ? 21 : 20);
        field(v6 ? IE_SOURCE_IPV6_ADDRESS : IE_SOURCE_IPV4_ADDRESS, v6 ? 16 : 4);
        field(v6 ? IE_DESTINATION_IPV6_ADDRESS : IE_DESTINATION_IPV4_ADDRESS, v6 ? 16 : 4);
        field(IE_SOURCE_TRANSPORT_PORT, 2);
        field(IE_DESTINATION_TRANSPORT_PORT, 2);
        field(IE_PROTOCOL_IDENTIFIER, 1);
        if (vlan) {
            field(IE_VLAN_ID, 2);
        }
        field(IE_OCTET_DELTA_COUNT, 8);
        field(IE_PACKET_DELTA_COUNT, 8);
        enterpriseField(IE_OCTET_DELTA_COUNT, 8, PEN_REVERSE);
        enterpriseField(IE_PACKET_DELTA_COUNT, 8, PEN_REVERSE);
        field(IE_FLOW_START_MILLISECONDS, 8);
        field(IE_FLOW_END_MILLISECONDS, 8);
        field(IE_TCP_CONTROL_BITS, 2);
        enterpriseField(IE_TCP_CONTROL_BITS, 2, PEN_REVERSE);
        field(IE_FLOW_END_REASON, 1);
        field(IE_APPLICATION_NAME, VARIABLE);
        enterpriseField(FE_PROTOCOL_NAME, VARIABLE, PEN_FATHOM);
        enterpriseField(FE_APPLICATION_NAME, VARIABLE, PEN_FATHOM);
        enterpriseField(FE_CATEGORY_NAME, VARIABLE, PEN_FATHOM);
        enterpriseField(FE_CONFIDENCE, VARIABLE, PEN_FATHOM);
        enterpriseField(FE_TUNNEL, VARIABLE, PEN_FATHOM);
    }

    /** The template a record is written with. */
    static int templateOf(FlowRecord r) {
        boolean v4 = Addresses.isIpv4(r.srcHi(), r.srcLo()) && Addresses.isIpv4(r.dstHi(), r.dstLo());
        if (r.vlan() != 0) {
            return v4 ? TEMPLATE_V4_VLAN : TEMPLATE_V6_VLAN;
        }
        return v4 ? TEMPLATE_V4 : TEMPLATE_V6;
    }

    /**
     * Appends the record as a data record, opening a data set when the template changes.
     *
     * @return false, leaving the message as it was, when the record does not fit; then send the
     *         message, {@link #reset} and add it again (a record always fits an empty message)
     */
    boolean add(FlowRecord r) {
        byte[] application = bytes(r.application(), MAX_STRING);
        byte[] protocol = bytes(r.protocol(), MAX_STRING);
        byte[] category = bytes(r.category(), MAX_STRING);
        byte[] confidence = bytes(r.confidence(), MAX_SHORT_STRING);
        byte[] tunnel = bytes(r.tunnel(), MAX_SHORT_STRING);
        int template = templateOf(r);
        boolean v6 = template == TEMPLATE_V6 || template == TEMPLATE_V6_VLAN;
        boolean vlan = template == TEMPLATE_V4_VLAN || template == TEMPLATE_V6_VLAN;
        int size = (v6 ? 32 : 8) + 5 + (vlan ? 2 : 0) + 4 * 8 + 2 * 8 + 2 * 2 + 1
                + 2 * varSize(application.length) + varSize(protocol.length) + varSize(category.length)
                + varSize(confidence.length) + varSize(tunnel.length);
        boolean newSet = setStart < 0 || setId != template;
        if (pos + (newSet ? 4 : 0) + size > buf.length) {
            return false;
        }
        if (newSet) {
            closeSet();
            openSet(template);
        }
        int start = pos;
        if (v6) {
            u64(r.srcHi());
            u64(r.srcLo());
            u64(r.dstHi());
            u64(r.dstLo());
        } else {
            u32(r.srcLo());
            u32(r.dstLo());
        }
        u16(r.srcPort());
        u16(r.dstPort());
        u8(protocolNumber(r.l4()));
        if (vlan) {
            u16(r.vlan());
        }
        u64(r.bytesC2s());
        u64(r.packetsC2s());
        u64(r.bytesS2c());
        u64(r.packetsS2c());
        u64(Math.floorDiv(r.firstSeenNanos(), 1_000_000L));
        u64(Math.floorDiv(r.lastSeenNanos(), 1_000_000L));
        u16(r.tcpFlagsC2s() & 0xFF);
        u16(r.tcpFlagsS2c() & 0xFF);
        u8(endReason(r.endReason()));
        string(application);
        string(protocol);
        string(application);
        string(category);
        string(confidence);
        string(tunnel);
        assert pos - start == size : "record size " + (pos - start) + " != " + size;
        dataRecords++;
        return true;
    }

    /**
     * Closes the open set and writes the message header.
     *
     * @return the message length in bytes
     */
    int finish(long exportSeconds, long sequence, long observationDomain) {
        closeSet();
        int end = pos;
        pos = 0;
        u16(VERSION);
        u16(end);
        u32(exportSeconds);
        u32(sequence);
        u32(observationDomain);
        pos = end;
        return end;
    }

    /** Rewrites export time and sequence number of a finished message (a resend on a new connection). */
    void restamp(long exportSeconds, long sequence) {
        int end = pos;
        pos = 4;
        u32(exportSeconds);
        u32(sequence);
        pos = end;
    }

    /**
     * RFC 5102 flowEndReason: idle timeout 1, active timeout 2, end of flow detected 3 (FIN, RST),
     * forced end 4 (end of the input), lack of resources 5 (evicted from a full flow table).
     */
    static int endReason(String reason) {
        if (reason == null) {
            return 0;
        }
        return switch (reason) {
            case "idle" -> 1;
            case "active" -> 2;
            case "fin", "rst" -> 3;
            case "end_of_input" -> 4;
            case "evicted" -> 5;
            default -> 0;
        };
    }

    /** The IP protocol number of a flow record's {@code l4} name (or decimal number). */
    static int protocolNumber(String l4) {
        return switch (l4) {
            case "TCP" -> 6;
            case "UDP" -> 17;
            case "ICMP" -> 1;
            case "ICMPV6" -> 58;
            case "SCTP" -> 132;
            case "GRE" -> 47;
            case "ESP" -> 50;
            case "AH" -> 51;
            case "IGMP" -> 2;
            case "OSPF" -> 89;
            case "PIM" -> 103;
            case "VRRP" -> 112;
            case "PGM" -> 113;
            default -> {
                try {
                    int n = Integer.parseInt(l4);
                    yield n >= 0 && n <= 255 ? n : 255;
                } catch (NumberFormatException e) {
                    yield 255;   // reserved: not a protocol Fathom names
                }
            }
        };
    }

    private static final byte[] EMPTY = new byte[0];
    private static final int CACHE = 512;
    /** The UTF-8 of recent names (a few hundred distinct ones repeat in every record): no allocation per record. */
    private final String[] cachedNames = new String[CACHE];
    private final byte[][] cachedBytes = new byte[CACHE][];

    /** {@link #utf8}, from a direct-mapped cache of names that need no cutting. */
    private byte[] bytes(String s, int max) {
        if (s == null || s.isEmpty()) {
            return EMPTY;
        }
        int i = s.hashCode() & (CACHE - 1);
        if (s.equals(cachedNames[i])) {
            return cachedBytes[i];
        }
        byte[] b = utf8(s, max);
        if (b.length <= MAX_SHORT_STRING && b.length == s.length()) {   // short ASCII: the same under either cap
            cachedNames[i] = s;
            cachedBytes[i] = b;
        }
        return b;
    }

    /** UTF-8 bytes, cut to {@code max} bytes at a character boundary. */
    static byte[] utf8(String s, int max) {
        if (s == null || s.isEmpty()) {
            return EMPTY;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= max) {
            return b;
        }
        int n = max;
        while (n > 0 && (b[n] & 0xC0) == 0x80) {
            n--;   // b[n] continues a character: cut before the character starts
        }
        return java.util.Arrays.copyOf(b, n);
    }

    /** Bytes a variable-length value of {@code n} bytes takes with its length prefix (RFC 7011 §7). */
    private static int varSize(int n) {
        return n < 255 ? n + 1 : n + 3;
    }

    private void string(byte[] b) {
        if (b.length < 255) {
            u8(b.length);
        } else {
            u8(255);
            u16(b.length);
        }
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    private void openSet(int id) {
        setStart = pos;
        setId = id;
        pos += 4;
    }

    private void closeSet() {
        if (setStart < 0) {
            return;
        }
        int end = pos;
        pos = setStart;
        u16(setId);
        u16(end - setStart);
        pos = end;
        setStart = -1;
    }

    private void field(int id, int length) {
        u16(id);
        u16(length);
    }

    private void enterpriseField(int id, int length, int pen) {
        u16(0x8000 | id);
        u16(length);
        u32(pen);
    }

    private void u8(int v) {
        buf[pos++] = (byte) v;
    }

    private void u16(int v) {
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    private void u32(long v) {
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    private void u64(long v) {
        u32(v >>> 32);
        u32(v);
    }
}
