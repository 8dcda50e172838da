package org.fathom.protocol.samples;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Byte builders for spec-built test messages. */
public final class Hex {
    private Hex() {}

    /** Parses hex digits, ignoring spaces. */
    public static byte[] hex(String s) {
        String t = s.replace(" ", "").replace("\n", "");
        byte[] b = new byte[t.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(t.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
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

    public static byte[] u8(int v) {
        return new byte[] {(byte) v};
    }

    public static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    public static byte[] u16le(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8)};
    }

    public static byte[] u24(int v) {
        return new byte[] {(byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }

    public static byte[] u32(long v) {
        return new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }

    public static byte[] u32le(long v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    public static byte[] u64le(long v) {
        return cat(u32le(v), u32le(v >>> 32));
    }

    public static byte[] zeros(int n) {
        return new byte[n];
    }

    /** A byte string of {@code n} copies of {@code v}. */
    public static byte[] fill(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }
}
