package org.fathom.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds test messages field by field, big-endian unless said otherwise. */
public final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public static Bytes of(int... v) {
        return new Bytes().u8(v);
    }

    public Bytes u8(int... v) {
        for (int x : v) {
            out.write(x);
        }
        return this;
    }

    public Bytes u16(int v) {
        return u8(v >>> 8, v);
    }

    public Bytes u24(int v) {
        return u8(v >>> 16, v >>> 8, v);
    }

    public Bytes u32(long v) {
        return u16((int) (v >>> 16)).u16((int) v);
    }

    public Bytes le32(long v) {
        return u8((int) v, (int) (v >>> 8), (int) (v >>> 16), (int) (v >>> 24));
    }

    public Bytes ascii(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    public Bytes hex(String h) {
        for (int i = 0; i + 1 < h.length(); i += 2) {
            out.write(Integer.parseInt(h.substring(i, i + 2), 16));
        }
        return this;
    }

    public Bytes zeros(int n) {
        for (int i = 0; i < n; i++) {
            out.write(0);
        }
        return this;
    }

    public Bytes bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    public int size() {
        return out.size();
    }

    public byte[] get() {
        return out.toByteArray();
    }

    /** Common first bytes of other protocols, for negative tests. */
    public static final String[] OTHERS = {
        "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "SSH-2.0-OpenSSH_9.6\r\n", "\u0016\u0003\u0001\u0000\u00c8\u0001\u0000\u0000\u00c4\u0003\u0003",
        "\u0013BitTorrent protocol", "220 mail.example.com ESMTP\r\n", "INVITE sip:bob@example.com SIP/2.0\r\n",
        "\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000",
        "\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff",
        "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n\r\n",
    };

    private Bytes() { }
}
