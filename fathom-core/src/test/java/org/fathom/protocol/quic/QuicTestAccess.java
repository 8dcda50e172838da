package org.fathom.protocol.quic;

/** Gives tests in other packages the RFC 9001 A.2 client Initial. */
public final class QuicTestAccess {
    private QuicTestAccess() {}

    public static byte[] rfcInitial() {
        return QuicPackets.rfcClientInitial(QuicVersion.V1);
    }
}
