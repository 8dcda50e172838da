package org.fathom.protocol;

/**
 * How specific a dissector's recognition is: the registry probes an unrecognised flow's payload
 * with the most specific dissectors first, so that a loose check never takes a flow a stricter
 * one would have recognised. Within a class the order is by explicit constraints
 * ({@link Probe#before}, {@link Probe#after}), then by protocol name.
 */
public enum ProbeClass {
    /**
     * A signature that other traffic practically never shows: a multi-byte magic number or keyword
     * ({@code SSH-}, {@code RFB 003.}, the STUN cookie, {@code \u0013BitTorrent protocol}), or a
     * header whose every field is checked (TLS record and handshake, QUIC long header).
     */
    MAGIC,
    /**
     * A binary header without a long magic whose fields must agree: lengths that add up, type and
     * version codes in range, BER tags (Kerberos, LDAP, SNMP, DNS, industrial buses).
     */
    STRUCTURE,
    /**
     * A few checked bits, a first byte, a greeting shared by many protocols ({@code 220 }), or a
     * check that leans on the well-known port: could take another protocol's traffic, so it is
     * asked after every stricter dissector had its chance.
     */
    LOOSE,
    /** Decides only from a run of packets (RTP's sequence numbers and timestamps): asked last. */
    STATISTICAL
}
