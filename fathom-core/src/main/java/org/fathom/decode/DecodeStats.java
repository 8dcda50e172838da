package org.fathom.decode;

/** What the decoder saw and could not use, for the summary. */
public final class DecodeStats {
    public long frames;
    public long ipPackets;
    /** Frames with no IP inside (ARP, LLDP, STP, encrypted 802.11, ...). */
    public long nonIp;
    /** Frames too damaged to key (cut headers, impossible lengths). */
    public long malformed;
    public long tunnelled;
    /** Frames by unsupported link type (index = LINKTYPE value, last slot for 1024 and above). */
    public final long[] unsupportedLinkTypes = new long[1025];
    public long unsupportedLinkFrames;
    /**
     * Exceptions (and stack overflows) the decoder's last-resort catch turned into MALFORMED: each
     * one is a decoder bug. Package-private so that tests can insist on zero; also counted in
     * {@link #malformed}.
     */
    long swallowedExceptions;
    /** The last of those throwables, for the test that finds it. */
    Throwable lastSwallowed;

    public void add(DecodeStats o) {
        frames += o.frames;
        ipPackets += o.ipPackets;
        nonIp += o.nonIp;
        malformed += o.malformed;
        tunnelled += o.tunnelled;
        unsupportedLinkFrames += o.unsupportedLinkFrames;
        swallowedExceptions += o.swallowedExceptions;
        if (o.lastSwallowed != null) {
            lastSwallowed = o.lastSwallowed;
        }
        for (int i = 0; i < unsupportedLinkTypes.length; i++) {
            unsupportedLinkTypes[i] += o.unsupportedLinkTypes[i];
        }
    }
}
