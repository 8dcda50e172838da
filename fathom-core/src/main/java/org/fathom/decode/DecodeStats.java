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

    public void add(DecodeStats o) {
        frames += o.frames;
        ipPackets += o.ipPackets;
        nonIp += o.nonIp;
        malformed += o.malformed;
        tunnelled += o.tunnelled;
        unsupportedLinkFrames += o.unsupportedLinkFrames;
        for (int i = 0; i < unsupportedLinkTypes.length; i++) {
            unsupportedLinkTypes[i] += o.unsupportedLinkTypes[i];
        }
    }
}
