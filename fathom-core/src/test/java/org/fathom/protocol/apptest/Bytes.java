package org.fathom.protocol.apptest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Building test messages. */
public final class Bytes {
    private Bytes() {}

    public static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    public static byte[] be16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    public static byte[] be32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    public static byte[] le32(long v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    public static byte[] repeat(int value, int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    /** A DER TLV with a definite length (short or long form). */
    public static byte[] tlv(int tag, byte[]... content) {
        byte[] c = cat(content);
        byte[] len;
        if (c.length < 0x80) {
            len = new byte[] {(byte) c.length};
        } else if (c.length < 0x100) {
            len = new byte[] {(byte) 0x81, (byte) c.length};
        } else {
            len = new byte[] {(byte) 0x82, (byte) (c.length >>> 8), (byte) c.length};
        }
        return cat(new byte[] {(byte) tag}, len, c);
    }

    public static byte[] derInt(long v) {
        if (v >= 0 && v < 0x80) {
            return tlv(0x02, new byte[] {(byte) v});
        }
        return tlv(0x02, new byte[] {(byte) (v >>> 8), (byte) v});
    }
}
