package org.fathom.protocol.quic;

import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Test helper: protects a client Initial packet the way a QUIC client does (RFC 9001 sections 5.3
 * and 5.4), so tests can build the RFC 9001 / RFC 9369 Appendix A packets and others.
 */
public final class QuicPackets {
    private QuicPackets() {}

    /** The CRYPTO frame of RFC 9001 Appendix A.2 (a ClientHello for example.com). */
    public static final String RFC9001_CRYPTO_FRAME =
            "060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e868"
            + "04fe3a47f06a2b69484c00000413011302010000c000000010000e00000b6578"
            + "616d706c652e636f6dff01000100000a00080006001d00170018001000070005"
            + "04616c706e000500050100000000003300260024001d00209370b2c9caa47fba"
            + "baf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b000302030400"
            + "0d0010000e0403050306030203080408050806002d00020101001c0002400100"
            + "3900320408ffffffffffffffff05048000ffff07048000ffff08011001048000"
            + "75300901100f088394c8f03e51570806048000ffff";

    public static final byte[] RFC_DCID = HexFormat.of().parseHex("8394c8f03e515708");

    /** The RFC 9001 A.2 (v1) or RFC 9369 A.2 (v2) client Initial: packet number 2, 1162-byte payload. */
    public static byte[] rfcClientInitial(int version) {
        byte[] frames = HexFormat.of().parseHex(RFC9001_CRYPTO_FRAME);
        byte[] payload = new byte[1162];
        System.arraycopy(frames, 0, payload, 0, frames.length);
        return protect(version, RFC_DCID, new byte[0], 2, 4, payload);
    }

    /** A client Initial: long header, empty token, packet number of {@code pnLen} bytes, AEAD payload. */
    public static byte[] protect(int version, byte[] dcid, byte[] scid, long pn, int pnLen, byte[] payload) {
        boolean v2 = QuicVersion.isV2(version);
        int length = pnLen + payload.length + 16;
        java.io.ByteArrayOutputStream h = new java.io.ByteArrayOutputStream();
        h.write(0xC0 | (QuicVersion.initialType(version) << 4) | (pnLen - 1));
        h.write(version >>> 24);
        h.write(version >>> 16);
        h.write(version >>> 8);
        h.write(version);
        h.write(dcid.length);
        h.writeBytes(dcid);
        h.write(scid.length);
        h.writeBytes(scid);
        h.write(0); // token length
        h.write(0x40 | (length >>> 8));
        h.write(length);
        int pnOffset = h.size();
        for (int i = pnLen - 1; i >= 0; i--) {
            h.write((int) (pn >>> (8 * i)));
        }
        byte[] header = h.toByteArray();
        QuicCrypto.Keys k = QuicCrypto.get().initialKeys(version, QuicVersion.salt(version), dcid, 0, dcid.length, false);
        try {
            byte[] nonce = k.iv().clone();
            for (int i = 0; i < 8; i++) {
                nonce[nonce.length - 1 - i] ^= (byte) (pn >>> (8 * i));
            }
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k.key(), "AES"), new GCMParameterSpec(128, nonce));
            gcm.updateAAD(header);
            byte[] ct = gcm.doFinal(payload);
            byte[] pkt = new byte[header.length + ct.length];
            System.arraycopy(header, 0, pkt, 0, header.length);
            System.arraycopy(ct, 0, pkt, header.length, ct.length);
            Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k.hp(), "AES"));
            byte[] mask = ecb.doFinal(pkt, pnOffset + 4, 16);
            pkt[0] ^= (byte) (mask[0] & 0x0f);
            for (int i = 0; i < pnLen; i++) {
                pkt[pnOffset + i] ^= mask[1 + i];
            }
            return pkt;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
