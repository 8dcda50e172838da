package org.fathom.protocol.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds HTTP/2 frames and HPACK header blocks for tests (an encoder of the test side only, so
 * the decoder is checked against bytes it did not make itself; RFC 7541's examples and the
 * golden capture check the decoder against other encoders).
 */
public final class H2Frames {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public static byte[] preface() {
        return Http2Connection.PREFACE.clone();
    }

    public static byte[] frame(int type, int flags, int stream, byte[] payload) {
        byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (payload.length >>> 16);
        f[1] = (byte) (payload.length >>> 8);
        f[2] = (byte) payload.length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        f[5] = (byte) (stream >>> 24 & 0x7F);
        f[6] = (byte) (stream >>> 16);
        f[7] = (byte) (stream >>> 8);
        f[8] = (byte) stream;
        System.arraycopy(payload, 0, f, 9, payload.length);
        return f;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /** An indexed header field (RFC 7541 6.1). */
    public H2Frames indexed(int index) {
        integer(0x80, 7, index);
        return this;
    }

    /** A literal with incremental indexing, name by index (0: literal name). */
    public H2Frames incremental(int nameIndex, String name, String value, boolean huffman) {
        integer(0x40, 6, nameIndex);
        if (nameIndex == 0) {
            string(name, huffman);
        }
        string(value, huffman);
        return this;
    }

    /** A literal without indexing, name by index (0: literal name). */
    public H2Frames literal(int nameIndex, String name, String value, boolean huffman) {
        integer(0x00, 4, nameIndex);
        if (nameIndex == 0) {
            string(name, huffman);
        }
        string(value, huffman);
        return this;
    }

    public H2Frames sizeUpdate(int size) {
        integer(0x20, 5, size);
        return this;
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    private void integer(int first, int n, int v) {
        int max = (1 << n) - 1;
        if (v < max) {
            out.write(first | v);
            return;
        }
        out.write(first | max);
        v -= max;
        while (v >= 128) {
            out.write(v % 128 + 128);
            v /= 128;
        }
        out.write(v);
    }

    private void string(String s, boolean huffman) {
        byte[] raw = s.getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = huffman ? huffman(raw) : raw;
        integer(huffman ? 0x80 : 0, 7, b.length);
        out.writeBytes(b);
    }

    /** Huffman-encodes with RFC 7541 Appendix B's code, padded with ones. */
    public static byte[] huffman(byte[] raw) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        long acc = 0;
        int bits = 0;
        for (byte x : raw) {
            int sym = x & 0xFF;
            int len = Hpack.huffmanLength(sym);
            acc = acc << len | Hpack.CODES[sym];
            bits += len;
            while (bits >= 8) {
                o.write((int) (acc >>> (bits - 8)));
                bits -= 8;
            }
        }
        if (bits > 0) {
            o.write((int) ((acc << (8 - bits)) | ((1 << (8 - bits)) - 1)));
        }
        return o.toByteArray();
    }
}
