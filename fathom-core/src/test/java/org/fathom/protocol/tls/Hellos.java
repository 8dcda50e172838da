package org.fathom.protocol.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds TLS handshake messages and records from the RFC 8446 / RFC 5246 layouts, for tests. */
public final class Hellos {
    private Hellos() {}

    /** A growable byte writer with TLS's big-endian integers and length prefixes. */
    public static final class W {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public W u8(int v) { out.write(v); return this; }
        public W u16(int v) { out.write(v >>> 8); out.write(v); return this; }
        public W u24(int v) { out.write(v >>> 16); out.write(v >>> 8); out.write(v); return this; }
        public W bytes(byte[] b) { out.writeBytes(b); return this; }
        public W zeros(int n) { out.writeBytes(new byte[n]); return this; }
        public W vec8(byte[] b) { return u8(b.length).bytes(b); }
        public W vec16(byte[] b) { return u16(b.length).bytes(b); }
        public W vec24(byte[] b) { return u24(b.length).bytes(b); }
        public byte[] get() { return out.toByteArray(); }
    }

    public static byte[] u16s(int... v) {
        W w = new W();
        for (int x : v) {
            w.u16(x);
        }
        return w.get();
    }

    public static byte[] ext(int type, byte[] body) {
        return new W().u16(type).vec16(body).get();
    }

    public static byte[] sni(String host) {
        byte[] h = host.getBytes(StandardCharsets.US_ASCII);
        return ext(0, new W().vec16(new W().u8(0).vec16(h).get()).get());
    }

    public static byte[] alpn(String... protos) {
        W list = new W();
        for (String p : protos) {
            list.vec8(p.getBytes(StandardCharsets.US_ASCII));
        }
        return ext(0x10, new W().vec16(list.get()).get());
    }

    public static byte[] supportedVersions(int... v) {
        return ext(0x2b, new W().vec8(u16s(v)).get());
    }

    public static byte[] groups(int... g) {
        return ext(0x0a, new W().vec16(u16s(g)).get());
    }

    public static byte[] pointFormats(int... f) {
        W w = new W();
        for (int x : f) {
            w.u8(x);
        }
        return ext(0x0b, new W().vec8(w.get()).get());
    }

    public static byte[] sigAlgs(int... a) {
        return ext(0x0d, new W().vec16(u16s(a)).get());
    }

    /** A ClientHello body (no handshake header). {@code dtls} adds the empty cookie field. */
    public static byte[] clientHelloBody(int version, int[] ciphers, List<byte[]> extensions, boolean dtls) {
        W w = new W().u16(version).zeros(32).vec8(new byte[32]);
        if (dtls) {
            w.vec8(new byte[0]);
        }
        w.vec16(u16s(ciphers)).vec8(new byte[] {0});
        if (extensions != null) {
            W e = new W();
            for (byte[] x : extensions) {
                e.bytes(x);
            }
            w.vec16(e.get());
        }
        return w.get();
    }

    public static byte[] serverHelloBody(int version, int cipher, List<byte[]> extensions) {
        W w = new W().u16(version).bytes(new byte[32]).vec8(new byte[32]).u16(cipher).u8(0);
        W e = new W();
        for (byte[] x : extensions) {
            e.bytes(x);
        }
        return w.vec16(e.get()).get();
    }

    /** A handshake message: type, 24-bit length, body. */
    public static byte[] handshake(int type, byte[] body) {
        return new W().u8(type).vec24(body).get();
    }

    /** One TLS record. */
    public static byte[] record(int contentType, int version, byte[] body) {
        return new W().u8(contentType).u16(version).vec16(body).get();
    }

    /** A Certificate message body holding one DER certificate. */
    public static byte[] certificateBody(byte[] der) {
        return new W().vec24(new W().vec24(der).get()).get();
    }

    public static byte[] concat(byte[]... parts) {
        W w = new W();
        for (byte[] p : parts) {
            w.bytes(p);
        }
        return w.get();
    }

    /** The ClientHello of the JA4 specification's example (a Chrome hello): 15 ciphers, 16 extensions. */
    public static byte[] ja4ExampleClientHello() {
        int[] ciphers = {0x1a1a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c,
            0x009d, 0x002f, 0x0035};
        List<byte[]> ext = List.of(
                ext(0x0a0a, new byte[0]),
                sni("example.com"),
                ext(0x0017, new byte[0]),
                ext(0xff01, new byte[] {0}),
                groups(0x2a2a, 0x001d, 0x0017, 0x0018),
                pointFormats(0),
                ext(0x0023, new byte[0]),
                alpn("h2", "http/1.1"),
                ext(0x0005, new byte[] {1, 0, 0, 0, 0}),
                sigAlgs(0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601),
                ext(0x0012, new byte[0]),
                ext(0x0033, new W().vec16(new W().u16(0x001d).vec16(new byte[32]).get()).get()),
                ext(0x002d, new byte[] {1, 1}),
                supportedVersions(0x3a3a, 0x0304, 0x0303),
                ext(0x001b, new byte[] {2, 0, 2}),
                ext(0x4469, new byte[] {0, 3, 2, 'h', '2'}),
                ext(0x0015, new byte[8]),
                ext(0x5a5a, new byte[] {0}));
        return clientHelloBody(0x0303, ciphers, ext, false);
    }
}
